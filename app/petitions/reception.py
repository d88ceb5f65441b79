"""The citizen reception book (sổ tiếp công dân): recording visits (Luật TCD Art. 25;
TT 06/2014 Art. 16, 27; legal-domain.md §4).

A visit records when and where citizens were received, by which official or by the head
of the agency (in person or delegated), the reception type (regular, periodic or ad hoc
by the head — form 01/TCD), the channel (in person; online since L136), the citizens
present and their number, whether they came as a delegation (đoàn đông người: five or
more people, with one to five representatives), the matter, the outcome and how it is
handled, and the case it concerns. Whether the visit is the first on its case or a
repeat is computed from the case (the earliest visit of a case is its first).

Services check and write; they flush and the caller commits. Bad input raises
``VisitInvalid`` with one Vietnamese message per field and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from flask_babel import gettext
from sqlalchemy import and_, event, select, update
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.audit.softdelete import soft_delete
from app.core.clock import now_utc, to_local
from app.petitions.choices import RECEPTION_CHANNELS, RECEPTION_TYPES, VISIT_OUTCOMES
from app.petitions.intake import find_or_create_citizen
from app.petitions.intake_data import IntakeData, SignatoryData
from app.petitions.models import (
    Case,
    Citizen,
    Petition,
    ReceptionVisit,
    reception_visit_citizen,
)
from app.petitions.validation import check_intake
from app.security.scope import ids_in_scope, scope_condition

# L136 (Luật 136/2025/QH15) from this day: the head may not delegate reception to a deputy.
NO_DELEGATION_FROM = dt.date(2026, 7, 1)
# Luật TCD Art. 30 and NĐ 75/2012 Art. 5: five or more people are a delegation, which
# chooses 1–2 representatives (5–10 people) or at most 5 (more than 10).
DELEGATION_MIN_PEOPLE = 5
TEXT_LIMITS = {"official_name": 150, "matter_summary": 4_000, "outcome_note": 2_000}
MAX_PEOPLE = 10_000
# Outcomes that say nothing without a note: where the citizen was guided, why refused.
NOTE_REQUIRED = {"guided", "refused"}
# A time typed to the minute may run slightly ahead of the server's clock.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
LEADER_TYPES = ("leader_periodic", "leader_adhoc")


class VisitInvalid(ValueError):
    """The visit breaks a rule; ``errors`` maps each field to its Vietnamese message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{key}: {text}" for key, text in errors.items()))
        self.errors = errors


@dataclass
class VisitData:
    """A visit as the clerk gives it (typed values, already parsed)."""

    agency_id: int | None = None
    received_at: dt.datetime | None = None
    official_name: str = ""
    official_id: int | None = None
    reception_type: str = "regular"
    leader_in_person: bool = False
    delegated: bool = False
    channel: str = "in_person"
    # Citizens present: existing ones (``citizen_id``) or new ones, as intake types them.
    visitors: list[SignatoryData] = field(default_factory=list)
    people_count: int | None = None
    is_delegation: bool = False
    matter_summary: str = ""
    outcome: str = ""
    outcome_note: str | None = None
    case_id: int | None = None


def delegation_warning(received_at: dt.datetime | None, delegated: bool) -> str | None:
    """L136 (from 01/07/2026, Luật TCD as amended): the head receives citizens in person,
    no delegation to a deputy. A warning for a delegated visit on or after that day — the
    visit is still recorded (the book records what happened)."""
    if not delegated or received_at is None:
        return None
    if to_local(received_at).date() < NO_DELEGATION_FROM:
        return None
    return gettext(
        "From 01/07/2026 (Law 136/2025/QH15) the head of an agency may no longer delegate "
        "citizen reception to a deputy: check that this delegated reception is lawful."
    )


