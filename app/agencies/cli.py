"""``flask agencies import FILE``: load a province's agency file (all rows or nothing)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.agencies.importer import AgencyImportError, import_agencies
from app.agencies.kinds import seed_agency_kinds
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.extensions import db

agencies_cli = AppGroup("agencies", help="Agency tree of the province.")


@agencies_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_command(path: str) -> None:
    """Import or update agencies from a CSV file; a bad row stops the whole import."""
    with acting_as(SYSTEM_ACTOR):
        seed_agency_kinds(db.session)
        try:
            report = import_agencies(path, db.session)
        except AgencyImportError as exc:
            db.session.rollback()
            for line in exc.errors:
                click.echo(line, err=True)
            raise click.ClickException("Không nhập được tệp: có dòng lỗi, chưa lưu gì.") from exc
        db.session.commit()
    click.echo(
        f"Đã nhập: {report.created} mới, {report.updated} cập nhật, "
        f"{report.unchanged} không đổi, {report.successions} quan hệ kế thừa."
    )
