"""The task loop as a state machine, checked server-side (R13–R20).

    assigned --acknowledge--> received --report--> reported --accept--> accepted
        |                        ^                     |
        +--------report----------+  returned <--return-+   (report again, R18)
    any open state --recall--> recalled;  open states --extend--> same state, new deadline

Who may act: the office operating the assigning agency (task officers) enters and
corrects documents, reviews, extends and recalls (R3, R13, R17); the receiving agency's
staff acknowledge and report (R15, R16). A refused transition raises ``TaskRefused`` (a
translated message, the field it concerns) and changes nothing; ``TaskNotPermitted`` when
the user may not act at all, ``TaskConflict`` when the record changed since the user
loaded it (optimistic locking). Timeliness comes from app.tasks.timing (app.calendar
underneath).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.audit.since import what_changed
from app.calendar.store import load_calendar
from app.core.clock import now_utc, to_local, today_local
from app.petitions.models import Petition
from app.security import roles
from app.security.scope import agency_in_scope, role_names, scope_condition
from app.tasks.choices import DOC_TYPES, OPEN_STATUSES, ROLES, SECRECY_GRADES, STATUSES
from app.tasks.models import AssignmentDocument, Task, TaskExtension, TaskReport
from app.tasks.timing import (
    completion_of,
    document_entry_timeliness,
    report_entry_timeliness,
    review_timeliness,
)

# How many times the office may extend one task's deadline.
MAX_EXTENSIONS = 2
# A deadline may be extended while the agency still owes the work, never while its report
# awaits review: the report was sent against the deadline then in force (R19), and an
# extension granted afterwards would turn a late report into an early one.
EXTENDABLE_STATUSES = ("assigned", "received", "returned")
_OFFICE_ROLES = {roles.TASK_OFFICER, roles.SYSADMIN}
_AGENCY_ROLES = {roles.AGENCY_STAFF, roles.SYSADMIN}


class TaskRefused(Exception):
    """A transition or entry the rules refuse; ``field`` names the form field if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class TaskNotPermitted(TaskRefused):
    """The user may not take this action on this record at all (role or agency)."""


class TaskConflict(TaskRefused):
    """The record was changed by someone else since the user loaded it."""

    def __init__(self, changed: str = "") -> None:
        message = gettext(
            "Someone else changed this record while you were working on it; nothing was "
            "saved. Look at the page as it is now and do it again if still needed."
        )
        super().__init__(f"{message} {changed}".strip())


def check_version(record: Any, version_id: int | None) -> None:
    """Optimistic locking: refuse an action based on a stale copy of ``record``, saying
    what others changed since the user's version."""
    if version_id != record.version_id:
        raise TaskConflict(what_changed(record, version_id))


@dataclass
class ReceivingAssignment:
    """One receiving agency of a document, with its own deadline and role."""

    agency_id: int
    deadline: dt.date | None = None
    role: str = "lead"


@dataclass
class AssignmentData:
    """What the office enters for an assignment document (R13)."""

    assigning_agency_id: int
    doc_type: str
    number: str
    symbol: str
    summary: str
    issued_at: dt.datetime
    director_name: str
    signer_name: str
    drafter_name: str
    secrecy_grade: str
    default_deadline: dt.date | None
    receivers: list[ReceivingAssignment] = field(default_factory=list)
    other_info: str | None = None
    petition_id: int | None = None


@dataclass
class ReportData:
    """What a receiving agency enters for a report (R16)."""

    doc_name: str
    doc_number: str
    doc_symbol: str
    doc_summary: str
    doc_date: dt.date
    doc_signer: str
    other_info: str | None = None


