"""Bad input refused at intake, the same way on the screen and through the API (issue 3).

``parse_intake`` turns the raw values of a form or a JSON body into an ``IntakeData``,
collecting one Vietnamese message per field that cannot be read (ID numbers, phones,
years, dates, numbers). ``check_intake`` then checks what needs the database and the
rules: required fields, sizes, dates not in the future, agencies that exist, receive
petitions (R2) and lie in the user's scope (R11), subject areas matching the kind, the
case decision (R6, R12) and denunciations (R20). ``validate_intake`` does both. Nothing
here writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.core.clock import now_utc, to_local
from app.geography.models import AdminUnit
from app.petitions.choices import CHANNELS, KINDS, PRIOR_RESOLUTION, REPEAT_KINDS, SEXES
from app.petitions.identity import IdentityError, parse_id_number, parse_phone
from app.petitions.intake_data import (
    CASE_DECISIONS,
    DENUNCIATION,
    JOIN_CASE,
    NEW_CASE,
    CaseDecision,
    IntakeData,
    SignatoryData,
    signatory_field,
)
from app.petitions.models import Case, Citizen, ReceptionVisit, SubjectArea
from app.security.scope import ids_in_scope, scope_condition
from app.ui.dates import parse_vn_date, parse_vn_datetime

# Longest texts accepted (characters); the summary is the column's size, the content a
# generous page count (a typed petition rarely passes 10 pages of 2,000 characters).
TEXT_LIMITS = {
    "summary": 500,
    "content": 20_000,
    "contested_act": 2_000,
    "contested_author": 255,
    "source_name": 255,
    "source_doc_number": 100,
}
SIGNATORY_TEXT_LIMITS = {
    "full_name": 150,
    "address_detail": 255,
    "ethnicity": 50,
    "nationality": 50,
}
# Signatories typed one by one on one petition; a larger group is counted, not typed.
MAX_SIGNATORY_ROWS = 50
MAX_SIGNATORY_COUNT = 100_000
EARLIEST_BIRTH_YEAR = 1900
# A time typed to the minute may run slightly ahead of the server's clock.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)
# Kind of petition → the ``applies_to`` values of the subject areas it may use.
AREA_APPLIES_TO = {
    "complaint": ("complaint", "any"),
    "recommendation": ("recommendation", "any"),
    "reflection": ("recommendation", "any"),
}
_SIGNATORY_KEY = re.compile(r"signatories-(\d+)-(\w+)")
_WHOLE_NUMBER = re.compile(r"\d{1,9}")
_TRUE = frozenset({"1", "y", "yes", "on", "true", "co", "có"})


def denunciation_message() -> str:
    """R20: why a denunciation is refused at intake."""
    return gettext(
        "Denunciations follow the separate rules of the Law on Denunciation and are not "
        "received in this software (Regulation, Art. 7). Guide the citizen to file it under "
        "the denunciation procedure."
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in _TRUE


class _Reader:
    """Reads raw values into typed ones, noting a message per unreadable field."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def integer(self, key: str, value: Any) -> int | None:
        if isinstance(value, bool):
            self.errors[key] = gettext("Enter a whole number.")
            return None
        if isinstance(value, int):
            return value
        text = _text(value)
        if text is None:
            return None
        if not _WHOLE_NUMBER.fullmatch(text):
            self.errors[key] = gettext("Enter a whole number.")
            return None
        return int(text)

    def datetime(self, key: str, value: Any) -> dt.datetime | None:
        text = _text(value)
        if text is None:
            return None
        try:
            return parse_vn_datetime(text)
        except ValueError:
            self.errors[key] = gettext("Invalid date and time, enter them as dd/mm/yyyy hh:mm")
            return None

    def date(self, key: str, value: Any) -> dt.date | None:
        text = _text(value)
        if text is None:
            return None
        try:
            return parse_vn_date(text)
        except ValueError:
            self.errors[key] = gettext("Invalid date, enter it as dd/mm/yyyy")
            return None


