"""`flask calendar seed` and `flask app init` fill the time-limit table, once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.calendar.defaults import DEFAULT_RULES
from app.calendar.models import TimeLimitRule


def _rule_count(app) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count(TimeLimitRule.id)))


def test_calendar_seed_adds_the_default_rules_only_once(app):
    from app.extensions import db

    with app.app_context():
        db.session.execute(TimeLimitRule.__table__.delete())
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["calendar", "seed"])
    second = runner.invoke(args=["calendar", "seed"])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == f"Thời hạn: đã thêm {len(DEFAULT_RULES)} dòng"
    assert second.output.strip() == "Thời hạn: đã thêm 0 dòng"
    assert _rule_count(app) == len(DEFAULT_RULES)


def test_app_init_seeds_the_time_limits(app):
    result = app.test_cli_runner().invoke(args=["app", "init"])
    assert result.exit_code == 0, result.output
    assert _rule_count(app) == len(DEFAULT_RULES)
