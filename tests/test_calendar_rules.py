"""The time-limit table in the database: seeding, the rule in force by event date,
deadlines by rule code with the database's overrides, and the recompute hook."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.calendar import changes
from app.calendar.defaults import DEFAULT_RULES
from app.calendar.models import CalendarOverride, TimeLimitRule
from app.calendar.results import Unit
from app.calendar.rules import (
    NoRuleInForce,
    complaint_resolution_code,
    compute_deadline,
    rule_in_force,
    seed_time_limit_rules,
)
from app.calendar.store import load_calendar

D = dt.date


@pytest.fixture
def session(app_ctx):
    from app.extensions import db

    seed_time_limit_rules(db.session)
    db.session.commit()
    return db.session


def test_seeding_twice_adds_nothing_and_keeps_administrators_edits(session):
    row = rule_in_force("petition.processing", D(2026, 3, 1), session)
    row.length = 15
    session.delete(rule_in_force("reception.reply", D(2026, 3, 1), session))
    session.commit()

    assert seed_time_limit_rules(session) == 1
    session.commit()
    assert session.scalar(select(func.count(TimeLimitRule.id))) == len(DEFAULT_RULES)
    assert rule_in_force("petition.processing", D(2026, 3, 1), session).length == 15


def test_every_seeded_rule_states_its_legal_basis(session):
    rows = session.scalars(select(TimeLimitRule)).all()
    assert {r.code for r in rows} >= {
        "petition.processing",
        "reception.reply",
        "complaint.acceptance",
        "complaint.limitation",
        "complaint.decision_delivery",
        "discipline.resolution.complex",
    }
    assert all(r.legal_ref for r in rows)
    assert (
        "chưa xác nhận"
        in rule_in_force("complaint.acceptance", D(2026, 7, 1), session).note.lower()
    )


def test_acceptance_is_10_working_days_until_30_06_2026_and_7_from_01_07_2026(session):
    before = compute_deadline("complaint.acceptance", D(2026, 6, 30), session)
    after = compute_deadline("complaint.acceptance", D(2026, 7, 1), session)
    assert (before.rule.length, before.due) == (10, D(2026, 7, 14))
    assert (after.rule.length, after.due) == (7, D(2026, 7, 10))
    assert "NĐ 155/2026" in after.rule.legal_ref


def test_first_instance_resolution_counts_calendar_days_rolled_forward(session):
    result = compute_deadline("complaint.first_instance", D(2026, 7, 31), session)
    assert result.unit is Unit.CALENDAR_DAYS
    assert result.due == D(2026, 9, 3)
    assert result.rolled_from == D(2026, 8, 30)


@pytest.mark.parametrize(
    ("instance", "complex_case", "remote_area", "days"),
    [
        (1, False, False, 30),
        (1, True, False, 45),
        (1, False, True, 45),
        (1, True, True, 60),
        (2, False, False, 45),
        (2, True, False, 60),
        (2, False, True, 60),
        (2, True, True, 70),
    ],
)
def test_resolution_limit_follows_the_case_flags(
    session, instance, complex_case, remote_area, days
):
    code = complaint_resolution_code(instance, complex_case=complex_case, remote_area=remote_area)
    assert rule_in_force(code, D(2026, 3, 2), session).length == days


def test_a_missing_or_not_yet_valid_rule_is_a_clear_error(session):
    with pytest.raises(NoRuleInForce, match=r"complaint\.acceptance.*01/01/2010"):
        compute_deadline("complaint.acceptance", D(2010, 1, 1), session)
    with pytest.raises(NoRuleInForce):
        rule_in_force("no.such.rule", D(2026, 1, 1), session)


def test_a_petition_received_after_office_hours_counts_from_its_local_day(session):
    received = dt.datetime(2026, 2, 12, 17, 30, tzinfo=dt.UTC)  # 00:30 on 13/02 in Vietnam
    result = compute_deadline("petition.processing", received, session)
    assert result.start == D(2026, 2, 13)
    assert result.due == D(2026, 3, 6)


def test_overrides_in_the_database_change_the_deadline(session):
    def due() -> dt.date:
        return compute_deadline("complaint.decision_delivery", D(2027, 1, 6), session).due

    assert due() == D(2027, 1, 11)
    session.add(CalendarOverride(day=D(2027, 1, 8), is_working_day=False, reason="Nghỉ thêm"))
    session.commit()
    assert due() == D(2027, 1, 12)
    session.add(CalendarOverride(day=D(2027, 1, 9), is_working_day=True, reason="Làm bù"))
    session.commit()
    result = compute_deadline("complaint.decision_delivery", D(2027, 1, 6), session)
    assert result.due == D(2027, 1, 11)
    assert [s.day for s in result.makeup_days_counted] == [D(2027, 1, 9)]
    assert [s.day for s in result.days_off_skipped] == [D(2027, 1, 8), D(2027, 1, 10)]
    assert load_calendar(session).reason_not_working(D(2027, 1, 8)) == "Nghỉ thêm"


def test_recomputers_run_each_in_its_own_savepoint(session, monkeypatch):
    monkeypatch.setattr(changes, "_recomputers", [])
    calls = []

    def add_override(sess, reason):
        calls.append(reason)
        sess.add(CalendarOverride(day=D(2027, 3, 1), is_working_day=False, reason="kept"))
        sess.flush()
        return 3

    def broken(sess, reason):
        sess.add(CalendarOverride(day=D(2027, 3, 2), is_working_day=False, reason="undone"))
        sess.flush()
        raise RuntimeError("boom")

    changes.register_deadline_recomputer(add_override)
    changes.register_deadline_recomputer(add_override)
    changes.register_deadline_recomputer(broken)
    report = changes.recompute_open_deadlines(session, "override added")
    session.commit()

    assert calls == ["override added"]
    assert report.total == 3
    assert list(report.failed.values()) == ["boom"]
    days = session.scalars(select(CalendarOverride.day)).all()
    assert days == [D(2027, 3, 1)]
