"""Deadline reminders of complaint dossiers (issue 6; R25; Luật KN Art. 27, 28, 36, 37).

An open dossier runs one legal clock at a time: awaiting acceptance, the acceptance
deadline (``acceptance_due``); accepted, the resolution deadline (``resolution_due``);
suspended, none (the clock is stopped, app.complaints.clocks). The daily run reminds the
agency holding the dossier once per clock, band and deadline — one INSERT … SELECT per
band and clock over every open dossier; the state itself is computed from the dates.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast
from sqlalchemy.orm import Session

from app.complaints.models import ComplaintDossier
from app.notifications.reminders import (
    DUE_SOON,
    DUE_TODAY,
    OVERDUE,
    Band,
    ReminderSource,
    Texts,
    send,
)
from app.petitions.models import Case

ACCEPTANCE_TEXTS = {
    OVERDUE: Texts(
        _l("Complaint %(reference)s, instance %(instance)s: acceptance overdue"),
        _l("The deadline to accept or refuse the complaint was %(deadline)s."),
    ),
    DUE_TODAY: Texts(
        _l("Complaint %(reference)s, instance %(instance)s: acceptance due today"),
        _l("Accept or refuse the complaint by today, %(deadline)s."),
    ),
    DUE_SOON: Texts(
        _l(
            "Complaint %(reference)s, instance %(instance)s: acceptance due within "
            "%(days)s working days"
        ),
        _l("The deadline to accept or refuse the complaint is %(deadline)s."),
    ),
}
RESOLUTION_TEXTS = {
    OVERDUE: Texts(
        _l("Complaint %(reference)s, instance %(instance)s: resolution overdue"),
        _l("The resolution deadline was %(deadline)s."),
    ),
    DUE_TODAY: Texts(
        _l("Complaint %(reference)s, instance %(instance)s: resolution due today"),
        _l("The complaint must be resolved by today, %(deadline)s."),
    ),
    DUE_SOON: Texts(
        _l(
            "Complaint %(reference)s, instance %(instance)s: resolution due within "
            "%(days)s working days"
        ),
        _l("The resolution deadline is %(deadline)s."),
    ),
}
# The clocks: (name, status in which it runs, deadline column, texts).
CLOCKS = (
    ("acceptance", "pending", ComplaintDossier.acceptance_due, ACCEPTANCE_TEXTS),
    ("resolution", "accepted", ComplaintDossier.resolution_due, RESOLUTION_TEXTS),
)


def reminder_sources() -> list[ReminderSource]:
    """One source per legal clock: dossiers whose clock runs, for their holding agency."""
    return [
        ReminderSource(
            key=f"dossier-{clock}",
            kind=f"dossier.{clock}",
            record_id=ComplaintDossier.id,
            agency_id=ComplaintDossier.agency_id,
            due=due,
            reference=Case.code,
            link=None,
            where=[
                ComplaintDossier.case_id == Case.id,
                ComplaintDossier.status == status,
                ComplaintDossier.deleted_at.is_(None),
            ],
            texts=texts,
            values={"instance": cast(ComplaintDossier.instance, String)},
        )
        for clock, status, due, texts in CLOCKS
    ]


def flag_dossiers(session: Session, bands: Sequence[Band]) -> dict[str, int]:
    """R25: remind holding agencies of dossiers whose acceptance or resolution deadline
    is passed, today or near (once per dossier, clock, band and deadline); returns the
    reminders sent per clock and band ("acceptance:overdue" …)."""
    sent: dict[str, int] = {}
    for source in reminder_sources():
        clock = source.key.removeprefix("dossier-")
        for band, count in send(session, source, bands).items():
            sent[f"{clock}:{band}"] = count
    return sent
