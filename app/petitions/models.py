"""Citizens, reception visits, cases and petitions (R2, R5, R6, R8, R12).

A case (vụ việc) groups every petition about one matter pursued by a citizen: the report
forms count both petitions and cases, first-time and repeat (legal-domain.md §2.5).
Folded columns (``*_folded``, ``name_signature``, ``search_text``) are filled by
app.petitions.normalize so the duplicate lookup finds candidates through indexes.
"""

from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    func,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency
from app.core.mixins import AgencyOwned, SoftDeleteMixin, TimestampMixin, VersionedMixin
from app.core.types import UTCDateTime
from app.geography.models import AdminUnit
from app.petitions.choices import CHANNELS, KINDS, PRIOR_RESOLUTION, REPEAT_KINDS, STATUSES
from app.petitions.search_index import attach_search_index_ddl


class SubjectArea(Model):
    """A subject area (lĩnh vực) as the report forms count them, managed by administrators.

    ``group_2021`` and ``group_2013`` name the column group of the TT 01/2024 and the
    TT 03/2013 forms the area is counted in.
    """

    __tablename__ = "subject_area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    applies_to: Mapped[str] = mapped_column(String(20), nullable=False, default="any")
    group_2021: Mapped[str] = mapped_column(String(50), nullable=False)
    group_2013: Mapped[str] = mapped_column(String(50), nullable=False)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    def __repr__(self) -> str:
        return self.name


class ReasonCode(Model):
    """A reason from the managed list, required with every processing outcome."""

    __tablename__ = "reason_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    outcome: Mapped[str] = mapped_column(String(30), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    legal_ref: Mapped[str | None] = mapped_column(String(255))
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    def __repr__(self) -> str:
        return self.name


class Citizen(TimestampMixin, SoftDeleteMixin, VersionedMixin, Model):
    """A person who files or signs petitions; one citizen, many petitions across agencies."""

    __tablename__ = "citizen"
    __table_args__ = (
        Index("ix_citizen_signature_commune", "name_signature", "commune_unit_id"),
        # The duplicate lookup's candidates within a commune (app.petitions.lookup, R6):
        # same given name (typo in the family name), same family and middle names or same
        # signature prefix (typo in the given name).
        Index("ix_citizen_commune_given", "commune_unit_id", "given_name"),
        Index("ix_citizen_commune_name", "commune_unit_id", "name_folded"),
        Index("ix_citizen_commune_signature", "commune_unit_id", "name_signature"),
    )
    __audited__ = True
    # Folded lookup keys recomputed from the name and address (app.petitions.keys).
    __audit_exclude__ = ("name_folded", "name_signature", "given_name", "address_folded")

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The agency that registered the citizen.
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False, index=True)
    full_name: Mapped[str] = mapped_column(String(150), nullable=False)
    name_folded: Mapped[str] = mapped_column(String(150), nullable=False, default="", index=True)
    name_signature: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    given_name: Mapped[str] = mapped_column(String(50), nullable=False, default="", index=True)
    id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    id_kind: Mapped[str | None] = mapped_column(String(10))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(15), index=True)
    province_code: Mapped[str | None] = mapped_column(String(10))
    commune_unit_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"))
    address_detail: Mapped[str | None] = mapped_column(String(255))
    address_folded: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    ethnicity: Mapped[str | None] = mapped_column(String(50))
    nationality: Mapped[str | None] = mapped_column(String(50), default="Việt Nam")

    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id])
    commune: Mapped[AdminUnit | None] = relationship(foreign_keys=[commune_unit_id])

    def __repr__(self) -> str:
        return self.full_name

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: a citizen is in scope when registered by, or signing a petition of, an
        agency in scope."""
        on_petition = exists(
            select(PetitionSignatory.id)
            .join(Petition, Petition.id == PetitionSignatory.petition_id)
            .where(PetitionSignatory.citizen_id == cls.id, Petition.agency_id.in_(agency_ids))
        )
        return or_(cls.agency_id.in_(agency_ids), on_petition)


class Case(TimestampMixin, VersionedMixin, Model):
    """A matter a citizen pursues (vụ việc): every petition about it belongs to it."""

    __tablename__ = "petition_case"
    __table_args__ = (
        # The next case code is found by its prefix (app.petitions.numbering, R6): a LIKE
        # 'prefix%' can use only an index in byte order on PostgreSQL's non-C collations.
        # SQLite gets a plain index, as Alembic's comparison cannot skip one per dialect.
        Index(
            "ix_petition_case_code_prefix", "code", postgresql_ops={"code": "varchar_pattern_ops"}
        ),
    )
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    # The agency holding the case: where it was first received, then the competent one.
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    subject_area_id: Mapped[int | None] = mapped_column(ForeignKey("subject_area.id"))
    main_citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="open")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    agency: Mapped[Agency] = relationship(foreign_keys=[agency_id])
    subject_area: Mapped[SubjectArea | None] = relationship()
    main_citizen: Mapped[Citizen | None] = relationship(foreign_keys=[main_citizen_id])
    petitions: Mapped[list[Petition]] = relationship(
        back_populates="case", order_by="Petition.received_at"
    )

    def __repr__(self) -> str:
        return f"{self.code} — {self.title}"

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: a case is in scope when held by, or holding a petition of, an agency in
        scope."""
        has_petition = exists(
            select(Petition.id).where(
                Petition.case_id == cls.id, Petition.agency_id.in_(agency_ids)
            )
        )
        return or_(cls.agency_id.in_(agency_ids), has_petition)