class _Checker:
    def __init__(self, session: Session, data: VisitData, user: Any) -> None:
        self.session, self.data, self.user = session, data, user
        self.errors: dict[str, str] = {}

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def required(self, key: str, value: Any) -> bool:
        if value in (None, ""):
            self.fail(key, gettext("This field is required."))
            return False
        return True

    def run(self) -> dict[str, str]:
        self.agency()
        self.moment()
        self.reception()
        self.choices()
        self.texts()
        self.visitors()
        self.people()
        self.case()
        return self.errors

    def agency(self) -> None:
        if not self.required("agency", self.data.agency_id):
            return
        agency = self.session.get(Agency, self.data.agency_id)
        if agency is None or agency.is_deleted:
            self.fail("agency", gettext("This agency does not exist."))
        elif not agency.receives_petitions or not agency.active:
            self.fail("agency", gettext("This agency does not receive petitions (R2)."))
        elif not ids_in_scope(Agency, [agency.id], self.user):
            self.fail("agency", gettext("This agency is outside your data scope."))

    def moment(self) -> None:
        received = self.data.received_at
        if self.required("received_at", received) and received > now_utc() + CLOCK_TOLERANCE:
            self.fail("received_at", gettext("The time of the visit cannot be in the future."))

    def reception(self) -> None:
        data = self.data
        if data.reception_type not in RECEPTION_TYPES:
            self.fail("reception_type", gettext("Choose a value from the list."))
            return
        if data.reception_type in LEADER_TYPES:
            if data.leader_in_person == data.delegated:
                self.fail(
                    "leader_in_person",
                    gettext("A reception by the head is either in person or delegated: tick one."),
                )
        elif data.leader_in_person or data.delegated:
            self.fail(
                "reception_type",
                gettext(
                    "Reception by the head in person or delegated is a periodic or ad hoc "
                    "reception by the head: choose that type."
                ),
            )

    def choices(self) -> None:
        if self.data.channel not in RECEPTION_CHANNELS:
            self.fail("channel", gettext("Choose a value from the list."))
        if self.required("outcome", self.data.outcome) and self.data.outcome not in VISIT_OUTCOMES:
            self.fail("outcome", gettext("Choose a value from the list."))
        if self.data.outcome in NOTE_REQUIRED and not self.data.outcome_note:
            message = (
                gettext("Say where the citizen was guided.")
                if self.data.outcome == "guided"
                else gettext("Give the reason for refusing the reception (Luật TCD Art. 9).")
            )
            self.fail("outcome_note", message)

    def texts(self) -> None:
        self.required("official_name", self.data.official_name)
        self.required("matter_summary", self.data.matter_summary)
        for key, limit in TEXT_LIMITS.items():
            value = getattr(self.data, key)
            if value and len(value) > limit:
                self.fail(
                    key,
                    gettext(
                        "Too long: at most %(limit)s characters.",
                        limit=f"{limit:,}".replace(",", "."),
                    ),
                )

    def visitors(self) -> None:
        """Luật TCD Art. 25(1): the visitors are identified; the identity rules of intake
        (ID numbers, years of birth, communes, citizens in scope) apply to them."""
        visitors = self.data.visitors
        if not visitors:
            self.fail("visitors", gettext("Add at least one citizen received."))
            return
        rules = check_intake(
            self.session, IntakeData(agency_id=self.data.agency_id, signatories=visitors), self.user
        )
        for key, message in rules.items():
            if key.startswith("signatories-"):
                self.fail(key, message)
        chosen = [v.citizen_id for v in visitors if v.citizen_id is not None]
        if len(chosen) != len(set(chosen)):
            self.fail("visitors", gettext("The same citizen is listed twice."))

    def people(self) -> None:
        data = self.data
        count = data.people_count
        listed = len(data.visitors)
        if count is None:
            return
        if count < max(listed, 1):
            self.fail(
                "people_count",
                gettext(
                    "The number of people cannot be less than the %(count)s citizens listed.",
                    count=max(listed, 1),
                ),
            )
            return
        if count > MAX_PEOPLE:
            self.fail("people_count", gettext("At most %(limit)s people.", limit="10.000"))
        representatives = sum(v.is_representative for v in data.visitors)
        if count >= DELEGATION_MIN_PEOPLE and not data.is_delegation:
            self.fail(
                "is_delegation",
                gettext("Five or more people form a delegation: tick the delegation box."),
            )
        elif data.is_delegation and count < DELEGATION_MIN_PEOPLE:
            self.fail(
                "is_delegation",
                gettext("A delegation has at least five people."),
            )
        elif data.is_delegation:
            allowed = 2 if count <= 10 else 5
            if not 1 <= representatives <= allowed:
                self.fail(
                    "visitors",
                    gettext(
                        "A delegation of %(count)s people has 1 to %(allowed)s representatives: "
                        "tick them among the citizens listed.",
                        count=count,
                        allowed=allowed,
                    ),
                )
        elif representatives:
            self.fail("visitors", gettext("Only a delegation has representatives."))

    def case(self) -> None:
        if self.data.case_id is not None and not ids_in_scope(Case, [self.data.case_id], self.user):
            self.fail("case", gettext("This case does not exist in your scope."))


def check_visit(session: Session, data: VisitData, user: Any) -> dict[str, str]:
    """Luật TCD Art. 25, 30; L136: the rule checks of a visit, one Vietnamese message per
    field (empty when it may be saved)."""
    return _Checker(session, data, user).run()


def _with_count(data: VisitData) -> VisitData:
    if data.people_count is None:
        return replace(data, people_count=max(len(data.visitors), 1))
    return data


