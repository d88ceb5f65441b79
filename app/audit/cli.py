"""``flask audit verify``: recompute the audit hash chain and report the first broken link."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.audit.chain import verify_chain
from app.extensions import db

audit_cli = AppGroup("audit", help="Audit log (R9).")

REASONS = {
    "link": _l("the link to the previous entry is broken (an entry was removed or inserted)"),
    "content": _l("the entry was altered"),
    "head": _l("the newest entries were removed"),
}


@audit_cli.command("verify")
def verify_command() -> None:
    """Print "OK n entries", or the id of the first entry whose link is broken (exit 1)."""
    with db.engine.connect() as connection:
        report = verify_chain(connection)
    if report.ok:
        click.echo(gettext("OK %(count)d entries", count=report.entries))
        return
    raise click.ClickException(
        gettext(
            "Audit chain broken at entry id %(id)s: %(reason)s",
            id=report.broken_id,
            reason=REASONS[report.reason],
        )
    )
