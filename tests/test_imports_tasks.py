"""Bulk import of assignment documents and their tasks (issue 7; R3, R13, R20): rows read
and checked as the entry screen does, one document per number/symbol/issue date with a
task per receiving agency, nothing created twice, nothing saved when a row is bad."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.actor import Actor, acting_as
from app.extensions import db
from app.imports.models import DONE, INVALID
from app.imports.service import TASKS, check_upload, dry_run, queue, run_import
from app.tasks.models import AssignmentDocument, Task
from tests.imports_helpers import TASK_HEADERS, csv_file, task_row, xlsx_file
from tests.petitions_intake_helpers import freeze_now, user


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(AssignmentDocument.__table__)),
        db.session.scalar(select(func.count()).select_from(Task.__table__)),
    )


def _import(data: bytes, username: str = "caolanh.quantri", name: str = "nhiem-vu.xlsx"):
    account = user(username)
    with acting_as(Actor(account.id, account.username, account.agency_id)):
        batch = check_upload(db.session, TASKS, name, data, account)
        db.session.commit()
        if batch.status == INVALID:
            return batch
        queue(db.session, batch)
        db.session.commit()
        return run_import(db.session, batch.id, account)


@pytest.fixture
def clock(app_ctx):
    freeze_now()
    return app_ctx


def _two_receivers() -> list[dict]:
    return [
        task_row(),
        task_row(**{"Mã cơ quan nhận nhiệm vụ": "DT17-866-TCD", "Vai trò": "Phối hợp"}),
    ]


def test_one_document_with_a_task_per_receiving_agency(clock):
    batch = _import(xlsx_file(TASK_HEADERS, _two_receivers()))
    assert (batch.status, batch.rows_created) == (DONE, 2)
    document = db.session.scalar(
        select(AssignmentDocument).where(AssignmentDocument.number == "125")
    )
    assert document.reference == "125/UBND-TCD"
    assert document.assigning_agency.code == "DT17-866-UB"
    assert document.office_agency.code == "DT17-866-VP"  # the office operating it (R3)
    assert {(t.receiving_agency.code, t.role) for t in document.tasks} == {
        ("DT17-866-TT", "lead"),
        ("DT17-866-TCD", "support"),
    }
    assert all(str(t.deadline) == "2026-04-30" for t in document.tasks)


def test_importing_again_creates_nothing_twice_and_adds_a_new_receiver(clock):
    _import(xlsx_file(TASK_HEADERS, _two_receivers()))
    before = _counts()
    again = _import(csv_file(TASK_HEADERS, _two_receivers()), name="nhiem-vu.csv")
    assert (again.status, again.rows_created, again.rows_existing) == (DONE, 0, 2)
    assert _counts() == before
    more = [*_two_receivers(), task_row(**{"Mã cơ quan nhận nhiệm vụ": "DT17-29881-UB"})]
    added = _import(csv_file(TASK_HEADERS, more), name="nhiem-vu-bo-sung.csv")
    assert (added.rows_created, added.rows_existing) == (1, 2)
    assert _counts() == (before[0], before[1] + 1)


def test_bad_rows_are_listed_and_nothing_is_saved(clock):
    rows = [
        task_row(),
        task_row(**{"Mã cơ quan nhận nhiệm vụ": "DT17-866-TCD", "Độ mật": "Mật"}),  # R20
        task_row(**{"Mã cơ quan nhận nhiệm vụ": "DT17-876-UB"}),  # not subordinate
        task_row(**{"Mã cơ quan nhận nhiệm vụ": "DT17-866-TCD", "Thời hạn": ""}),  # R20
        task_row(**{"Mã cơ quan nhận nhiệm vụ": "DT17-866-TCD", "Trích yếu": "Khác"}),
        task_row(**{"Số văn bản": "126", "Mã cơ quan giao nhiệm vụ": "DT17-UBT"}),  # scope
    ]
    before = _counts()
    batch = _import(csv_file(TASK_HEADERS, rows), name="nhiem-vu.csv")
    assert batch.status == INVALID
    found = {(e["line"], e["column"]): e["message"] for e in batch.errors}
    assert found[(3, "Độ mật")].startswith("Văn bản có độ mật (Mật) không được cập nhật")
    assert "không trực thuộc" in found[(4, "Mã cơ quan nhận nhiệm vụ")]
    assert "không có thời hạn" in found[(5, "Thời hạn")]
    assert found[(6, "Trích yếu")] == "Khác với dòng 2 của cùng văn bản."
    assert found[(7, "Mã cơ quan giao nhiệm vụ")] == (
        "Chỉ văn phòng theo dõi của cơ quan giao nhiệm vụ mới được nhập văn bản này."
    )
    assert {line for line, _ in found} == {3, 4, 5, 6, 7}
    assert _counts() == before


def test_dry_run_of_tasks_changes_nothing(clock):
    before = _counts()
    account = user("caolanh.quantri")
    result = dry_run(db.session, TASKS, "a.csv", csv_file(TASK_HEADERS, _two_receivers()), account)
    assert result.ok and result.new_count == 2
    assert _counts() == before
