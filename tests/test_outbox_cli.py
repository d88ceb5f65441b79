"""Issue 7: ``flask outbox map`` sends national codes in place of local ones, ``flask outbox
backfill`` queues petitions kept before the outbox (and nothing twice), and the
scheduler runs the sender."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app.extensions import db
from app.outbox.models import OutboxItem
from app.petitions.models import Petition
from tests.petitions_intake_helpers import freeze_now, land_complaint, receive


def test_a_mapped_agency_code_is_sent_as_the_national_code(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "map", "agency", "DT17-866-TCD", "87.866.01"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        freeze_now()
        petition = receive(land_complaint())
        item = db.session.scalar(select(OutboxItem).where(OutboxItem.petition_id == petition.id))
        assert item.payload["reporting_agency"] == {
            "code": "87.866.01",
            "local_code": "DT17-866-TCD",
            "mapped": True,
            "name": "Ban Tiếp công dân thành phố Cao Lãnh",
        }
        db.session.remove()


def test_backfill_queues_petitions_kept_before_the_outbox_once(app, monkeypatch):
    monkeypatch.setattr("app.outbox.cli.BACKFILL_BATCH", 2)  # several transactions
    with app.app_context():
        # As in a database upgraded to this version: petitions, no outbox yet.
        db.session.execute(delete(OutboxItem.__table__))
        db.session.commit()
        petitions = db.session.scalar(select(func.count(Petition.id)))
        db.session.remove()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["outbox", "backfill"])
    assert first.exit_code == 0 and f"{petitions} đơn" in first.output
    again = runner.invoke(args=["outbox", "backfill"])
    assert "0 đơn" in again.output
    with app.app_context():
        kinds = db.session.scalars(select(OutboxItem.kind).distinct()).all()
        assert kinds == ["case"]
        db.session.remove()


def test_the_scheduler_runs_the_sender_every_configured_interval(app):
    from app.jobs.scheduler import build_scheduler

    scheduler = build_scheduler(app)
    job = scheduler.get_job("national-outbox")
    assert job.trigger.interval.total_seconds() == app.config["NATIONAL_DB_SEND_EVERY_SECONDS"]
