"""Legal clocks of complaint dossiers on real 2026–2027 dates (Luật KN Art. 27, 28, 36, 37;
legal-domain.md §3). Expected dates are counted by hand from the 2026–2027 calendars."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.agencies.models import Agency
from app.calendar.changes import recompute_open_deadlines
from app.calendar.models import CalendarOverride
from app.complaints import services
from app.complaints.clocks import acceptance_deadline, resolution_deadline
from app.complaints.models import ComplaintDossier
from app.core.clock import LOCAL_TZ, set_now
from app.extensions import db
from app.petitions.models import Case, Petition
from app.security.models import AppUser

D = dt.date


def _inspectorate_clerk() -> AppUser:
    return db.session.scalar(select(AppUser).where(AppUser.username == "ttt.chuyenvien"))


def _petition(received: dt.date) -> Petition:
    agency = db.session.scalar(select(Agency).where(Agency.code == "DT17-TTT"))
    case = Case(
        code=f"VV-{received:%Y%m%d}-{db.session.scalar(select(db.func.count(Case.id))) + 1}",
        agency_id=agency.id,
        title="Khiếu nại quyết định thu hồi đất làm đường tỉnh 849",
        kind="complaint",
        opened_at=dt.datetime.combine(received, dt.time(9), tzinfo=LOCAL_TZ),
    )
    petition = Petition(
        agency_id=agency.id,
        register_year=received.year,
        register_number=db.session.scalar(select(db.func.count(Petition.id))) + 1,
        received_at=dt.datetime.combine(received, dt.time(9, 30), tzinfo=LOCAL_TZ),
        channel="post",
        case=case,
        kind="complaint",
        summary="Khiếu nại Quyết định số 215/QĐ-UBND về bồi thường khi thu hồi đất",
        status="accepted",
    )
    db.session.add_all([case, petition])
    db.session.flush()
    return petition


def _dossier(received: dt.date, accepted: dt.date | None = None, **flags) -> ComplaintDossier:
    set_now(dt.datetime.combine(max(received, accepted or received), dt.time(16)))
    dossier = services.open_dossier(db.session, _petition(received), _inspectorate_clerk())
    if accepted:
        services.accept(db.session, dossier, _inspectorate_clerk(), accepted, "12/TB-TTT")
    for key, value in flags.items():
        setattr(dossier, key, value)
    return dossier


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (D(2026, 2, 9), D(2026, 3, 2), "10 working days; 16–20/02 Tết and weekends skipped"),
        (D(2026, 4, 24), D(2026, 5, 13), "27/04 Hùng Kings observed, 30/04–01/05 skipped"),
        (D(2026, 6, 30), D(2026, 7, 14), "received under the 10-working-day rule"),
        (D(2026, 7, 10), D(2026, 7, 21), "7 working days from 01/07/2026 (NĐ 155/2026)"),
        (D(2027, 2, 1), D(2027, 2, 17), "7 working days across Tết 2027 (04–10/02)"),
    ],
)
def test_acceptance_deadline(app_ctx, received, due, why):
    assert acceptance_deadline(db.session, received).due == due, why


@pytest.mark.parametrize(
    ("accepted", "flags", "due"),
    [
        (D(2026, 2, 13), {}, D(2026, 3, 16)),  # 30 days → Sun 15/03, rolled to Monday
        (D(2026, 2, 13), {"complex_case": True}, D(2026, 3, 30)),  # 45 days
        (D(2026, 2, 13), {"remote_area": True}, D(2026, 3, 30)),  # 45 days
        (D(2026, 4, 1), {"complex_case": True, "remote_area": True}, D(2026, 6, 1)),  # 60
    ],
)
def test_first_instance_resolution_deadline(app_ctx, accepted, flags, due):
    dossier = _dossier(accepted - dt.timedelta(days=3), accepted, **flags)
    assert resolution_deadline(db.session, dossier).due == due


def test_second_instance_rolls_over_national_day(app_ctx):
    # Accepted Fri 17/07/2026 + 45 days = Mon 31/08 (day off swapped from 22/08),
    # 01–02/09 National Day → Thursday 03/09/2026.
    dossier = _dossier(D(2026, 7, 14), D(2026, 7, 17), instance=2)
    assert resolution_deadline(db.session, dossier).due == D(2026, 9, 3)


def test_suspension_stops_the_clock_and_resumption_continues_it(app_ctx):
    clerk = _inspectorate_clerk()
    dossier = _dossier(D(2026, 10, 1), D(2026, 10, 5))
    assert dossier.resolution_due == D(2026, 11, 4)  # 05/10 + 30 days, a Wednesday
    set_now(dt.datetime(2026, 10, 15, 10))
    services.suspend(
        db.session, dossier, clerk, D(2026, 10, 15), "05/QĐ-TTT", "Chờ kết quả giám định"
    )
    assert (dossier.status, dossier.resolution_due) == ("suspended", None)
    set_now(dt.datetime(2026, 10, 26, 10))
    services.resume(db.session, dossier, clerk, D(2026, 10, 26), "07/QĐ-TTT")
    # 10 days counted before the suspension, 20 left from 26/10 → Sun 15/11 → Mon 16/11.
    assert (dossier.status, dossier.resolution_due) == ("accepted", D(2026, 11, 16))
    reasons = [(c.which, c.old_due, c.new_due) for c in dossier.deadline_changes]
    assert reasons == [
        ("resolution", None, D(2026, 11, 4)),
        ("resolution", D(2026, 11, 4), None),
        ("resolution", None, D(2026, 11, 16)),
    ]


def test_marking_complex_extends_and_logs_the_reason(app_ctx):
    clerk = _inspectorate_clerk()
    dossier = _dossier(D(2026, 2, 10), D(2026, 2, 13))
    set_now(dt.datetime(2026, 2, 24, 9))
    services.set_flags(db.session, dossier, clerk, D(2026, 2, 24), "03/QĐ-TTT", complex_case=True)
    assert dossier.resolution_due == D(2026, 3, 30)
    assert "03/QĐ-TTT" in dossier.deadline_changes[-1].reason
    assert [step.kind for step in dossier.steps] == ["complex_set"]


def test_a_new_holiday_recomputes_open_dossiers(app_ctx):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    assert dossier.resolution_due == D(2026, 11, 4)
    db.session.add(
        CalendarOverride(day=D(2026, 11, 4), is_working_day=False, reason="Nghỉ bù theo thông báo")
    )
    db.session.flush()
    recompute_open_deadlines(db.session, "Thêm ngày nghỉ 04/11/2026")
    db.session.refresh(dossier)
    assert dossier.resolution_due == D(2026, 11, 5)
    assert dossier.deadline_changes[-1].reason == "Thêm ngày nghỉ 04/11/2026"