# Text fields of a document and a report: (field, label msgid, length limit).
DOCUMENT_TEXTS = (
    ("number", _l("the document number"), 30),
    ("symbol", _l("the document symbol"), 60),
    ("summary", _l("the document summary"), 1000),
    ("director_name", _l("the person directing the task"), 150),
    ("signer_name", _l("the signer"), 150),
    ("drafter_name", _l("the drafting official"), 150),
)
REPORT_TEXTS = (
    ("doc_name", _l("the name of the report document"), 255),
    ("doc_number", _l("the number of the report document"), 30),
    ("doc_symbol", _l("the symbol of the report document"), 60),
    ("doc_summary", _l("the summary of the report document"), 1000),
    ("doc_signer", _l("the signer of the report document"), 150),
)
REASON_LIMIT = 2000


def _require_role(user: Any, allowed: set[str]) -> None:
    if not role_names(user) & allowed:
        raise TaskNotPermitted(gettext("Your account may not do this."))


def _require_office(user: Any, document: AssignmentDocument) -> None:
    _require_role(user, _OFFICE_ROLES)
    if not (
        agency_in_scope(document.office_agency_id, user)
        or agency_in_scope(document.assigning_agency_id, user)
    ):
        raise TaskNotPermitted(gettext("Only the assigning agency's office may do this."))


def _require_receiver(user: Any, task: Task) -> None:
    _require_role(user, _AGENCY_ROLES)
    if not agency_in_scope(task.receiving_agency_id, user):
        raise TaskNotPermitted(gettext("Only the receiving agency may do this."))


def _require_status(task: Task, allowed: tuple[str, ...]) -> None:
    if task.status not in allowed:
        raise TaskRefused(
            gettext(
                "Not possible while the task is “%(status)s”.",
                status=STATUSES.get(task.status, task.status),
            )
        )


def required_text(value: str | None, field_name: str, label: Any, limit: int) -> str:
    """The trimmed text of a required field; TaskRefused (on ``field_name``) when empty
    or longer than ``limit``. ``label`` names the field (a lazy message)."""
    text = (value or "").strip()
    if not text:
        raise TaskRefused(gettext("Enter %(what)s.", what=label), field_name)
    if len(text) > limit:
        raise TaskRefused(
            gettext("At most %(limit)s characters.", limit=limit),
            field_name,
        )
    return text


def check_secrecy(grade: str | None) -> None:
    """R20 (Art. 7(1)): a document under a secrecy grade is never entered; the grade must
    be stated explicitly."""
    if grade not in SECRECY_GRADES:
        raise TaskRefused(gettext("State the secrecy grade of the document."), "secrecy_grade")
    if grade != "none":
        raise TaskRefused(
            gettext(
                "A document issued under a secrecy grade (%(grade)s) is not entered in the "
                "software (Art. 7 of the Regulation issued with Decision 1122/QĐ-UBND-HC).",
                grade=SECRECY_GRADES[grade],
            ),
            "secrecy_grade",
        )


def check_deadlines(default: dt.date | None, receivers: list[ReceivingAssignment]) -> None:
    """R20 (Art. 7(1)): a task without a deadline is not entered."""
    if default is None and (not receivers or any(r.deadline is None for r in receivers)):
        raise TaskRefused(
            gettext(
                "A task without a deadline is not entered in the software (Art. 7 of the "
                "Regulation issued with Decision 1122/QĐ-UBND-HC)."
            ),
            "default_deadline",
        )


def check_petition_link(session: Session, petition_id: int | None, user: Any) -> None:
    """A document may be linked to a petition (and so its complaint dossier) the user can
    see (R11)."""
    if petition_id is None:
        return
    found = session.scalar(
        select(Petition.id).where(Petition.id == petition_id, scope_condition(Petition, user))
    )
    if found is None:
        raise TaskRefused(gettext("Choose a petition of your agency from the list."), "petition_id")


