"""Complaint dossiers with their legal clocks, steps, decisions and enforcement.

One dossier per case and instance (legal-domain.md §3): opened when the competent agency
accepts a complaint petition for resolution; a second-instance dossier names the
first-instance decision it reviews. The results of the decision are stored as the
official forms count them (01/KQGQ, 02/KQGQ, 2c): every form cell is a SUM or COUNT
over ``ResolutionDecision`` and ``Enforcement`` rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    exists,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.complaints.choices import (
    DECISION_MODES,
    DECISION_RESULT_LABELS,
    DOSSIER_STATUSES,
    ENFORCEMENT_LABELS,
    FIRST_INSTANCE_RESULTS,
    SECOND_INSTANCE_RESULTS,
    STEP_KINDS,
)
from app.core.mixins import AgencyOwned, SoftDeleteMixin, TimestampMixin, VersionedMixin
from app.core.types import UTCDateTime
from app.petitions.models import Case, Petition

MONEY = Numeric(18, 3)  # million VND (Trđ), as the forms count money
AREA = Numeric(18, 2)  # square metres


class ComplaintGround(Model):
    """A legal ground for not accepting a complaint (Luật Khiếu nại Art. 11), managed list."""

    __tablename__ = "complaint_ground"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    legal_ref: Mapped[str] = mapped_column(String(255), nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    def __repr__(self) -> str:
        return self.name


class ComplaintDossier(AgencyOwned, TimestampMixin, SoftDeleteMixin, VersionedMixin, Model):
    """The file of one complaint under resolution at one instance (hồ sơ giải quyết)."""

    __tablename__ = "complaint_dossier"
    __table_args__ = (UniqueConstraint("case_id", "instance"),)
    __audited__ = True
    __audit_labels__ = {
        "agency": _l("Resolving agency"),
        "case": _l("Case"),
        "petition": _l("Petition"),
        "instance": _l("Instance of resolution"),
        "reviewed_decision": _l("First-instance decision reviewed"),
        "received_on": _l("Date received"),
        "acceptance_due": _l("Acceptance deadline"),
        "accepted_on": _l("Accepted on"),
        "acceptance_notice_number": _l("Notice number"),
        "not_accepted_on": _l("Not accepted on"),
        "non_acceptance_ground": _l("Legal ground for non-acceptance"),
        "complex_case": _l("Complex case"),
        "remote_area": _l("Remote or difficult area"),
        "resolution_due": _l("Resolution deadline"),
        "status": _l("Status"),
        "closed_on": _l("Closed on"),
        "resolved_in_time": _l("Resolved within the time limit"),
    }
    __audit_choices__ = {"status": DOSSIER_STATUSES}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id"), nullable=False)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), nullable=False, index=True)
    instance: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    reviewed_decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("resolution_decision.id", use_alter=True, name="fk_dossier_reviewed_decision")
    )
    # Acceptance (thụ lý): deadline counted from receipt (rule in force on that day).
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    acceptance_due: Mapped[dt.date] = mapped_column(Date, nullable=False)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    acceptance_notice_number: Mapped[str | None] = mapped_column(String(60))
    not_accepted_on: Mapped[dt.date | None] = mapped_column(Date)
    non_acceptance_ground_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_ground.id"))
    # Flags set by recorded decisions (legal-domain.md §3.1).
    complex_case: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    remote_area: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Resolution deadline (None while the clock is stopped by a suspension).
    resolution_due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending", index=True)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    resolved_in_time: Mapped[bool | None] = mapped_column(Boolean)

    agency: Mapped[Agency] = relationship(foreign_keys="ComplaintDossier.agency_id")
    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    petition: Mapped[Petition] = relationship(foreign_keys=[petition_id])
    reviewed_decision: Mapped[ResolutionDecision | None] = relationship(
        foreign_keys=[reviewed_decision_id]
    )
    non_acceptance_ground: Mapped[ComplaintGround | None] = relationship()
    steps: Mapped[list[DossierStep]] = relationship(
        back_populates="dossier", order_by="(DossierStep.on, DossierStep.id)"
    )
    decision: Mapped[ResolutionDecision | None] = relationship(
        back_populates="dossier",
        foreign_keys="ResolutionDecision.dossier_id",
        uselist=False,
    )
    deadline_changes: Mapped[list[DossierDeadlineChange]] = relationship(
        back_populates="dossier", order_by="DossierDeadlineChange.at"
    )

    def __repr__(self) -> str:
        return f"Hồ sơ khiếu nại lần {self.instance} #{self.id}"


class DossierStep(TimestampMixin, Model):
    """A dated step of the resolution with its document: verification, dialogue,
    suspension, resumption, withdrawal, complex/remote decisions."""

    __tablename__ = "dossier_step"
    __audited__ = True
    __audit_labels__ = {
        "dossier": _l("Complaint dossier"),
        "kind": _l("Kind of step"),
        "on": _l("Date of the step"),
        "doc_number": _l("Document number"),
        "note": _l("Content of the step"),
        "persons": _l("Complainants withdrawing"),
    }
    __audit_choices__ = {"kind": STEP_KINDS}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_dossier.id"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    doc_number: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    # Withdrawals by some complainants of a multi-complainant case.
    persons: Mapped[int | None] = mapped_column(Integer)

    dossier: Mapped[ComplaintDossier] = relationship(back_populates="steps")

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: a step is seen by whoever sees its dossier."""
        return _dossier_in_scope(cls.dossier_id, agency_ids)