reception_visit_citizen = Table(
    "reception_visit_citizen",
    Model.metadata,
    Column("visit_id", ForeignKey("reception_visit.id", ondelete="CASCADE"), primary_key=True),
    Column("citizen_id", ForeignKey("citizen.id"), primary_key=True),
    # A representative of a delegation (đoàn đông người, Luật TCD; NĐ 75/2012 Art. 5).
    Column("is_representative", Boolean, nullable=False, default=False),
)


class ReceptionVisit(AgencyOwned, TimestampMixin, SoftDeleteMixin, VersionedMixin, Model):
    """One entry of the citizen reception book (sổ tiếp công dân, Luật TCD Art. 25)."""

    __tablename__ = "reception_visit"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    official_name: Mapped[str] = mapped_column(String(150), nullable=False)
    reception_type: Mapped[str] = mapped_column(String(20), nullable=False, default="regular")
    leader_in_person: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    delegated: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False, default="in_person")
    people_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    is_delegation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    matter_summary: Mapped[str] = mapped_column(Text, nullable=False)
    outcome: Mapped[str] = mapped_column(String(30), nullable=False)
    outcome_note: Mapped[str | None] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("petition_case.id"), index=True)
    first_time: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    agency: Mapped[Agency] = relationship(foreign_keys="ReceptionVisit.agency_id")
    case: Mapped[Case | None] = relationship()
    citizens: Mapped[list[Citizen]] = relationship(secondary=reception_visit_citizen)

    def __repr__(self) -> str:
        return f"{self.official_name} — {self.matter_summary[:60]}"