def form_signatory_rows(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The signatory rows of a submitted form (``signatories-<row>-<field>``), in row
    order, with ``is_representative`` set from the form's ``representative`` radio."""
    rows: dict[int, dict[str, Any]] = {}
    for key in form:
        match = _SIGNATORY_KEY.fullmatch(key)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = form.get(key)
    representative = _text(form.get("representative"))
    for index, row in rows.items():
        row["row"] = index
        row["is_representative"] = representative == str(index)
    return [rows[index] for index in sorted(rows)]


def _signatory_is_blank(row: Mapping[str, Any]) -> bool:
    keys = ("full_name", "id_number", "birth_year", "phone", "commune", "address_detail")
    return not any(_text(row.get(key)) for key in keys) and not row.get("citizen")


def _parse_signatory(reader: _Reader, row: Mapping[str, Any], index: int) -> SignatoryData:
    def key(name: str) -> str:
        return signatory_field(index, name)

    birth_year = reader.integer(key("birth_year"), row.get("birth_year"))
    sex = _text(row.get("sex"))
    if sex is not None and sex not in SEXES:
        reader.errors[key("sex")] = gettext("Choose a value from the list.")
        sex = None
    id_number = _text(row.get("id_number"))
    if id_number is not None:
        try:
            info = parse_id_number(id_number, birth_year=birth_year, sex=sex)
        except IdentityError as error:
            reader.errors[key("id_number")] = str(error)
        else:
            id_number = info.number
            birth_year = birth_year or info.birth_year
            sex = sex or info.sex
    phone = _text(row.get("phone"))
    if phone is not None:
        try:
            phone = parse_phone(phone)
        except IdentityError as error:
            reader.errors[key("phone")] = str(error)
    return SignatoryData(
        full_name=" ".join((_text(row.get("full_name")) or "").split()),
        id_number=id_number,
        birth_year=birth_year,
        sex=sex,
        phone=phone,
        commune_unit_id=reader.integer(key("commune"), row.get("commune")),
        address_detail=_text(row.get("address_detail")),
        ethnicity=_text(row.get("ethnicity")),
        nationality=_text(row.get("nationality")),
        is_representative=_flag(row.get("is_representative")),
        citizen_id=reader.integer(key("citizen"), row.get("citizen")),
        row=index,
    )


def parse_intake(
    raw: Mapping[str, Any], signatory_rows: Sequence[Mapping[str, Any]]
) -> tuple[IntakeData, dict[str, str]]:
    """Read the raw intake values (form or JSON) into an ``IntakeData``; return it with a
    Vietnamese message for each field that could not be read. Blank signatory rows are
    dropped; a row keeps its own index (``row``) in error keys."""
    reader = _Reader()
    signatories = [
        _parse_signatory(reader, row, row.get("row", position))
        for position, row in enumerate(signatory_rows)
        if not _signatory_is_blank(row)
    ]
    data = IntakeData(
        agency_id=reader.integer("agency", raw.get("agency")),
        received_at=reader.datetime("received_at", raw.get("received_at")),
        channel=_text(raw.get("channel")) or "",
        kind=_text(raw.get("kind")) or "",
        summary=" ".join((_text(raw.get("summary")) or "").split()),
        subject_area_id=reader.integer("subject_area", raw.get("subject_area")),
        content=_text(raw.get("content")),
        multi_content=_flag(raw.get("multi_content")),
        contested_act=_text(raw.get("contested_act")),
        contested_author=_text(raw.get("contested_author")),
        anonymous=_flag(raw.get("anonymous")),
        signatories=signatories,
        signatory_count=reader.integer("signatory_count", raw.get("signatory_count")),
        prior_resolution=_text(raw.get("prior_resolution")) or "none",
        source_agency_id=reader.integer("source_agency", raw.get("source_agency")),
        source_name=_text(raw.get("source_name")),
        source_doc_number=_text(raw.get("source_doc_number")),
        source_doc_date=reader.date("source_doc_date", raw.get("source_doc_date")),
        visit_id=reader.integer("visit", raw.get("visit")),
        decision=CaseDecision(
            mode=_text(raw.get("decision")) or NEW_CASE,
            case_id=reader.integer("case", raw.get("case")),
            repeat_kind=_text(raw.get("repeat_kind")),
        ),
    )
    return data, reader.errors


def _number(value: int) -> str:
    """20.000: thousands separated by dots, as Vietnamese writes them."""
    return f"{value:,}".replace(",", ".")


def _too_long(limit: int) -> str:
    return gettext("Too long: at most %(limit)s characters.", limit=_number(limit))


class _Checker:
    """The rule checks of ``check_intake``; the first message per field is kept."""

    def __init__(self, session: Session, data: IntakeData, user: Any) -> None:
        self.session = session
        self.data = data
        self.user = user
        self.errors: dict[str, str] = {}
        self.now = now_utc()

    def fail(self, key: str, message: str) -> None:
        self.errors.setdefault(key, message)

    def required(self, key: str, value: Any) -> bool:
        if value in (None, ""):
            self.fail(key, gettext("This field is required."))
            return False
        return True

    def run(self) -> dict[str, str]:
        self.agency()
        self.received_at()
        self.channel()
        self.kind_and_area()
        self.texts()
        self.signatories()
        self.visit()
        self.decision()
        return self.errors

    def agency(self) -> Agency | None:
        """R2, R11: an existing, active receiving agency of the user's scope."""
        if not self.required("agency", self.data.agency_id):
            return None
        agency = self.session.get(Agency, self.data.agency_id)
        if agency is None or agency.is_deleted:
            self.fail("agency", gettext("This agency does not exist."))
        elif not agency.receives_petitions or not agency.active:
            # R2: only the petition-receiving agencies receive petitions.
            self.fail("agency", gettext("This agency does not receive petitions (R2)."))
        elif not ids_in_scope(Agency, [agency.id], self.user):
            # R11: a clerk receives petitions for the agencies of their scope only.
            self.fail("agency", gettext("This agency is outside your data scope."))
        else:
            return agency
        return None

    def received_at(self) -> None:
        """Required, and not in the future (issue 3 "Bad input")."""
        received = self.data.received_at
        if self.required("received_at", received) and received > self.now + CLOCK_TOLERANCE:
            self.fail("received_at", gettext("The date received cannot be in the future."))

    def channel(self) -> None:
        """TT 07/2014 Art. 5: a known channel; a forwarded petition names its sender and a
        forwarding document dated no later than the day received."""
        data = self.data
        if not self.required("channel", data.channel):
            return
        if data.channel not in CHANNELS:
            self.fail("channel", gettext("Choose a value from the list."))
            return
        if data.source_doc_date is not None:
            if data.source_doc_date > to_local(self.now).date():
                self.fail("source_doc_date", gettext("This date cannot be in the future."))
            elif data.received_at and data.source_doc_date > to_local(data.received_at).date():
                self.fail(
                    "source_doc_date",
                    gettext("The forwarding document cannot be dated after the day received."),
                )
        if data.channel != "forwarded":
            return
        if data.source_agency_id is None and data.source_name is None:
            self.fail(
                "source_agency",
                gettext("Name the agency or organisation that forwarded the petition."),
            )
        if data.source_agency_id is not None:
            source = self.session.get(Agency, data.source_agency_id)
            if source is None or source.is_deleted:
                self.fail("source_agency", gettext("This agency does not exist."))
            elif source.id == data.agency_id:
                self.fail(
                    "source_agency", gettext("An agency cannot forward a petition to itself.")
                )

    def kind_and_area(self) -> None:
        """R20: no denunciation; a received kind with a subject area of that kind."""
        data = self.data
        if not self.required("kind", data.kind):
            return
        if data.kind == DENUNCIATION:
            self.fail("kind", denunciation_message())
            return
        if data.kind not in KINDS:
            self.fail("kind", gettext("Choose a value from the list."))
            return
        if not self.required("subject_area", data.subject_area_id):
            return
        area = self._subject_area(data.subject_area_id)
        if area is None or not area.active:
            self.fail("subject_area", gettext("This subject area does not exist."))
        elif area.applies_to not in AREA_APPLIES_TO[data.kind]:
            self.fail(
                "subject_area",
                gettext(
                    "This subject area is not one of %(kind)s petitions.",
                    kind=str(KINDS[data.kind]).lower(),
                ),
            )
        if data.prior_resolution not in PRIOR_RESOLUTION:
            self.fail("prior_resolution", gettext("Choose a value from the list."))

    def texts(self) -> None:
        """The summary is required; no text passes its limit (``TEXT_LIMITS``)."""
        self.required("summary", self.data.summary)
        for key, limit in TEXT_LIMITS.items():
            value = getattr(self.data, key)
            if value is not None and len(value) > limit:
                self.fail(key, _too_long(limit))

    def signatories(self) -> None:
        """Anonymous petitions have no signatory, others at least one; one representative;
        the number who signed is at least the number entered (TT 07/2014 Art. 6(4))."""
        data = self.data
        if data.anonymous:
            if data.signatories:
                self.fail(
                    "anonymous",
                    gettext("An anonymous petition has no signatories: untick it or clear them."),
                )
            return
        if not data.signatories:
            self.fail(signatory_field(0, "full_name"), gettext("Enter the petitioner's name."))
            return
        if len(data.signatories) > MAX_SIGNATORY_ROWS:
            self.fail(
                "signatory_count",
                gettext(
                    "At most %(limit)s signatories are typed one by one; enter the others "
                    "as a number.",
                    limit=MAX_SIGNATORY_ROWS,
                ),
            )
        seen: dict[str, int] = {}
        rows = [signatory.row for signatory in data.signatories]
        if len(set(rows)) != len(rows):
            rows = list(range(len(rows)))
        for row, signatory in zip(rows, data.signatories, strict=True):
            self.signatory(row, signatory, seen)
        if sum(s.is_representative for s in data.signatories) > 1:
            self.fail("representative", gettext("Choose one representative only."))
        count = data.signatory_count
        if count is not None and count < len(data.signatories):
            self.fail(
                "signatory_count",
                gettext(
                    "The number of signatories cannot be less than the %(count)s entered.",
                    count=len(data.signatories),
                ),
            )
        elif count is not None and count > MAX_SIGNATORY_COUNT:
            self.fail(
                "signatory_count",
                gettext("At most %(limit)s signatories.", limit=_number(MAX_SIGNATORY_COUNT)),
            )

    def signatory(self, row: int, signatory: SignatoryData, seen: dict[str, int]) -> None:
        """A name, texts within limits, a plausible birth year, an ID number given once, a
        commune that exists, a chosen citizen in the user's scope (R11)."""
        self.required(signatory_field(row, "full_name"), signatory.full_name)
        for name, limit in SIGNATORY_TEXT_LIMITS.items():
            value = getattr(signatory, name)
            if value is not None and len(value) > limit:
                self.fail(signatory_field(row, name), _too_long(limit))
        year = signatory.birth_year
        if year is not None and not EARLIEST_BIRTH_YEAR <= year <= to_local(self.now).year:
            self.fail(
                signatory_field(row, "birth_year"),
                gettext(
                    "Year of birth between %(first)s and %(last)s.",
                    first=EARLIEST_BIRTH_YEAR,
                    last=to_local(self.now).year,
                ),
            )
        if signatory.id_number:
            if signatory.id_number in seen:
                self.fail(
                    signatory_field(row, "id_number"),
                    gettext("This ID number is already given for another signatory."),
                )
            seen[signatory.id_number] = row
        if signatory.commune_unit_id is not None and not self._commune_exists(
            signatory.commune_unit_id
        ):
            self.fail(signatory_field(row, "commune"), gettext("This commune does not exist."))
        if signatory.citizen_id is not None and not ids_in_scope(
            Citizen, [signatory.citizen_id], self.user
        ):
            self.fail(
                signatory_field(row, "full_name"),
                gettext("This citizen is outside your data scope."),
            )

    def _subject_area(self, area_id: int) -> SubjectArea | None:
        return self.session.get(SubjectArea, area_id)

    def _commune_exists(self, unit_id: int) -> bool:
        return self.session.scalar(select(AdminUnit.id).where(AdminUnit.id == unit_id)) is not None

    def visit(self) -> None:
        """The reception visit (Luật TCD Art. 25) is in scope and held by the agency."""
        visit_id = self.data.visit_id
        if visit_id is None:
            return
        visit = self.session.scalar(
            select(ReceptionVisit).where(
                ReceptionVisit.id == visit_id, scope_condition(ReceptionVisit, self.user)
            )
        )
        if visit is None:
            self.fail("visit", gettext("This reception visit does not exist in your scope."))
        elif visit.agency_id != self.data.agency_id:
            self.fail(
                "visit", gettext("The reception visit was held by another agency than this one.")
            )

    def decision(self) -> None:
        """R6, R12: a case joined exists (at any agency) and a repeat is classified."""
        decision = self.data.decision
        if decision.mode not in CASE_DECISIONS:
            self.fail("decision", gettext("Choose a value from the list."))
            return
        if decision.mode == NEW_CASE:
            return
        # R6, R12: the case may be held by any agency of the province (the lookup's match).
        if decision.case_id is None or self.session.get(Case, decision.case_id) is None:
            self.fail("case", gettext("The case to link to does not exist."))
        if decision.mode == JOIN_CASE:
            if decision.repeat_kind is None:
                self.fail("repeat_kind", gettext("Classify the repeat submission."))
            elif decision.repeat_kind not in REPEAT_KINDS:
                self.fail("repeat_kind", gettext("Choose a value from the list."))


def check_intake(session: Session, data: IntakeData, user: Any) -> dict[str, str]:
    """Issue 3 "Bad input", R2, R6, R11, R12, R20: the rule checks of an intake, one
    Vietnamese message per field (empty when the petition may be received)."""
    return _Checker(session, data, user).run()


def validate_intake(
    session: Session,
    raw: Mapping[str, Any],
    signatory_rows: Sequence[Mapping[str, Any]],
    user: Any,
) -> tuple[IntakeData, dict[str, str]]:
    """Parse and check raw intake values (form or JSON): the data and every field's
    message; a field unreadable at parsing keeps its parsing message."""
    data, errors = parse_intake(raw, signatory_rows)
    for key, message in check_intake(session, data, user).items():
        errors.setdefault(key, message)
    return data, errors
