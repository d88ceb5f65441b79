"""Reference data every installation starts with (idempotent; administrators edit it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.agencies.kinds import seed_agency_kinds
from app.audit.setup import ensure_chain_head
from app.calendar.rules import seed_time_limit_rules
from app.complaints.seeds import seed_complaint_grounds
from app.petitions.seeds import seed_petition_lists


def seed_reference_data(session: Session) -> None:
    """Audit chain head, agency kinds, legal time limits, subject areas, reasons and the
    grounds for not accepting a complaint."""
    ensure_chain_head()
    seed_agency_kinds(session)
    seed_time_limit_rules(session)
    seed_petition_lists(session)
    seed_complaint_grounds(session)
    session.commit()
