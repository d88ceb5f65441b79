"""Assignment documents and reports of the demo province for the task tests: the Office of
the Provincial PC assigns the review of long-running land complaints to the Department
of Natural Resources and Environment and to the Cao Lãnh city inspectorate, with signed
PDFs made in the test (a throwaway self-signed certificate, tests/sample_files.py)."""

from __future__ import annotations

import base64
import datetime as dt
import functools
from typing import Any

from sqlalchemy import select

from app.agencies.models import Agency
from app.core.clock import set_now
from app.extensions import db
from app.files.storage import Incoming
from app.security.models import AppUser
from app.tasks import actions
from app.tasks.models import AssignmentDocument, Task
from app.tasks.workflow import ReportData
from tests import sample_files

PROVINCE = "DT17-UBT"
DEPARTMENT = "DT17-STNMT"
CITY_INSPECTORATE = "DT17-866-TT"
# Monday 02/11/2026, 10:00: the document is entered the morning it is issued.
ENTERED = dt.datetime(2026, 11, 2, 10, 0)
SUMMARY = "Về việc rà soát, giải quyết dứt điểm các vụ khiếu nại đông người kéo dài về đất đai"

# The entry form as an officer fills it in (web field names).
DOCUMENT_FORM = {
    "assigning_agency_id": "",
    "doc_type": "cong_van",
    "number": "1250",
    "symbol": "UBND-HC",
    "issued_at": "02/11/2026 09:30",
    "summary": SUMMARY,
    "director_name": "Phạm Thiện Nghĩa",
    "signer_name": "Đoàn Tấn Bửu",
    "drafter_name": "Trần Thị Thu",
    "secrecy_grade": "none",
    "default_deadline": "20/11/2026",
    "receivers-0-agency_id": "",
    "receivers-0-agency_label": "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp",
    "receivers-0-role": "lead",
    "receivers-0-deadline": "",
    "receivers-1-agency_id": "",
    "receivers-1-agency_label": "Thanh tra thành phố Cao Lãnh",
    "receivers-1-role": "support",
    "receivers-1-deadline": "25/11/2026",
    "other_info": "Báo cáo gửi kèm danh sách các vụ việc đã giải quyết",
}
REPORT_FORM = {
    "doc_name": "Báo cáo kết quả rà soát các vụ khiếu nại đông người",
    "doc_number": "312",
    "doc_symbol": "BC-STNMT",
    "doc_summary": "Kết quả rà soát 14 vụ khiếu nại đông người về đất đai trên địa bàn tỉnh",
    "doc_date": "18/11/2026",
    "doc_signer": "Nguyễn Văn Bình",
}


def agency(code: str) -> Agency:
    """The demo agency ``code``."""
    return db.session.scalar(select(Agency).where(Agency.code == code))


def user(username: str) -> AppUser:
    """The demo account ``username``."""
    return db.session.scalar(select(AppUser).where(AppUser.username == username))


@functools.cache
def signer():
    """One throwaway signing identity for the whole test session (keys are slow to make)."""
    return sample_files.signing_identity("Đoàn Tấn Bửu", "Ủy ban nhân dân tỉnh Đồng Tháp")[0]


@functools.cache
def signed_document(text: str = "Cong van 1250/UBND-HC giao nhiem vu") -> bytes:
    """A PDF signed with ``signer()``."""
    return sample_files.signed_pdf(signer(), text)


def unsigned_document() -> bytes:
    """A plain PDF without any signature (a scan, say)."""
    return sample_files.minimal_pdf("Bao cao ket qua ra soat")


def as_json_file(filename: str, data: bytes) -> dict[str, str]:
    """A file as the REST API takes it."""
    return {"filename": filename, "content": base64.b64encode(data).decode()}


def document_form(**changes: str) -> dict[str, Any]:
    """The entry form with the demo agencies' ids filled in."""
    form = dict(DOCUMENT_FORM)
    form["assigning_agency_id"] = str(agency(PROVINCE).id)
    form["receivers-0-agency_id"] = str(agency(DEPARTMENT).id)
    form["receivers-1-agency_id"] = str(agency(CITY_INSPECTORATE).id)
    form.update(changes)
    return form


def enter_document(officer: str = "vpub.nhiemvu", at: dt.datetime = ENTERED) -> AssignmentDocument:
    """Enter the demo document through the service (as the form would) and commit."""
    from app.tasks.forms import form_receiver_rows, parse_document

    set_now(at)
    form = document_form()
    data, errors = parse_document(form, form_receiver_rows(form))
    assert not errors, errors
    with actions.saving(db.session) as written:
        document = actions.enter_document(
            db.session,
            data,
            Incoming("1250-UBND-HC.pdf", signed_document()),
            [],
            user(officer),
            written,
        )
    return document


def task_of(document: AssignmentDocument, code: str) -> Task:
    """The task of the receiving agency ``code``."""
    return next(task for task in document.tasks if task.receiving_agency.code == code)


def report_data(**changes: Any) -> ReportData:
    """The demo report as the service takes it."""
    values = {**REPORT_FORM, "doc_date": dt.date(2026, 11, 18), **changes}
    return ReportData(**values)


def send_report(task: Task, at: dt.datetime, username: str = "stnmt.canbo") -> None:
    """The agency sends the demo report at ``at`` (Vietnamese time) and it is committed."""
    set_now(at)
    with actions.saving(db.session) as written:
        actions.report(
            db.session,
            task,
            task.version_id,
            report_data(doc_date=at.date()),
            Incoming("bao-cao-312.pdf", signed_document("Bao cao 312/BC-STNMT")),
            [],
            user(username),
            written,
        )