class Petition(AgencyOwned, TimestampMixin, SoftDeleteMixin, VersionedMixin, Model):
    """A petition (đơn) received by an agency, processed by it within the legal deadline."""

    __tablename__ = "petition"
    __table_args__ = (
        UniqueConstraint("agency_id", "register_year", "register_number"),
        Index("ix_petition_agency_received", "agency_id", "received_at"),
        Index("ix_petition_status_due", "status", "due_date"),
        # An agency's petitions by status and deadline (the processing queue's counts).
        Index("ix_petition_agency_status_due", "agency_id", "status", "due_date"),
        # Full-text index of the folded matter on PostgreSQL; SQLite's FTS5 table is
        # created by app.petitions.search_index (the lookup's matter candidates, R12).
        Index(
            "ix_petition_search_fts",
            func.to_tsvector(literal_column("'simple'"), text("search_text")),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )
    __audited__ = True
    __audit_exclude__ = ("search_text", "signatory_names")
    __audit_labels__ = {
        "agency": _l("Receiving agency"),
        "source_agency": _l("Forwarded by"),
        "target_agency": _l("Competent agency"),
        "case": _l("Case"),
        "visit": _l("Citizen reception visit"),
        "subject_area": _l("Subject area"),
        "forwarded_from": _l("Forwarded from petition"),
        "kind": _l("Petition kind"),
        "status": _l("Status"),
        "outcome_reason": _l("Reason"),
        "processed_by_id": _l("Processed by"),
        "eligible": _l("Eligible for processing"),
        "competent": _l("Within our competence"),
        "processed_at": _l("Processed"),
        "outcome_note": _l("Explanation"),
        "target_name": _l("Agency concerned"),
        "outcome_doc_number": _l("Document number"),
        "reply_received_on": _l("Reply received on"),
    }
    __audit_choices__ = {
        "channel": CHANNELS,
        "kind": KINDS,
        "prior_resolution": PRIOR_RESOLUTION,
        "repeat_kind": REPEAT_KINDS,
        "status": STATUSES,
    }

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Register number: sequential per agency and year (TT 07/2014 Art. 29).
    register_year: Mapped[int] = mapped_column(Integer, nullable=False)
    register_number: Mapped[int] = mapped_column(Integer, nullable=False)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    source_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    source_name: Mapped[str | None] = mapped_column(String(255))
    source_doc_number: Mapped[str | None] = mapped_column(String(100))
    source_doc_date: Mapped[dt.date | None] = mapped_column(Date)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("reception_visit.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id"), nullable=False, index=True)
    forwarded_from_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)

    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    multi_content: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    subject_area_id: Mapped[int | None] = mapped_column(ForeignKey("subject_area.id"))
    contested_act: Mapped[str | None] = mapped_column(Text)
    contested_author: Mapped[str | None] = mapped_column(String(255))
    summary: Mapped[str] = mapped_column(String(500), nullable=False)
    content: Mapped[str | None] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The signatories' folded names in order, kept by app.petitions.keys: the list's
    # search word reads them on the petition's own row (R12, issue 7 load).
    signatory_names: Mapped[str] = mapped_column(
        String(500), nullable=False, default="", server_default=""
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signatory_count: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    prior_resolution: Mapped[str] = mapped_column(String(20), nullable=False, default="none")
    is_repeat: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    repeat_kind: Mapped[str | None] = mapped_column(String(30))

    status: Mapped[str] = mapped_column(String(20), nullable=False, default="received")
    eligible: Mapped[bool | None] = mapped_column(Boolean)
    competent: Mapped[bool | None] = mapped_column(Boolean)
    # Processing deadline from the rule table (app.petitions.deadlines); its explanation
    # is recomputed for display from the rule in force on the day received.
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    processed_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    outcome_reason_id: Mapped[int | None] = mapped_column(ForeignKey("reason_code.id"))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    target_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    target_name: Mapped[str | None] = mapped_column(String(255))
    outcome_doc_number: Mapped[str | None] = mapped_column(String(100))
    # Reply received from the agency a petition was forwarded to (forms: "phúc đáp").
    reply_received_on: Mapped[dt.date | None] = mapped_column(Date)

    agency: Mapped[Agency] = relationship(foreign_keys="Petition.agency_id")
    source_agency: Mapped[Agency | None] = relationship(foreign_keys=[source_agency_id])
    target_agency: Mapped[Agency | None] = relationship(foreign_keys=[target_agency_id])
    case: Mapped[Case] = relationship(back_populates="petitions")
    visit: Mapped[ReceptionVisit | None] = relationship()
    subject_area: Mapped[SubjectArea | None] = relationship()
    outcome_reason: Mapped[ReasonCode | None] = relationship()
    forwarded_from: Mapped[Petition | None] = relationship(remote_side=[id])
    signatories: Mapped[list[PetitionSignatory]] = relationship(
        back_populates="petition", order_by="PetitionSignatory.position"
    )
    events: Mapped[list[PetitionEvent]] = relationship(
        back_populates="petition", order_by="PetitionEvent.at"
    )

    def __repr__(self) -> str:
        return f"{self.register_number}/{self.register_year} — {self.summary[:80]}"

    @property
    def register_code(self) -> str:
        """The petition's number in the agency's register, e.g. "125/2026"."""
        return f"{self.register_number}/{self.register_year}"


class PetitionSignatory(Model):
    """A citizen who signs a petition; one of them may represent a multi-signatory group."""

    __tablename__ = "petition_signatory"
    __table_args__ = (UniqueConstraint("petition_id", "citizen_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), nullable=False, index=True)
    is_representative: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    petition: Mapped[Petition] = relationship(back_populates="signatories")
    citizen: Mapped[Citizen] = relationship()


class PetitionEvent(Model):
    """One step of a petition's history: received, processed, forwarded, reply …"""

    __tablename__ = "petition_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    username: Mapped[str] = mapped_column(String(128), nullable=False)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    event: Mapped[str] = mapped_column(String(30), nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    petition: Mapped[Petition] = relationship(back_populates="events")


class PetitionTransfer(TimestampMixin, Model):
    """A petition forwarded to another agency; it waits in that agency's inbox until
    received there, which creates the receiving agency's own petition in the same case."""

    __tablename__ = "petition_transfer"
    __audited__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), nullable=False, index=True)
    from_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False)
    to_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), nullable=False, index=True)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
    doc_number: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    received_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    received_petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"))

    petition: Mapped[Petition] = relationship(foreign_keys=[petition_id])
    from_agency: Mapped[Agency] = relationship(foreign_keys=[from_agency_id])
    to_agency: Mapped[Agency] = relationship(foreign_keys=[to_agency_id])
    received_petition: Mapped[Petition | None] = relationship(foreign_keys=[received_petition_id])

    @classmethod
    def scope_condition(cls, agency_ids):
        """R11: the sending and the receiving agency both see a transfer."""
        return or_(cls.from_agency_id.in_(agency_ids), cls.to_agency_id.in_(agency_ids))


attach_search_index_ddl(Petition.__table__)
