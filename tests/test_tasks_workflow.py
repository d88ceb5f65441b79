"""The task loop (R13–R20): who may do what from which state, and the refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.agencies.models import Agency
from app.core.clock import LOCAL_TZ, set_now
from app.extensions import db
from app.security.models import AppUser
from app.tasks import workflow
from app.tasks.workflow import AssignmentData, ReceivingAssignment, ReportData, TaskRefused


def _agency(code: str) -> Agency:
    return db.session.scalar(select(Agency).where(Agency.code == code))


def _user(username: str) -> AppUser:
    return db.session.scalar(select(AppUser).where(AppUser.username == username))


def _at(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=LOCAL_TZ)


def _assignment(**changes) -> AssignmentData:
    data = AssignmentData(
        assigning_agency_id=_agency("DT17-UBT").id,
        doc_type="cong_van",
        number="1250",
        symbol="UBND-HC",
        summary="Về việc rà soát, giải quyết dứt điểm các vụ khiếu nại đông người kéo dài",
        issued_at=_at("02/11/2026 09:30"),
        director_name="Phạm Thiện Nghĩa",
        signer_name="Đoàn Tấn Bửu",
        drafter_name="Trần Thị Thu",
        secrecy_grade="none",
        default_deadline=dt.date(2026, 11, 20),
        receivers=[
            ReceivingAssignment(_agency("DT17-STNMT").id),
            ReceivingAssignment(_agency("DT17-866-UB").id, dt.date(2026, 11, 25), "support"),
        ],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def _report() -> ReportData:
    return ReportData(
        doc_name="Báo cáo kết quả rà soát",
        doc_number="312",
        doc_symbol="BC-STNMT",
        doc_summary="Kết quả rà soát các vụ khiếu nại đông người về đất đai",
        doc_date=dt.date(2026, 11, 18),
        doc_signer="Nguyễn Văn Bình",
    )


@pytest.fixture
def office_task(app_ctx):
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    document = workflow.create_assignment(db.session, _assignment(), _user("vpub.nhiemvu"))
    db.session.commit()
    task = next(t for t in document.tasks if t.receiving_agency.code == "DT17-STNMT")
    return document, task


def test_document_creates_one_task_per_receiving_agency_with_its_deadline(office_task):
    document, _task = office_task
    deadlines = {t.receiving_agency.code: (t.deadline, t.role) for t in document.tasks}
    assert deadlines == {
        "DT17-STNMT": (dt.date(2026, 11, 20), "lead"),
        "DT17-866-UB": (dt.date(2026, 11, 25), "support"),
    }
    assert document.office_agency.code == "DT17-VPUB"
    assert document.entry_timeliness == "on_time"  # entered the issue day before 15:00


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"secrecy_grade": "mat"}, "secrecy_grade", "độ mật"),
        ({"secrecy_grade": "tuyet_mat"}, "secrecy_grade", "độ mật"),
        ({"default_deadline": None}, "default_deadline", "không có thời hạn"),
        ({"summary": "   "}, "summary", "trích yếu"),
        ({"receivers": []}, "receivers", "ít nhất một"),
    ],
)
def test_refused_documents_save_nothing(app_ctx, changes, field, message):
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    data = _assignment(**changes)
    if changes.get("default_deadline", 1) is None:
        data.receivers = [ReceivingAssignment(_agency("DT17-STNMT").id)]
    with pytest.raises(TaskRefused) as refused:
        workflow.create_assignment(db.session, data, _user("vpub.nhiemvu"))
    assert refused.value.field == field
    assert message in refused.value.message
    db.session.rollback()
    from app.tasks.models import AssignmentDocument

    assert db.session.scalar(select(AssignmentDocument.id)) is None


def test_receiving_agencies_must_be_subordinate_to_the_assigning_agency(app_ctx):
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    data = _assignment(
        assigning_agency_id=_agency("DT17-866-UB").id,
        receivers=[ReceivingAssignment(_agency("DT17-876-TT").id)],
    )
    with pytest.raises(TaskRefused, match="không trực thuộc"):
        workflow.create_assignment(db.session, data, _user("caolanh.vanphong"))


def test_only_the_operating_office_enters_documents_of_its_agency(app_ctx):
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    with pytest.raises(TaskRefused, match="văn phòng"):
        workflow.create_assignment(db.session, _assignment(), _user("caolanh.vanphong"))
    with pytest.raises(TaskRefused, match="không có quyền"):
        workflow.create_assignment(db.session, _assignment(), _user("stnmt.canbo"))


def test_document_entered_after_the_next_working_day_is_late(app_ctx):
    # R14: issued Thursday 31/12/2026 16:00 → due Monday 04/01/2027 (New Year, weekend).
    set_now(dt.datetime(2027, 1, 5, 8, 0))
    data = _assignment(
        issued_at=_at("31/12/2026 16:00"),
        default_deadline=dt.date(2027, 1, 29),
        receivers=[ReceivingAssignment(_agency("DT17-STNMT").id)],
    )
    document = workflow.create_assignment(db.session, data, _user("vpub.nhiemvu"))
    assert document.entry_timeliness == "late"
    set_now(dt.datetime(2027, 1, 4, 16, 59))
    data.number = "1251"
    document = workflow.create_assignment(db.session, data, _user("vpub.nhiemvu"))
    assert document.entry_timeliness == "on_time"


def test_full_loop_return_then_accept_after_the_deadline_is_late(office_task):
    _, task = office_task
    staff, officer = _user("stnmt.canbo"), _user("vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 3, 8, 15))
    workflow.acknowledge(db.session, task, staff)
    assert task.status == "received" and task.acknowledged_by_id == staff.id
    set_now(dt.datetime(2026, 11, 18, 14, 0))
    first = workflow.submit_report(db.session, task, _report(), staff)
    assert (first.round, task.status, first.entry_timeliness) == (1, "reported", "on_time")
    set_now(dt.datetime(2026, 11, 18, 16, 30))
    workflow.return_report(db.session, task, officer, "Chưa nêu số vụ đã giải quyết dứt điểm")
    assert task.status == "returned" and task.returns_count == 1
    assert first.verdict == "returned" and first.review_timeliness == "on_time"
    set_now(dt.datetime(2026, 11, 23, 9, 0))
    second = workflow.submit_report(db.session, task, _report(), staff)
    set_now(dt.datetime(2026, 11, 23, 10, 0))
    workflow.accept_report(db.session, task, officer)
    assert second.round == 2 and second.verdict == "accepted"
    assert (task.status, task.completion) == ("accepted", "late")


@pytest.mark.parametrize(
    ("sent", "completion"),
    [
        ("19/11/2026 23:59", "early"),
        ("20/11/2026 00:00", "on_time"),
        ("20/11/2026 15:01", "on_time"),
        ("20/11/2026 23:59", "on_time"),
        ("21/11/2026 00:01", "late"),
    ],
)
def test_completion_is_decided_by_the_accepted_reports_sending_time(office_task, sent, completion):
    _, task = office_task
    set_now(_at(sent).replace(tzinfo=None))
    workflow.submit_report(db.session, task, _report(), _user("stnmt.canbo"))
    workflow.accept_report(db.session, task, _user("vpub.nhiemvu"))
    assert task.completion == completion


@pytest.mark.parametrize(
    ("deadline", "sent", "completion"),
    [
        (dt.date(2026, 11, 22), "22/11/2026 10:00", "on_time"),  # a Sunday
        (dt.date(2026, 11, 22), "23/11/2026 08:00", "late"),
        (dt.date(2026, 11, 24), "23/11/2026 16:00", "early"),  # Vietnamese Culture Day
        (dt.date(2026, 11, 24), "25/11/2026 07:30", "late"),
    ],
)
def test_a_deadline_on_a_day_off_is_not_moved(app_ctx, deadline, sent, completion):
    """R19, rule chosen in app.tasks.timing: the office chose that date, so a report sent on
    the next working day after a deadline on a weekend or holiday is late."""
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    document = workflow.create_assignment(
        db.session, _assignment(default_deadline=deadline), _user("vpub.nhiemvu")
    )
    task = next(t for t in document.tasks if t.receiving_agency.code == "DT17-STNMT")
    set_now(_at(sent).replace(tzinfo=None))
    workflow.submit_report(db.session, task, _report(), _user("stnmt.canbo"))
    workflow.accept_report(db.session, task, _user("vpub.nhiemvu"))
    assert (task.deadline, task.completion) == (deadline, completion)


def test_invalid_transitions_are_refused_and_change_nothing(office_task):
    _, task = office_task
    staff, officer = _user("stnmt.canbo"), _user("vpub.nhiemvu")
    with pytest.raises(TaskRefused, match="trạng thái"):
        workflow.accept_report(db.session, task, officer)
    with pytest.raises(TaskRefused, match="cơ quan nhận"):
        workflow.acknowledge(db.session, task, _user("caolanh.thanhtra"))
    with pytest.raises(TaskRefused, match="không có quyền"):
        workflow.submit_report(db.session, task, _report(), officer)
    set_now(dt.datetime(2026, 11, 18, 14, 0))
    workflow.submit_report(db.session, task, _report(), staff)
    with pytest.raises(TaskRefused, match="trạng thái"):
        workflow.submit_report(db.session, task, _report(), staff)
    with pytest.raises(TaskRefused, match="lý do"):
        workflow.return_report(db.session, task, officer, "  ")
    assert task.status == "reported" and len(task.reports) == 1


def test_extension_is_limited_logged_and_moves_the_judgement(office_task):
    _, task = office_task
    officer = _user("vpub.nhiemvu")
    workflow.extend_deadline(
        db.session, task, officer, dt.date(2026, 11, 27), "Chờ ý kiến Sở Tư pháp"
    )
    with pytest.raises(TaskRefused, match="sau thời hạn hiện tại"):
        workflow.extend_deadline(db.session, task, officer, dt.date(2026, 11, 26), "Lý do")
    workflow.extend_deadline(db.session, task, officer, dt.date(2026, 12, 4), "Bổ sung hồ sơ")
    with pytest.raises(TaskRefused, match="tối đa"):
        workflow.extend_deadline(db.session, task, officer, dt.date(2026, 12, 11), "Lần ba")
    assert [e.new_deadline for e in task.extensions] == [
        dt.date(2026, 11, 27),
        dt.date(2026, 12, 4),
    ]
    assert task.original_deadline == dt.date(2026, 11, 20)
    set_now(dt.datetime(2026, 12, 1, 9, 0))
    workflow.submit_report(db.session, task, _report(), _user("stnmt.canbo"))
    workflow.accept_report(db.session, task, officer)
    assert task.completion == "early"


def test_no_extension_while_a_late_report_awaits_review(office_task):
    """R19: a report sent after the deadline stays late; the office cannot extend the
    deadline between the report and its review to make it early."""
    _, task = office_task
    officer = _user("vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 24, 9, 0))
    workflow.submit_report(db.session, task, _report(), _user("stnmt.canbo"))
    assert "extend" not in workflow.permitted_actions(task, officer)
    with pytest.raises(TaskRefused, match="chờ xem xét"):
        workflow.extend_deadline(db.session, task, officer, dt.date(2026, 11, 30), "Gia hạn")
    assert task.deadline == dt.date(2026, 11, 20) and task.extensions == []
    workflow.accept_report(db.session, task, officer)
    assert task.completion == "late"


def test_recall_needs_a_reason_and_closes_the_task(office_task):
    _, task = office_task
    officer = _user("vpub.nhiemvu")
    with pytest.raises(TaskRefused, match="lý do"):
        workflow.recall(db.session, task, officer, "")
    workflow.recall(db.session, task, officer, "Văn bản đã được thay thế bằng Công văn 1300")
    assert task.status == "recalled"
    with pytest.raises(TaskRefused):
        workflow.acknowledge(db.session, task, _user("stnmt.canbo"))