def _fill(session: Session, visit: ReceptionVisit, data: VisitData, user: Any) -> None:
    visit.agency_id = data.agency_id
    visit.received_at = data.received_at
    visit.official_name = data.official_name
    visit.official_id = data.official_id
    visit.reception_type = data.reception_type
    visit.leader_in_person = data.leader_in_person
    visit.delegated = data.delegated
    visit.channel = data.channel
    visit.people_count = data.people_count
    visit.is_delegation = data.is_delegation
    visit.matter_summary = data.matter_summary
    visit.outcome = data.outcome
    visit.outcome_note = data.outcome_note
    visit.case_id = data.case_id
    # A new citizen typed with the ID number of one already listed is that citizen.
    citizens: dict[int, Citizen] = {}
    representatives: set[int] = set()
    for visitor in data.visitors:
        citizen = find_or_create_citizen(session, visitor, agency_id=data.agency_id, user=user)
        citizens.setdefault(citizen.id, citizen)
        if visitor.is_representative:
            representatives.add(citizen.id)
    visit.citizens = list(citizens.values())
    session.flush()
    session.execute(
        update(reception_visit_citizen)
        .where(reception_visit_citizen.c.visit_id == visit.id)
        .values(is_representative=reception_visit_citizen.c.citizen_id.in_(representatives))
    )


def record_visit(session: Session, data: VisitData, user: Any) -> ReceptionVisit:
    """Luật TCD Art. 25: write a visit into the reception book (VisitInvalid when a rule
    is broken; nothing is saved)."""
    data = _with_count(data)
    errors = check_visit(session, data, user)
    if errors:
        raise VisitInvalid(errors)
    visit = ReceptionVisit()
    session.add(visit)
    _fill(session, visit, data, user)
    refresh_first_time(session, visit.case_id)
    return visit


def update_visit(session: Session, visit: ReceptionVisit, data: VisitData, user: Any) -> None:
    """Correct a visit of the book (same rules as recording it)."""
    data = _with_count(data)
    errors = check_visit(session, data, user)
    if errors:
        raise VisitInvalid(errors)
    previous_case = visit.case_id
    _fill(session, visit, data, user)
    refresh_first_time(session, previous_case)
    refresh_first_time(session, visit.case_id)


def delete_visit(session: Session, visit: ReceptionVisit) -> None:
    """R9: mark a visit deleted (an administrator can restore it)."""
    soft_delete(visit)
    session.flush()
    refresh_first_time(session, visit.case_id)


def refresh_first_time(session: Session, case_id: int | None) -> None:
    """Form 01/TCD "tiếp lần đầu / nhiều lần": the earliest visit of a case is its first,
    every later one a repeat; a visit without a case counts as a first."""
    if case_id is None:
        session.flush()
        return
    session.flush()
    visits = session.scalars(
        select(ReceptionVisit)
        .where(ReceptionVisit.case_id == case_id)
        .order_by(ReceptionVisit.received_at, ReceptionVisit.id)
    ).all()
    for position, visit in enumerate(visits):
        first = position == 0
        if visit.first_time != first:
            visit.first_time = first
    session.flush()


def representative_ids(session: Session, visit: ReceptionVisit) -> set[int]:
    """The citizens representing the delegation of a visit."""
    return set(
        session.scalars(
            select(reception_visit_citizen.c.citizen_id).where(
                and_(
                    reception_visit_citizen.c.visit_id == visit.id,
                    reception_visit_citizen.c.is_representative.is_(True),
                )
            )
        )
    )


def visit_petitions(session: Session, visit: ReceptionVisit, user: Any) -> list[Petition]:
    """R11: the petitions received from a visit, those in the user's scope."""
    return list(
        session.scalars(
            select(Petition)
            .where(Petition.visit_id == visit.id, scope_condition(Petition, user))
            .order_by(Petition.received_at)
        )
    )


def _link_visits_to_cases(session: Session, _context: Any, _instances: Any) -> None:
    """A visit without a case takes the case of the first petition received from it (the
    intake form accepts a visit), so that its first-time / repeat state follows the case."""
    for petition in [obj for obj in session.new if isinstance(obj, Petition)]:
        if petition.visit_id is None:
            continue
        with session.no_autoflush:
            visit = session.get(ReceptionVisit, petition.visit_id)
            if visit is None or visit.case_id is not None or visit.case is not None:
                continue
            case = petition.case
            if case is None and petition.case_id is not None:
                case = session.get(Case, petition.case_id)
            if case is None:
                continue
            earlier = (
                session.scalar(
                    select(ReceptionVisit.id)
                    .where(
                        ReceptionVisit.case_id == case.id,
                        ReceptionVisit.received_at < visit.received_at,
                    )
                    .limit(1)
                )
                if case.id is not None
                else None
            )
            visit.case = case
            visit.first_time = earlier is None


_installed = False


def install_visit_case_listener() -> None:
    """Link visits to the case of the petitions received from them (idempotent)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", _link_visits_to_cases)
    _installed = True
