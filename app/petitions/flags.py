"""Deadline reminders of petitions awaiting processing (issue 6; R25).

A petition is open while its status is one of ``OPEN_STATUSES`` and it has a processing
deadline (app.petitions.deadlines); its state is computed on the fly from that deadline,
so the daily run stores no flag: it reminds the agency holding the petition once when
the deadline comes within the configured working days, once on the day, and once when
it is passed — one INSERT … SELECT per band over every open petition.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, literal
from sqlalchemy.orm import Session

from app.notifications.reminders import (
    DUE_SOON,
    DUE_TODAY,
    OVERDUE,
    Band,
    ReminderSource,
    Texts,
    send,
)
from app.petitions.choices import OPEN_STATUSES
from app.petitions.models import Petition

TEXTS = {
    OVERDUE: Texts(
        _l("Petition %(reference)s is overdue"),
        _l("The processing deadline was %(deadline)s. Summary: %(summary)s"),
    ),
    DUE_TODAY: Texts(
        _l("Petition %(reference)s is due today"),
        _l("Process it by today, %(deadline)s. Summary: %(summary)s"),
    ),
    DUE_SOON: Texts(
        _l("Petition %(reference)s is due within %(days)s working days"),
        _l("Processing deadline %(deadline)s. Summary: %(summary)s"),
    ),
}


def reminder_source() -> ReminderSource:
    """Open petitions with a processing deadline, for reminders to the holding agency."""
    reference = (
        cast(Petition.register_number, String)
        .concat("/")
        .concat(cast(Petition.register_year, String))
    )
    return ReminderSource(
        key="petition",
        kind="petition",
        record_id=Petition.id,
        agency_id=Petition.agency_id,
        due=Petition.due_date,
        reference=reference,
        link=literal("/petitions/", String).concat(cast(Petition.id, String)),
        where=[Petition.status.in_(OPEN_STATUSES), Petition.deleted_at.is_(None)],
        texts=TEXTS,
        values={"summary": func.substr(Petition.summary, 1, 300)},
    )


def flag_petitions(session: Session, bands: Sequence[Band]) -> dict[str, int]:
    """R25: remind holding agencies of open petitions overdue, due today or due soon
    (once per petition, band and deadline); returns the reminders sent per band."""
    return send(session, reminder_source(), bands)
