"""The daily job as the agencies notice it: overdue tasks flagged, and one reminder per
task, petition or dossier as its deadline comes near, arrives and passes (R25)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.complaints import services as complaints
from app.complaints.models import ComplaintDossier
from app.core.clock import LOCAL_TZ, set_now
from app.extensions import db
from app.jobs.models import CLI
from app.jobs.runner import run_now
from app.notifications.models import Notification
from app.notifications.service import notifications_for, unread_count
from app.petitions.models import Case, Petition
from app.security.models import AppUser
from app.tasks import workflow
from app.tasks.models import Task
from app.tasks.workflow import AssignmentData, ReceivingAssignment, ReportData

D = dt.date


def agency(code: str) -> Agency:
    """The demo agency with this code."""
    return db.session.scalar(select(Agency).where(Agency.code == code))


def user(username: str) -> AppUser:
    """The demo account with this username."""
    return db.session.scalar(select(AppUser).where(AppUser.username == username))


def assign(deadline: D, *, receivers: tuple[str, ...] = ("DT17-STNMT",)) -> list[Task]:
    """The Provincial PC gives a task to each receiver, issued 02/11/2026, due ``deadline``."""
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    document = workflow.create_assignment(
        db.session,
        AssignmentData(
            assigning_agency_id=agency("DT17-UBT").id,
            doc_type="cong_van",
            number=str(1200 + db.session.scalar(select(func.count(Task.id)))),
            symbol="UBND-HC",
            summary="Về việc rà soát các vụ khiếu nại đông người kéo dài",
            issued_at=dt.datetime(2026, 11, 2, 9, 30, tzinfo=LOCAL_TZ),
            director_name="Phạm Thiện Nghĩa",
            signer_name="Đoàn Tấn Bửu",
            drafter_name="Trần Thị Thu",
            secrecy_grade="none",
            default_deadline=deadline,
            receivers=[ReceivingAssignment(agency(code).id) for code in receivers],
        ),
        user("vpub.nhiemvu"),
    )
    db.session.commit()
    return list(document.tasks)


def run_daily(app, day: D) -> str:
    """Run the daily job for ``day`` as the command line does; return its outcome."""
    set_now(dt.datetime.combine(day, dt.time(0, 30)))
    result = run_now(app, "daily-flags", trigger=CLI, run_date=day)
    assert result.status == "succeeded", result.error
    db.session.expire_all()
    return result.outcome


def reminders(username: str) -> list[str]:
    """Titles of the deadline reminders the user sees, oldest first."""
    items = notifications_for(db.session, user(username))
    return [
        item.notification.title
        for item in reversed(items)
        if item.notification.kind.split(".")[-1] in ("overdue", "due_today", "due_soon")
    ]


def test_a_task_is_reminded_once_per_step_and_flagged_overdue_after_its_deadline(app, app_ctx):
    (task,) = assign(D(2026, 11, 20))  # Friday
    for day in range(16, 24):
        run_daily(app, D(2026, 11, day))
        flagged = db.session.get(Task, task.id).overdue
        assert flagged is (day > 20), day
    assert reminders("stnmt.canbo") == [
        "Nhiệm vụ còn tối đa 3 ngày làm việc đến hạn: 1200/UBND-HC",  # Tue 17
        "Nhiệm vụ còn tối đa 1 ngày làm việc đến hạn: 1200/UBND-HC",  # Thu 19
        "Nhiệm vụ đến hạn hôm nay: 1200/UBND-HC",  # Fri 20
        "Nhiệm vụ quá hạn: 1200/UBND-HC",  # Sat 21
    ]
    overdue = db.session.scalar(select(Notification).where(Notification.kind == "task.overdue"))
    assert overdue.recipient_agency_id == agency("DT17-STNMT").id
    assert "20/11/2026" in overdue.body and "chưa được báo cáo" in overdue.body


def test_running_the_day_again_sends_nothing_twice(app, app_ctx):
    assign(D(2026, 11, 20), receivers=("DT17-STNMT", "DT17-866-UB"))
    first = run_daily(app, D(2026, 11, 23))
    again = run_daily(app, D(2026, 11, 23))
    assert unread_count(db.session, user("stnmt.canbo")) == 1
    assert unread_count(db.session, user("caolanh.quantri")) == 1
    assert "2 lượt nhắc hạn" in first
    assert "0 lượt nhắc hạn" in again


def test_a_monday_deadline_is_one_working_day_away_on_friday(app, app_ctx):
    assign(D(2026, 11, 23))  # Monday
    run_daily(app, D(2026, 11, 20))  # Friday: Saturday and Sunday are not counted
    assert reminders("stnmt.canbo") == ["Nhiệm vụ còn tối đa 1 ngày làm việc đến hạn: 1200/UBND-HC"]


def test_a_reported_task_is_not_overdue_a_returned_one_is(app, app_ctx):
    reported, returned = assign(D(2026, 11, 20), receivers=("DT17-STNMT", "DT17-866-UB"))
    report = ReportData(
        doc_name="Báo cáo kết quả rà soát",
        doc_number="312",
        doc_symbol="BC",
        doc_summary="Kết quả rà soát",
        doc_date=D(2026, 11, 18),
        doc_signer="Nguyễn Văn Bình",
    )
    set_now(dt.datetime(2026, 11, 18, 9))
    workflow.submit_report(db.session, reported, report, user("stnmt.canbo"))
    workflow.submit_report(db.session, returned, report, user("caolanh.quantri"))
    workflow.return_report(db.session, returned, user("vpub.nhiemvu"), "Thiếu số liệu")
    db.session.commit()
    run_daily(app, D(2026, 11, 24))
    assert db.session.get(Task, reported.id).overdue is False
    assert db.session.get(Task, returned.id).overdue is True
    assert reminders("stnmt.canbo") == []
    assert reminders("caolanh.quantri") == ["Nhiệm vụ quá hạn: 1200/UBND-HC"]


def test_an_extended_task_leaves_overdue_and_is_reminded_of_its_new_deadline(app, app_ctx):
    (task,) = assign(D(2026, 11, 20))
    run_daily(app, D(2026, 11, 23))
    set_now(dt.datetime(2026, 11, 23, 9))
    task = db.session.get(Task, task.id)
    workflow.extend_deadline(
        db.session, task, user("vpub.nhiemvu"), D(2026, 11, 27), "Chờ ý kiến các sở"
    )
    db.session.commit()
    run_daily(app, D(2026, 11, 24))
    assert db.session.get(Task, task.id).overdue is False
    run_daily(app, D(2026, 11, 27))
    run_daily(app, D(2026, 11, 28))
    assert db.session.get(Task, task.id).overdue is True
    assert reminders("stnmt.canbo") == [
        "Nhiệm vụ quá hạn: 1200/UBND-HC",
        "Nhiệm vụ còn tối đa 3 ngày làm việc đến hạn: 1200/UBND-HC",
        "Nhiệm vụ đến hạn hôm nay: 1200/UBND-HC",
        "Nhiệm vụ quá hạn: 1200/UBND-HC",
    ]


def petition(status: str, due: D | None, summary: str, kind: str = "denunciation") -> Petition:
    """A petition received 02/11/2026 by the Provincial Inspectorate, due ``due``."""
    inspectorate = agency("DT17-TTT")
    number = db.session.scalar(select(func.count(Petition.id))) + 41
    case = Case(
        code=f"VV-TTT-{number}",
        agency_id=inspectorate.id,
        title=summary,
        kind=kind,
        opened_at=dt.datetime(2026, 11, 2, 9, tzinfo=LOCAL_TZ),
    )
    record = Petition(
        agency_id=inspectorate.id,
        register_year=2026,
        register_number=number,
        received_at=dt.datetime(2026, 11, 2, 9, 30, tzinfo=LOCAL_TZ),
        channel="post",
        case=case,
        kind=kind,
        summary=summary,
        status=status,
        due_date=due,
    )
    db.session.add_all([case, record])
    db.session.commit()
    return record


def test_the_holding_agency_is_reminded_of_open_petitions_only(app, app_ctx):
    open_one = petition("received", D(2026, 11, 16), "Tố cáo cán bộ địa chính xã")
    processed = petition("processed", D(2026, 11, 16), "Tố cáo đã xử lý")
    run_daily(app, D(2026, 11, 17))
    run_daily(app, D(2026, 11, 18))
    links = {f"/petitions/{open_one.id}", f"/petitions/{processed.id}"}
    items = [
        item.notification
        for item in notifications_for(db.session, user("ttt.chuyenvien"))
        if item.notification.link in links
    ]
    assert [(n.title, n.link) for n in items] == [
        (f"Đơn số {open_one.register_number}/2026 đã quá hạn xử lý", f"/petitions/{open_one.id}")
    ]
    assert "16/11/2026" in items[0].body and "địa chính xã" in items[0].body


def dossier(accepted: D | None = None) -> ComplaintDossier:
    """A complaint dossier of the Provincial Inspectorate, received 02/11/2026 (accepted
    on ``accepted``)."""
    record = petition("accepted", None, "Khiếu nại quyết định thu hồi đất", "complaint")
    clerk = user("ttt.chuyenvien")
    set_now(dt.datetime.combine(accepted or D(2026, 11, 2), dt.time(16)))
    opened = complaints.open_dossier(db.session, record, clerk)
    if accepted:
        complaints.accept(db.session, opened, clerk, accepted, "12/TB-TTT")
    db.session.commit()
    return opened


@pytest.mark.parametrize(
    ("accepted", "clock", "title"),
    [
        (None, "acceptance_due", "thụ lý"),
        (D(2026, 11, 5), "resolution_due", "giải quyết"),
    ],
)
def test_the_running_legal_clock_of_a_dossier_is_reminded(app, app_ctx, accepted, clock, title):
    opened = dossier(accepted)
    due = getattr(opened, clock)
    run_daily(app, due)
    run_daily(app, due + dt.timedelta(days=1))
    titles = [
        item.notification.title
        for item in notifications_for(db.session, user("ttt.chuyenvien"))
        if item.notification.kind.startswith("dossier.")
    ]
    assert len(titles) == 2, titles
    code = db.session.get(Case, opened.case_id).code
    assert all(title in t and code in t for t in titles), titles
    assert "quá hạn" in titles[0] and "hôm nay" in titles[1]


def test_a_suspended_dossier_is_not_reminded(app, app_ctx):
    opened = dossier(D(2026, 11, 5))
    set_now(dt.datetime(2026, 11, 10, 9))
    complaints.suspend(
        db.session, opened, user("ttt.chuyenvien"), D(2026, 11, 10), "05/QĐ-TTT", "Chờ giám định"
    )
    db.session.commit()
    run_daily(app, D(2027, 3, 1))
    kinds = [i.notification.kind for i in notifications_for(db.session, user("ttt.chuyenvien"))]
    assert not [kind for kind in kinds if kind.startswith("dossier.")]
