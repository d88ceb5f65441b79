"""Agency services (R1–R3): what is in force, succession, subordinates, capabilities.

Functions take an agency (its session is used) or a session, never a request: views, APIs,
jobs and tests call them alike. The date arguments default to today in Vietnam.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, object_session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency, AgencySuccession
from app.agencies.tree import PATH_SEPARATOR
from app.core.clock import today_local
from app.core.vnsort import vietnamese_sort_key
from app.security.models import AppUser


class AgencyRuleError(ValueError):
    """An agency edit breaks a capability or validity rule; the message is Vietnamese."""


def _session(agency: Agency) -> Session:
    session = object_session(agency)
    if session is None:
        raise ValueError("agency is not attached to a session")
    return session


def within_validity(on: dt.date) -> ColumnElement[bool]:
    """SQL: the agency is marked active and ``on`` lies within its validity dates (R1)."""
    return and_(
        Agency.active.is_(True),
        or_(Agency.valid_from.is_(None), Agency.valid_from <= on),
        or_(Agency.valid_to.is_(None), Agency.valid_to >= on),
    )


def succeeded_by(on: dt.date) -> ColumnElement[bool]:
    """SQL: another agency has succeeded this one on or before ``on`` (2025 reform)."""
    return exists().where(
        AgencySuccession.predecessor_id == Agency.id, AgencySuccession.effective_date <= on
    )


def in_force(on: dt.date) -> ColumnElement[bool]:
    """SQL: the agency works on ``on``: active, within its dates and not yet succeeded."""
    return and_(within_validity(on), ~succeeded_by(on))


def predecessors_of(agency: Agency) -> list[AgencySuccession]:
    """The successions in which ``agency`` took over another agency, oldest first."""
    return list(
        _session(agency).scalars(
            select(AgencySuccession)
            .join(Agency, Agency.id == AgencySuccession.predecessor_id)
            .where(AgencySuccession.successor_id == agency.id)
            .options(selectinload(AgencySuccession.predecessor))
            .order_by(AgencySuccession.effective_date, Agency.name_key)
        )
    )


def successors_of(agency: Agency) -> list[AgencySuccession]:
    """The successions in which another agency took ``agency`` over, oldest first."""
    return list(
        _session(agency).scalars(
            select(AgencySuccession)
            .join(Agency, Agency.id == AgencySuccession.successor_id)
            .where(AgencySuccession.predecessor_id == agency.id)
            .options(selectinload(AgencySuccession.successor))
            .order_by(AgencySuccession.effective_date, Agency.name_key)
        )
    )


def successor_on(agency: Agency, on: dt.date | None = None) -> Agency:
    """The agency holding ``agency``'s records on ``on``: follow the successions in force.

    Old records and statistics resolve through this (2025 reform). When an agency was split,
    the successor that kept its administrative unit code holds the records, else the first
    successor in Vietnamese name order. An agency never succeeded holds its own records.
    """
    on = on or today_local()
    current = agency
    seen = {agency.id}
    while True:
        links = [s for s in successors_of(current) if s.effective_date <= on]
        if not links:
            return current
        kept_code = [
            s
            for s in links
            if current.admin_unit_code and s.successor.admin_unit_code == current.admin_unit_code
        ]
        chosen = (kept_code or links)[0].successor
        if chosen.id in seen:
            return current
        seen.add(chosen.id)
        current = chosen


def subordinates(agency: Agency, on: dt.date | None = None) -> list[Agency]:
    """R3: the task-receiving agencies of an assigning agency are its subordinates — every
    agency below it in the tree that is in force on ``on``, in tree order."""
    on = on or today_local()
    return list(
        _session(agency).scalars(
            select(Agency)
            .where(Agency.path.startswith(agency.path), Agency.id != agency.id, in_force(on))
            .order_by(Agency.path)
        )
    )


def receiving_agencies(session: Session, on: dt.date | None = None) -> list[Agency]:
    """R2: the petition-receiving agencies in force on ``on``, in Vietnamese name order."""
    on = on or today_local()
    return list(
        session.scalars(
            select(Agency)
            .where(Agency.receives_petitions.is_(True), in_force(on))
            .order_by(Agency.name_key)
        )
    )


def assigning_agencies(session: Session, on: dt.date | None = None) -> list[Agency]:
    """R3: the task-assigning agencies in force on ``on``, each with ``operating_office``
    (the office that enters and tracks its tasks) loaded, in tree order."""
    on = on or today_local()
    return list(
        session.scalars(
            select(Agency)
            .where(Agency.assigns_tasks.is_(True), in_force(on))
            .options(selectinload(Agency.operating_office))
            .order_by(Agency.path)
        )
    )


def ancestors(agency: Agency) -> list[Agency]:
    """The chain of superior agencies of ``agency``, from the root down to its parent."""
    codes = [code for code in agency.path.split(PATH_SEPARATOR) if code][:-1]
    if not codes:
        return []
    return list(
        _session(agency).scalars(
            select(Agency).where(Agency.code.in_(codes)).order_by(Agency.depth)
        )
    )


def user_count(agency: Agency) -> int:
    """Number of user accounts belonging to ``agency`` (R10, R11: every user has one)."""
    return _session(agency).scalar(
        select(func.count(AppUser.id)).where(AppUser.agency_id == agency.id)
    )


def check_operating_office(agency: Agency, assigns_tasks: bool, office: Agency | None) -> None:
    """R3: only a task-assigning agency has an operating office, and it is another agency.

    Raises AgencyRuleError with the Vietnamese message shown to the user.
    """
    if office is None:
        return
    if not assigns_tasks:
        raise AgencyRuleError(
            "Chỉ cơ quan giao nhiệm vụ mới có văn phòng nhập và theo dõi nhiệm vụ."
        )
    if office is agency or (agency.id is not None and office.id == agency.id):
        raise AgencyRuleError("Văn phòng nhập và theo dõi nhiệm vụ phải là một cơ quan khác.")


def check_validity(valid_from: dt.date | None, valid_to: dt.date | None) -> None:
    """An agency's validity ends on or after the day it starts (R1, 2025 reform)."""
    if valid_from and valid_to and valid_to < valid_from:
        raise AgencyRuleError("Ngày hết hiệu lực không được trước ngày có hiệu lực.")


def refresh_name_key(agency: Agency) -> None:
    """Names sort in Vietnamese order: keep ``name_key`` in step with ``name``."""
    agency.name_key = vietnamese_sort_key(agency.name or "")