def validate_assignment(session: Session, data: AssignmentData, user: Any) -> Agency:
    """R3, R13, R20: everything an assignment document needs before it may be saved.
    Returns the assigning agency."""
    _require_role(user, _OFFICE_ROLES)
    check_secrecy(data.secrecy_grade)
    check_deadlines(data.default_deadline, data.receivers)
    if data.doc_type not in DOC_TYPES:
        raise TaskRefused(gettext("Choose the type of document."), "doc_type")
    for name, label, limit in DOCUMENT_TEXTS:
        setattr(data, name, required_text(getattr(data, name), name, label, limit))
    if data.issued_at > now_utc():
        raise TaskRefused(gettext("The issue time cannot be in the future."), "issued_at")
    assigning = session.get(Agency, data.assigning_agency_id)
    if assigning is None or not assigning.assigns_tasks:
        raise TaskRefused(
            gettext("This agency does not assign tasks (Art. 2(2))."), "assigning_agency_id"
        )
    office_id = assigning.operating_office_id or assigning.id
    if not (agency_in_scope(office_id, user) or agency_in_scope(assigning.id, user)):
        raise TaskRefused(
            gettext("Only the office operating the assigning agency may enter its documents."),
            "assigning_agency_id",
        )
    check_petition_link(session, data.petition_id, user)
    if not data.receivers:
        raise TaskRefused(gettext("Choose at least one receiving agency."), "receivers")
    seen: set[int] = set()
    issue_day = to_local(data.issued_at).date()
    for receiver in data.receivers:
        agency = session.get(Agency, receiver.agency_id)
        if agency is None or agency.id in seen:
            raise TaskRefused(
                gettext("A receiving agency is unknown or chosen twice."), "receivers"
            )
        seen.add(agency.id)
        if agency.id == assigning.id or not agency.path.startswith(assigning.path):
            raise TaskRefused(
                gettext(
                    "“%(agency)s” is not subordinate to “%(assigning)s”, so it does not "
                    "receive this agency's tasks (Art. 2(2)).",
                    agency=agency.name,
                    assigning=assigning.name,
                ),
                "receivers",
            )
        if receiver.role not in ROLES:
            raise TaskRefused(gettext("Choose lead or supporting agency."), "receivers")
        deadline = receiver.deadline or data.default_deadline
        if deadline is not None and deadline < issue_day:
            raise TaskRefused(gettext("A deadline cannot be before the issue date."), "receivers")
    return assigning


def create_assignment(session: Session, data: AssignmentData, user: Any) -> AssignmentDocument:
    """R13, R14: save the document and one task per receiving agency; the entry time is
    stamped now and judged against the issue time (15:00 rule)."""
    assigning = validate_assignment(session, data, user)
    entered_at = now_utc()
    calendar = load_calendar(session)
    entry = document_entry_timeliness(calendar, data.issued_at, entered_at)
    document = AssignmentDocument(
        assigning_agency_id=assigning.id,
        office_agency_id=assigning.operating_office_id or assigning.id,
        doc_type=data.doc_type,
        number=data.number,
        symbol=data.symbol,
        summary=data.summary,
        issued_at=data.issued_at,
        director_name=data.director_name,
        signer_name=data.signer_name,
        drafter_name=data.drafter_name,
        secrecy_grade=data.secrecy_grade,
        default_deadline=data.default_deadline
        or min(r.deadline for r in data.receivers if r.deadline),
        other_info=data.other_info,
        petition_id=data.petition_id,
        entered_at=entered_at,
        entry_timeliness=entry.status.value,
    )
    session.add(document)
    for receiver in data.receivers:
        deadline = receiver.deadline or data.default_deadline
        session.add(
            Task(
                document=document,
                receiving_agency_id=receiver.agency_id,
                role=receiver.role,
                deadline=deadline,
                original_deadline=deadline,
            )
        )
    session.flush()
    return document


def acknowledge(session: Session, task: Task, user: Any) -> None:
    """R15: the receiving agency confirms it received the task (who, when)."""
    _require_receiver(user, task)
    _require_status(task, ("assigned",))
    task.status = "received"
    task.acknowledged_at = now_utc()
    task.acknowledged_by_id = user.id
    session.flush()