class DossierDeadlineChange(Model):
    """Every change of a dossier's deadline with its reason (flag, suspension, holiday …)."""

    __tablename__ = "dossier_deadline_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_dossier.id"), nullable=False, index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    which: Mapped[str] = mapped_column(String(20), nullable=False)
    old_due: Mapped[dt.date | None] = mapped_column(Date)
    new_due: Mapped[dt.date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, nullable=False)

    dossier: Mapped[ComplaintDossier] = relationship(back_populates="deadline_changes")


class ResolutionDecision(TimestampMixin, VersionedMixin, Model):
    """The decision closing a dossier and its results as the forms count them."""

    __tablename__ = "resolution_decision"
    __audited__ = True
    __audit_labels__ = {
        "dossier": _l("Complaint dossier"),
        "number": _l("Decision number"),
        "decided_on": _l("Decision date"),
        "signer": _l("Signed by"),
        "mode": _l("Form of resolution"),
        "result": _l("Result of the resolution"),
        "sent_to_parties_on": _l("Sent to the parties on"),
        "in_time": _l("Resolved within the time limit"),
        **DECISION_RESULT_LABELS,
    }
    __audit_choices__ = {
        "mode": DECISION_MODES,
        "result": {**FIRST_INSTANCE_RESULTS, **SECOND_INSTANCE_RESULTS},
    }

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("complaint_dossier.id"), nullable=False, unique=True
    )
    number: Mapped[str | None] = mapped_column(String(60))
    decided_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    signer: Mapped[str | None] = mapped_column(String(150))
    # "decision" (an administrative decision) or "withdrawn" (withdrawn after explanation).
    mode: Mapped[str] = mapped_column(String(20), nullable=False, default="decision")
    # First instance: right / wrong / partly_right; second: upheld / cancelled_amended.
    result: Mapped[str | None] = mapped_column(String(30))
    money_to_state: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    land_to_state: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    money_to_organisations: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    land_to_organisations: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    money_to_individuals: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    land_to_individuals: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    organisations_restored: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    individuals_restored: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    persons_for_sanction: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    officials_for_sanction: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    cases_to_investigators: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    persons_to_investigators: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    officials_to_investigators: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    sent_to_parties_on: Mapped[dt.date | None] = mapped_column(Date)
    in_time: Mapped[bool] = mapped_column(Boolean, nullable=False)

    dossier: Mapped[ComplaintDossier] = relationship(
        back_populates="decision", foreign_keys=[dossier_id]
    )
    enforcement: Mapped[Enforcement | None] = relationship(back_populates="decision", uselist=False)


class Enforcement(TimestampMixin, VersionedMixin, Model):
    """Enforcement of a decision in force (Luật Khiếu nại Art. 46; form 02/KQGQ)."""

    __tablename__ = "enforcement"
    __audited__ = True
    __audit_labels__ = {"decision": _l("Resolution decision"), **ENFORCEMENT_LABELS}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("resolution_decision.id"), nullable=False, unique=True
    )
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    money_to_recover: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    money_recovered: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    land_to_recover: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    land_recovered: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    money_to_return_organisations: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    money_returned_organisations: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    land_to_return_organisations: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    land_returned_organisations: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    money_to_return_individuals: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    money_returned_individuals: Mapped[Decimal] = mapped_column(MONEY, nullable=False, default=0)
    land_to_return_individuals: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    land_returned_individuals: Mapped[Decimal] = mapped_column(AREA, nullable=False, default=0)
    persons_sanctioned: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    officials_sanctioned: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    cases_prosecuted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    persons_prosecuted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    officials_prosecuted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    decision: Mapped[ResolutionDecision] = relationship(back_populates="enforcement")

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: enforcement is seen by whoever sees the decision's dossier."""
        return exists(
            select(ResolutionDecision.id).where(
                ResolutionDecision.id == cls.decision_id,
                _dossier_in_scope(ResolutionDecision.dossier_id, agency_ids),
            )
        )


def _dossier_in_scope(dossier_id_column, agency_ids):
    return exists(
        select(ComplaintDossier.id).where(
            ComplaintDossier.id == dossier_id_column,
            ComplaintDossier.agency_id.in_(agency_ids),
        )
    )
