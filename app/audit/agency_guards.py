"""When an agency or a succession may be soft-deleted or restored (R1, R9, R10).

An agency that still has live subordinate agencies, active user accounts, agencies it
operates as office (R3) or succession records is not deleted: hiding it would orphan
them and cut its users off from every record (their data scope is its subtree). A
deleted agency comes back only under a live parent; a succession only between live
agencies.
"""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, object_session

from app.agencies.models import Agency, AgencySuccession
from app.audit.guards import register_delete_guard, register_restore_guard
from app.security.models import AppUser


def _count(session: Session, statement) -> int:
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def agency_delete_blockers(agency: Agency) -> list[str]:
    """Reasons ``agency`` cannot be deleted: live children, active users, operated agencies,
    successions."""
    session = object_session(agency)
    name = agency.name
    reasons = []
    children = _count(session, select(Agency.id).where(Agency.parent_id == agency.id))
    if children:
        reasons.append(
            gettext(
                "“%(name)s” still has %(count)d subordinate agencies: move or delete them first.",
                name=name,
                count=children,
            )
        )
    users = _count(
        session,
        select(AppUser.id).where(AppUser.agency_id == agency.id, AppUser.active.is_(True)),
    )
    if users:
        reasons.append(
            gettext(
                "“%(name)s” still has %(count)d active user accounts: move them to another "
                "agency or deactivate them first.",
                name=name,
                count=users,
            )
        )
    operated = _count(
        session,
        select(Agency.id).where(Agency.operating_office_id == agency.id, Agency.id != agency.id),
    )
    if operated:
        reasons.append(
            gettext(
                "“%(name)s” is the operating office of %(count)d agencies: choose another "
                "office for them first.",
                name=name,
                count=operated,
            )
        )
    successions = _count(
        session,
        select(AgencySuccession.id).where(
            or_(
                AgencySuccession.predecessor_id == agency.id,
                AgencySuccession.successor_id == agency.id,
            )
        ),
    )
    if successions:
        reasons.append(
            gettext(
                "“%(name)s” appears in %(count)d succession records: delete them first.",
                name=name,
                count=successions,
            )
        )
    return reasons


def _deleted_agency(session: Session, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = session.get(Agency, agency_id, execution_options={"include_deleted": True})
    return agency if agency is not None and agency.is_deleted else None


def agency_restore_blockers(agency: Agency) -> list[str]:
    """Reasons ``agency`` cannot be restored: its parent agency is still deleted."""
    parent = _deleted_agency(object_session(agency), agency.parent_id)
    if parent is None:
        return []
    return [
        gettext("The parent agency “%(parent)s” is deleted: restore it first.", parent=parent.name)
    ]


def succession_restore_blockers(succession: AgencySuccession) -> list[str]:
    """Reasons a succession cannot be restored: one of its agencies is still deleted."""
    session = object_session(succession)
    reasons = []
    for agency_id in (succession.predecessor_id, succession.successor_id):
        agency = _deleted_agency(session, agency_id)
        if agency is not None:
            reasons.append(
                gettext("The agency “%(name)s” is deleted: restore it first.", name=agency.name)
            )
    return reasons


def register_agency_guards() -> None:
    """Install the agency and succession rules above (idempotent)."""
    register_delete_guard(Agency, agency_delete_blockers)
    register_restore_guard(Agency, agency_restore_blockers)
    register_restore_guard(AgencySuccession, succession_restore_blockers)