def submit_report(session: Session, task: Task, data: ReportData, user: Any) -> TaskReport:
    """R16, R18: the receiving agency sends a report (again after a return); the server
    stamps the sending time, and the report's entry timeliness is judged (15:00 rule)."""
    _require_receiver(user, task)
    _require_status(task, ("assigned", "received", "returned"))
    for name, label, limit in REPORT_TEXTS:
        setattr(data, name, required_text(getattr(data, name), name, label, limit))
    sent_at = now_utc()
    if data.doc_date is None:
        raise TaskRefused(gettext("Enter the date of the report document."), "doc_date")
    if data.doc_date > today_local():
        raise TaskRefused(gettext("The report's date cannot be after today."), "doc_date")
    if task.status == "assigned":
        task.acknowledged_at = sent_at
        task.acknowledged_by_id = user.id
    calendar = load_calendar(session)
    report = TaskReport(
        task=task,
        round=len(task.reports) + 1,
        doc_name=data.doc_name,
        doc_number=data.doc_number,
        doc_symbol=data.doc_symbol,
        doc_summary=data.doc_summary,
        doc_date=data.doc_date,
        doc_signer=data.doc_signer,
        other_info=data.other_info,
        sent_at=sent_at,
        sent_by_id=user.id,
        entry_timeliness=report_entry_timeliness(calendar, data.doc_date, sent_at).status.value,
    )
    session.add(report)
    task.status = "reported"
    session.flush()
    return report


def pending_report(task: Task) -> TaskReport | None:
    """The last report of the task while it awaits the office's review, else None."""
    report = task.reports[-1] if task.reports else None
    return report if report is not None and report.verdict is None else None


def _pending_report(task: Task) -> TaskReport:
    report = pending_report(task)
    if report is None:
        raise TaskRefused(gettext("No report is waiting for review."))
    return report


def accept_report(session: Session, task: Task, user: Any) -> TaskReport:
    """R17, R19: the office confirms the report; the task is completed and classified
    early / on time / late by that report's sending time."""
    _require_office(user, task.document)
    _require_status(task, ("reported",))
    report = _pending_report(task)
    reviewed_at = now_utc()
    calendar = load_calendar(session)
    report.verdict = "accepted"
    report.reviewed_at = reviewed_at
    report.reviewed_by_id = user.id
    report.review_timeliness = review_timeliness(calendar, report.sent_at, reviewed_at).status.value
    task.status = "accepted"
    task.completed_at = report.sent_at
    task.completion = completion_of(task.deadline, report.sent_at).status.value
    task.overdue = False
    session.flush()
    return report


def return_report(session: Session, task: Task, user: Any, reason: str) -> TaskReport:
    """R17, R18: the office marks the report not yet satisfactory, with a required
    reason; the task goes back to the agency, which reports again."""
    _require_office(user, task.document)
    _require_status(task, ("reported",))
    reason = required_text(
        reason, "reason", _l("the reason it is not yet satisfactory"), REASON_LIMIT
    )
    report = _pending_report(task)
    reviewed_at = now_utc()
    calendar = load_calendar(session)
    report.verdict = "returned"
    report.verdict_reason = reason
    report.reviewed_at = reviewed_at
    report.reviewed_by_id = user.id
    report.review_timeliness = review_timeliness(calendar, report.sent_at, reviewed_at).status.value
    task.status = "returned"
    task.returns_count += 1
    session.flush()
    return report


