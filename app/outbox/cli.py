"""``flask outbox send | backfill [--limit N] | map KIND LOCAL NATIONAL``."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.actor import SYSTEM_ACTOR, acting_as
from app.extensions import db
from app.outbox.models import CODE_KINDS, NationalCode
from app.outbox.sender import send_due
from app.outbox.services import queue_missing_cases

# Petitions queued per transaction by the back-fill.
BACKFILL_BATCH = 500

outbox_cli = AppGroup("outbox", help="National database outbox: send, back-fill, code mapping.")


@outbox_cli.command("send")
def send_command() -> None:
    """Send the due pending records now (as the scheduled job does)."""
    with acting_as(SYSTEM_ACTOR):
        report = send_due()
    click.echo(f"Cơ sở dữ liệu quốc gia: {report}")
    for error in report.errors:
        click.echo(f"  lỗi: {error}", err=True)
    sys.exit(1 if report.failed else 0)


@outbox_cli.command("backfill")
@click.option("--limit", type=int, default=None, help="At most this many petitions.")
def backfill_command(limit: int | None) -> None:
    """Queue the case record of every petition without one (kept before the outbox
    existed, or written by a bulk import), committing every BACKFILL_BATCH petitions."""
    total = 0
    with acting_as(SYSTEM_ACTOR):
        while limit is None or total < limit:
            batch = BACKFILL_BATCH if limit is None else min(BACKFILL_BATCH, limit - total)
            count = queue_missing_cases(db.session, batch)
            db.session.commit()
            db.session.expunge_all()
            total += count
            if count < batch:
                break
    click.echo(f"Đã đưa vào hàng đợi {total} đơn.")


@outbox_cli.command("map")
@click.argument("kind", type=click.Choice(CODE_KINDS))
@click.argument("local_code")
@click.argument("national_code")
def map_command(kind: str, local_code: str, national_code: str) -> None:
    """Map a local code (agency, subject area, petition kind) to the national code."""
    with acting_as(SYSTEM_ACTOR):
        row = db.session.scalar(
            select(NationalCode).where(
                NationalCode.kind == kind, NationalCode.local_code == local_code
            )
        )
        if row is None:
            db.session.add(
                NationalCode(kind=kind, local_code=local_code, national_code=national_code)
            )
        else:
            row.national_code = national_code
        db.session.commit()
    click.echo(f"{kind} {local_code} → {national_code}")
