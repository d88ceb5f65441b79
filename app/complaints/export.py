"""Excel export of the filtered dossier list (R8): exactly the rows the list shows, with
the decision's results as the forms count them (money in million VND, land in m²).

Times New Roman, a bold header row with Vietnamese column titles, dates dd/mm/yyyy,
frozen header and a filter on it; rows stream through xlsxwriter's constant-memory mode.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.calendar.workdays import WorkingCalendar
from app.complaints.choices import (
    DECISION_MODES,
    DECISION_RESULT_LABELS,
    DOSSIER_STATUSES,
    FIRST_INSTANCE_RESULTS,
    SECOND_INSTANCE_RESULTS,
)
from app.complaints.clock_display import STATE_LABELS, list_state
from app.complaints.listing import complainant, row_options
from app.complaints.models import ComplaintDossier
from app.ui.list_workbook import batched_records, list_workbook

RESULTS = {**FIRST_INSTANCE_RESULTS, **SECOND_INSTANCE_RESULTS}
# Results of the decision exported, in the forms' order.
RESULT_COLUMNS = (
    "money_to_state",
    "land_to_state",
    "money_to_organisations",
    "land_to_organisations",
    "money_to_individuals",
    "land_to_individuals",
    "organisations_restored",
    "individuals_restored",
    "persons_for_sanction",
    "officials_for_sanction",
    "cases_to_investigators",
    "persons_to_investigators",
    "officials_to_investigators",
)


def result_titles() -> dict[str, str]:
    """Vietnamese titles of the decision's results (columns, the page)."""
    return {name: str(label) for name, label in DECISION_RESULT_LABELS.items()}


def _columns() -> list[tuple[str, int]]:
    titles = result_titles()
    return [
        (gettext("No."), 6),
        (gettext("Case"), 16),
        (gettext("Matter of the complaint"), 50),
        (gettext("Complainant"), 24),
        (gettext("Complainants"), 10),
        (gettext("Resolving agency"), 30),
        (gettext("Instance of resolution"), 8),
        (gettext("Status"), 22),
        (gettext("Date received"), 12),
        (gettext("Acceptance deadline"), 12),
        (gettext("Accepted on"), 12),
        (gettext("Complex case"), 10),
        (gettext("Remote area"), 10),
        (gettext("Resolution deadline"), 12),
        (gettext("Deadline state"), 14),
        (gettext("Decision number"), 16),
        (gettext("Decision date"), 12),
        (gettext("Form of resolution"), 24),
        (gettext("Result of the resolution"), 24),
        (gettext("Resolved within the time limit"), 12),
        *((titles[name], 14) for name in RESULT_COLUMNS),
    ]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


def _row(dossier: ComplaintDossier, today: dt.date, calendar: WorkingCalendar) -> list:
    citizen = complainant(dossier)
    decision = dossier.decision
    results = [getattr(decision, name) if decision else None for name in RESULT_COLUMNS]
    return [
        dossier.case.code,
        dossier.case.title,
        citizen.full_name if citizen else gettext("Anonymous"),
        dossier.petition.signatory_count,
        dossier.agency.name,
        dossier.instance,
        str(DOSSIER_STATUSES.get(dossier.status, dossier.status)),
        dossier.received_on,
        dossier.acceptance_due,
        dossier.accepted_on,
        _yes_no(dossier.complex_case),
        _yes_no(dossier.remote_area),
        dossier.resolution_due,
        str(STATE_LABELS[list_state(dossier, today, calendar)]),
        decision.number if decision else None,
        decision.decided_on if decision else None,
        str(DECISION_MODES.get(decision.mode, "")) if decision else None,
        str(RESULTS.get(decision.result, "")) if decision and decision.result else None,
        _yes_no(dossier.resolved_in_time),
        *results,
    ]


def dossiers_workbook(
    session: Session, query: Select, *, title: str, today: dt.date, calendar: WorkingCalendar
) -> bytes:
    """R8: an .xlsx of the dossiers ``query`` selects (app.complaints.listing), in its
    order: a title row, the header row, one row per dossier."""
    dossiers = batched_records(session, query, row_options())
    return list_workbook(
        sheet_name=gettext("Complaint dossiers"),
        title=title,
        columns=_columns(),
        rows=(_row(dossier, today, calendar) for dossier in dossiers),
    )
