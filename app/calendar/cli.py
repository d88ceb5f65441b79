"""``flask calendar …``: seed the time-limit table."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.calendar.rules import seed_time_limit_rules
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.extensions import db

calendar_cli = AppGroup("calendar", help="Working-day calendar and time-limit rules.")


@calendar_cli.command("seed")
def seed_command() -> None:
    """Insert the default time-limit rules that are missing (idempotent; legal-domain §3)."""
    with acting_as(SYSTEM_ACTOR):
        count = seed_time_limit_rules(db.session)
        db.session.commit()
    click.echo(f"Thời hạn: đã thêm {count} dòng")
