"""``flask files sweep [--apply]``: orphaned upload files (issue 7; docs/deployment.md
"Maintenance")."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext

from app.core.clock import to_local
from app.extensions import db
from app.files.display import human_size
from app.files.storage import upload_root
from app.files.sweep import ORPHAN_AFTER, QUARANTINE, sweep_orphans

files_cli = AppGroup("files", help="Stored files: sweep orphaned uploads.")


@files_cli.command("sweep")
@click.option(
    "--apply", is_flag=True, help="Move the orphaned files to quarantine (default: only list)."
)
def sweep_command(apply: bool) -> None:
    """List the upload files no record names, older than a day; with --apply move them to
    the quarantine folder."""
    root = upload_root()
    orphans = sweep_orphans(db.session, root, apply=apply)
    for orphan in orphans:
        click.echo(
            f"{orphan.name}\t{human_size(orphan.size)}\t{to_local(orphan.modified):%d/%m/%Y %H:%M}"
        )
    values = {
        "count": len(orphans),
        "size": human_size(sum(orphan.size for orphan in orphans)),
        "hours": int(ORPHAN_AFTER.total_seconds() // 3600),
        "folder": root / QUARANTINE,
    }
    if apply:
        click.echo(
            gettext(
                "%(count)s orphaned files (%(size)s) moved to %(folder)s.",
                **values,
            )
        )
    else:
        click.echo(
            gettext(
                "Dry run: %(count)s files (%(size)s) older than %(hours)s hours belong to no "
                "record and would be moved to %(folder)s. Run again with --apply to move them.",
                **values,
            )
        )
