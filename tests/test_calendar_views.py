"""The calendar screens as an administrator uses them: the deadline calculator, the
holidays of a year, adding an override (which recomputes deadlines) and the rule table's
validity checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from app.calendar import changes
from app.calendar.models import CalendarOverride, TimeLimitRule
from tests.conftest import login

D = dt.date


@pytest.fixture
def admin(app, client):
    from app.calendar.rules import seed_time_limit_rules
    from app.extensions import db

    with app.app_context():
        seed_time_limit_rules(db.session)
        db.session.commit()
    login(client, "admin")
    return client


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _due(page: str) -> str:
    match = re.search(r'id="due-date">([^<]*)<', page)
    assert match, "no due date on the page"
    return match.group(1)


def _steps(page: str) -> list[str]:
    block = page.split('id="deadline-steps">', 1)[1].split("</ol>", 1)[0]
    return [s.strip() for s in re.findall(r"<li>(.*?)</li>", block, re.S)]


def test_calculator_applies_the_15_00_rule_with_its_explanation(admin):
    page = _page(admin, "/calendar/calculator/?rule=entry&start=31/12/2026&time=16:00")
    assert _due(page).endswith("04/01/2027")
    steps = _steps(page)
    assert len(steps) == 3
    assert "16:00" in steps[0] and "31/12/2026" in steps[0]
    assert "01/01 Tết Dương lịch" in steps[2]


def test_calculator_picks_the_acceptance_rule_in_force_on_the_start_date(admin):
    before = _page(admin, "/calendar/calculator/?rule=complaint.acceptance&start=30/06/2026")
    after = _page(admin, "/calendar/calculator/?rule=complaint.acceptance&start=1/7/2026")
    assert _due(before).endswith("14/07/2026")
    assert _due(after).endswith("10/07/2026")
    assert "NĐ 155/2026" in after and "NĐ 155/2026" not in before.split("deadline-result")[1]


def test_calculator_rejects_a_date_it_cannot_read_and_a_missing_time(admin):
    page = _page(admin, "/calendar/calculator/?rule=complaint.acceptance&start=2026-07-01")
    assert "alert-danger" in page and "deadline-result" not in page
    page = _page(admin, "/calendar/calculator/?rule=entry&start=31/12/2026")
    assert "alert-danger" in page and "deadline-result" not in page
    page = _page(admin, "/calendar/calculator/?rule=complaint.limitation&start=31/12/9999")
    assert "alert-danger" in page and "deadline-result" not in page


def test_calculator_says_when_no_rule_is_in_force(admin):
    page = _page(admin, "/calendar/calculator/?rule=complaint.acceptance&start=01/01/2010")
    assert "alert-danger" in page and "complaint.acceptance" in page
    assert "deadline-result" not in page


def test_holiday_page_lists_the_year_with_swaps_and_counts_working_days(admin):
    page = _page(admin, "/calendar/holidays/?year=2026")
    table = page.split('id="holiday-table"', 1)[1]
    for day in ("01/01/2026", "16/02/2026", "22/08/2026", "31/08/2026", "24/11/2026"):
        assert day in table
    assert "07/03/2026" not in table
    assert "249" in page


def test_adding_an_extra_day_off_recomputes_deadlines_and_moves_the_calculator(
    app, admin, monkeypatch
):
    monkeypatch.setattr(changes, "_recomputers", [])
    reasons = []
    changes.register_deadline_recomputer(lambda session, reason: reasons.append(reason) or 2)
    response = admin.post(
        "/calendaroverridemodelview/add",
        data={"day": "04/01/2027", "reason": "Nghỉ hoán đổi", "legal_ref": "TB 1/2026"},
    )
    assert response.status_code == 302
    assert reasons == ["calendar override 04/01/2027 added"]
    with app.app_context():
        from app.extensions import db

        row = db.session.scalar(select(CalendarOverride))
        assert (row.day, row.is_working_day) == (D(2027, 1, 4), False)

    page = _page(admin, "/calendar/calculator/?rule=entry&start=31/12/2026&time=16:00")
    assert _due(page).endswith("05/01/2027")
    assert "04/01 Nghỉ hoán đổi" in _steps(page)[2]
    holidays = _page(admin, "/calendar/holidays/?year=2027")
    assert "Nghỉ hoán đổi" in holidays and "TB 1/2026" in holidays


def test_a_second_override_of_the_same_day_is_refused(app, admin):
    data = {"day": "09/01/2027", "is_working_day": "y", "reason": "Làm bù"}
    admin.post("/calendaroverridemodelview/add", data=data)
    admin.post("/calendaroverridemodelview/add", data={**data, "reason": "Lần hai"})
    with app.app_context():
        from app.extensions import db

        rows = db.session.scalars(select(CalendarOverride)).all()
        assert [(r.day, r.is_working_day, r.reason) for r in rows] == [
            (D(2027, 1, 9), True, "Làm bù")
        ]


def _rule_form(**changes: str) -> dict[str, str]:
    form = {
        "code": "complaint.acceptance",
        "name": "Thời hạn thụ lý",
        "counts_from": "Ngày nhận đơn",
        "length": "5",
        "unit": "working_days",
        "roll_forward": "y",
        "legal_ref": "Văn bản mới",
        "valid_from": "01/01/2027",
        "valid_to": "",
        "note": "",
    }
    return {**form, **changes}


def _acceptance_rows(app) -> list[tuple[int, D]]:
    with app.app_context():
        from app.extensions import db

        rows = db.session.scalars(
            select(TimeLimitRule)
            .where(TimeLimitRule.code == "complaint.acceptance")
            .order_by(TimeLimitRule.valid_from)
        ).all()
        return [(r.length, r.valid_from) for r in rows]


def test_a_rule_overlapping_one_in_force_is_refused(app, admin):
    admin.post("/timelimitrulemodelview/add", data=_rule_form())
    admin.post("/timelimitrulemodelview/add", data=_rule_form(valid_from="01/01/2020"))
    assert _acceptance_rows(app) == [(10, D(2012, 7, 1)), (7, D(2026, 7, 1))]


def test_a_new_rule_version_applies_from_its_valid_from(app, admin):
    with app.app_context():
        from app.extensions import db

        current = db.session.scalar(
            select(TimeLimitRule).where(TimeLimitRule.valid_from == D(2026, 7, 1))
        )
        current.valid_to = D(2026, 12, 31)
        db.session.commit()
    admin.post("/timelimitrulemodelview/add", data=_rule_form())
    assert _acceptance_rows(app)[-1] == (5, D(2027, 1, 1))
    page = _page(admin, "/calendar/calculator/?rule=complaint.acceptance&start=04/01/2027")
    assert _due(page).endswith("11/01/2027")


def test_clerks_cannot_change_the_calendar(client):
    login(client, "caolanh.tcd")
    response = client.post(
        "/calendaroverridemodelview/add", data={"day": "05/01/2027", "reason": "x"}
    )
    assert response.status_code in (302, 403)
    listing = client.get("/calendaroverridemodelview/list/")
    assert listing.status_code in (302, 403)


def test_editing_and_deleting_an_override_recompute_deadlines_too(app, admin, monkeypatch):
    monkeypatch.setattr(changes, "_recomputers", [])
    reasons = []
    changes.register_deadline_recomputer(lambda session, reason: reasons.append(reason) or 0)
    data = {"day": "09/01/2027", "is_working_day": "y", "reason": "Làm bù"}
    admin.post("/calendaroverridemodelview/add", data=data)
    with app.app_context():
        from app.extensions import db

        pk = db.session.scalar(select(CalendarOverride.id))
    admin.post(f"/calendaroverridemodelview/edit/{pk}", data={**data, "reason": "Làm bù Tết"})
    with app.app_context():
        from app.extensions import db

        assert db.session.get(CalendarOverride, pk).reason == "Làm bù Tết"
    admin.post(f"/calendaroverridemodelview/delete/{pk}")
    assert reasons == [
        "calendar override 09/01/2027 added",
        "calendar override 09/01/2027 changed",
        "calendar override 09/01/2027 deleted",
    ]
    page = _page(admin, "/calendar/holidays/?year=2027")
    assert "09/01/2027" not in page.split('id="holiday-table"', 1)[1]


def test_templates_can_show_any_deadline_with_the_explanation_filter(app):
    from flask import render_template_string

    from app.calendar.deadlines import entry_deadline
    from app.calendar.workdays import WorkingCalendar

    result = entry_deadline(WorkingCalendar(), dt.datetime(2026, 12, 31, 16, 0))
    with app.test_request_context("/"):
        text = render_template_string("{{ result|explanation }}", result=result)
    assert "16:00" in text and "04/01/2027" in text and "Tết Dương lịch" in text
