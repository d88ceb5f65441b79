"""Excel export of the filtered petition list (R8): exactly the rows the list shows.

Times New Roman (the font of Vietnamese administrative documents), a bold header row
with Vietnamese column titles, dates dd/mm/yyyy, frozen header and a filter on it. Rows
stream through xlsxwriter's constant-memory mode, so a long list does not fill memory.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext
from sqlalchemy import Select
from sqlalchemy.orm import Session

from app.calendar.workdays import WorkingCalendar
from app.core.clock import to_local
from app.petitions.choices import CHANNELS, KINDS, REPEAT_KINDS, STATUSES
from app.petitions.deadlines import deadline_state
from app.petitions.listing import DUE_SOON_WORKING_DAYS, petitioner, row_options
from app.petitions.models import Petition
from app.ui.list_workbook import batched_records, list_workbook

# Rows read from the database at a time.


def deadline_labels() -> dict[str, str]:
    """Vietnamese names of the deadline states (app.petitions.deadlines)."""
    return {
        "done": gettext("Processed"),
        "overdue": gettext("Overdue"),
        "due_today": gettext("Due today"),
        "due_soon": gettext("Due soon"),
        "on_track": gettext("On track"),
    }


def _columns() -> list[tuple[str, int]]:
    return [
        (gettext("No."), 6),
        (gettext("Register number"), 12),
        (gettext("Date received"), 12),
        (gettext("Receiving agency"), 32),
        (gettext("Petitioner"), 24),
        (gettext("Address"), 36),
        (gettext("Signatories"), 10),
        (gettext("Petition kind"), 12),
        (gettext("Subject area"), 28),
        (gettext("Summary"), 60),
        (gettext("Channel"), 22),
        (gettext("Repeat submission"), 28),
        (gettext("Status"), 22),
        (gettext("Processing deadline"), 12),
        (gettext("Deadline state"), 14),
    ]


def _address(petition: Petition) -> str:
    citizen = petitioner(petition)
    if citizen is None:
        return ""
    parts = [citizen.address_detail, citizen.commune.name if citizen.commune else None]
    return ", ".join(part for part in parts if part)


def _row(petition: Petition, today: dt.date, calendar: WorkingCalendar) -> list:
    citizen = petitioner(petition)
    state = deadline_state(petition, today, calendar, due_soon_working_days=DUE_SOON_WORKING_DAYS)
    return [
        petition.register_code,
        to_local(petition.received_at).date(),
        petition.agency.name,
        citizen.full_name if citizen else gettext("Anonymous"),
        _address(petition),
        petition.signatory_count,
        str(KINDS.get(petition.kind, petition.kind)),
        petition.subject_area.name if petition.subject_area else "",
        petition.summary,
        str(CHANNELS.get(petition.channel, petition.channel)),
        str(REPEAT_KINDS.get(petition.repeat_kind, "")) if petition.is_repeat else "",
        str(STATUSES.get(petition.status, petition.status)),
        petition.due_date,
        deadline_labels()[state],
    ]


def petitions_workbook(
    session: Session,
    query: Select,
    *,
    title: str,
    today: dt.date,
    calendar: WorkingCalendar,
) -> bytes:
    """R8: an .xlsx of the petitions ``query`` selects (app.petitions.listing), in its
    order: a title row, the header row, then one row per petition."""
    petitions = batched_records(session, query, row_options())
    return list_workbook(
        sheet_name=gettext("Petitions"),
        title=title,
        columns=_columns(),
        rows=(_row(petition, today, calendar) for petition in petitions),
    )
