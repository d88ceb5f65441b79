"""``flask backup [--output PATH]`` and ``flask restore ARCHIVE [--yes]`` (issue 7,
"Nothing lost"; docs/deployment.md "Backups")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext

from app.backup.archive import BackupRefused
from app.backup.databases import describe_counts
from app.backup.service import code_revision, create_backup, default_archive_path, restore_backup
from app.core.actor import SYSTEM_ACTOR
from app.core.clock import now_local, to_local
from app.extensions import db
from app.files.storage import upload_root


@click.command("backup")
@with_appcontext
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="Archive file to write, or a folder for it (default: instance/backups/).",
)
def backup_command(output: Path | None) -> None:
    """Write the database and the stored files into one archive (.tar.gz with a manifest)."""
    folder = Path(current_app.instance_path) / "backups" if output is None else output
    destination = (
        default_archive_path(folder, db.engine.dialect.name, now_local())
        if output is None or output.is_dir()
        else output
    )
    try:
        manifest = create_backup(db.engine, upload_root(), destination)
    except BackupRefused as refused:
        raise click.ClickException(refused.message) from refused
    click.echo(gettext("Backup written: %(path)s", path=destination))
    click.echo(
        gettext(
            "Database %(kind)s at revision %(revision)s: %(counts)s; %(files)d stored files.",
            kind=manifest.database,
            revision=manifest.migration_revision or "—",
            counts=describe_counts(manifest.counts),
            files=manifest.file_count,
        )
    )
    if manifest.missing_files or manifest.damaged_files:
        raise click.ClickException(
            gettext(
                "Stored files missing from the storage location: %(missing)s; stored files "
                "whose content differs from the SHA-256 recorded: %(damaged)s. Restore them "
                "from an earlier backup.",
                missing=", ".join(manifest.missing_files) or "—",
                damaged=", ".join(manifest.damaged_files) or "—",
            )
        )


@click.command("restore")
@with_appcontext
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data.")
def restore_command(archive: Path, yes: bool) -> None:
    """Restore the database and the stored files from ARCHIVE (stop the app first)."""
    try:
        report = restore_backup(
            archive,
            db.engine,
            upload_root(),
            expected_revision=code_revision(current_app.extensions["migrate"].directory),
            overwrite=yes,
            actor=SYSTEM_ACTOR,
        )
    except BackupRefused as refused:
        raise click.ClickException(refused.message) from refused
    created = dt.datetime.fromisoformat(report.manifest.created_at)
    click.echo(
        gettext(
            "Restored the backup of %(created)s: %(counts)s; %(files)d stored files written.",
            created=f"{to_local(created):%d/%m/%Y %H:%M}",
            counts=describe_counts(report.counts),
            files=report.files_written,
        )
    )