def extend_deadline(
    session: Session, task: Task, user: Any, new_deadline: dt.date | None, reason: str
) -> TaskExtension:
    """The assigning office extends the deadline of a task the agency still owes (not one
    whose report awaits review, R19), with a reason, at most MAX_EXTENSIONS times; each
    extension is kept."""
    _require_office(user, task.document)
    if task.status == "reported":
        raise TaskRefused(
            gettext(
                "A report awaits review: review it first. A deadline is not extended "
                "after the report was sent against it."
            )
        )
    _require_status(task, EXTENDABLE_STATUSES)
    if len(task.extensions) >= MAX_EXTENSIONS:
        raise TaskRefused(
            gettext("A task may be extended at most %(count)s times.", count=MAX_EXTENSIONS)
        )
    if new_deadline is None:
        raise TaskRefused(gettext("Enter the new deadline."), "new_deadline")
    if new_deadline <= task.deadline:
        raise TaskRefused(
            gettext("The new deadline must be after the current one."), "new_deadline"
        )
    reason = required_text(reason, "reason", _l("the reason for the extension"), REASON_LIMIT)
    extension = TaskExtension(
        task=task,
        at=now_utc(),
        by_id=user.id,
        old_deadline=task.deadline,
        new_deadline=new_deadline,
        reason=reason,
    )
    session.add(extension)
    task.deadline = new_deadline
    session.flush()
    return extension


def recall(session: Session, task: Task, user: Any, reason: str) -> None:
    """The assigning office withdraws an open task, with a reason (who and when kept)."""
    _require_office(user, task.document)
    _require_status(task, OPEN_STATUSES)
    task.recalled_reason = required_text(
        reason, "reason", _l("the reason for the recall"), REASON_LIMIT
    )
    task.recalled_at = now_utc()
    task.recalled_by_id = user.id
    task.status = "recalled"
    task.overdue = False
    session.flush()


@dataclass
class DocumentCorrection:
    """What the office may correct on an entered document (R13); the issue time, the
    entry judgement (R14), the receiving agencies and deadlines are not corrected here."""

    doc_type: str
    number: str
    symbol: str
    summary: str
    director_name: str
    signer_name: str
    drafter_name: str
    other_info: str | None = None
    petition_id: int | None = None


def correct_document(
    session: Session, document: AssignmentDocument, data: DocumentCorrection, user: Any
) -> None:
    """R13, R25: the office corrects the descriptive fields of a document it entered."""
    _require_office(user, document)
    if data.doc_type not in DOC_TYPES:
        raise TaskRefused(gettext("Choose the type of document."), "doc_type")
    values = {
        name: required_text(getattr(data, name), name, label, limit)
        for name, label, limit in DOCUMENT_TEXTS
    }
    if data.petition_id != document.petition_id:
        check_petition_link(session, data.petition_id, user)
    for name, value in values.items():
        setattr(document, name, value)
    document.doc_type = data.doc_type
    document.other_info = (data.other_info or "").strip() or None
    document.petition_id = data.petition_id
    session.flush()


def permitted_actions(task: Task, user: Any) -> set[str]:
    """The steps ``user`` may take on ``task`` now (the screens offer only these; each is
    checked again when taken): acknowledge, report, accept, return, extend, recall."""
    allowed: set[str] = set()
    checks = {
        "acknowledge": (lambda: _require_receiver(user, task), ("assigned",)),
        "report": (lambda: _require_receiver(user, task), ("assigned", "received", "returned")),
        "accept": (lambda: _require_office(user, task.document), ("reported",)),
        "return": (lambda: _require_office(user, task.document), ("reported",)),
        "extend": (lambda: _require_office(user, task.document), EXTENDABLE_STATUSES),
        "recall": (lambda: _require_office(user, task.document), OPEN_STATUSES),
    }
    for action, (may_act, statuses) in checks.items():
        if task.status not in statuses:
            continue
        try:
            may_act()
        except TaskNotPermitted:
            continue
        allowed.add(action)
    if len(task.extensions) >= MAX_EXTENSIONS:
        allowed.discard("extend")
    return allowed


def may_correct(document: AssignmentDocument, user: Any) -> bool:
    """True when ``user`` may correct ``document`` (its office's task officers)."""
    try:
        _require_office(user, document)
    except TaskNotPermitted:
        return False
    return True
