"""Importing petitions with their citizens from a spreadsheet (issue 7; R2, R6, R11, R12).

Each row is one petition received by an agency, with the citizen who filed it. A row is
read into the intake's own ``IntakeData`` (app.petitions.validation.parse_intake) and
checked by the intake's own rules (``check_intake``: required fields, ID number, phone,
dates not in the future, the agency receives petitions (R2) and lies in the importer's
data scope (R11), the subject area fits the kind, no denunciation (R20) …), so a row is
refused for what the intake screen would refuse. The lookups those rules make per row
(agency scope, commune) are answered once per file.

External key: the receiving agency + the register year (the year of the day received) +
the register number (TT 07/2014 Art. 29) — the petition table's own unique key. A row
whose key is already in the database was imported (or entered) before and is skipped; two
rows of one file with the same key are both reported.

The import inserts in bulk (per table and chunk: COPY on PostgreSQL, one executemany on
SQLite), in the caller's transaction: the citizens (one per ID number, reusing a citizen
of the importer's scope with that number, as ``find_or_create_citizen`` does), one new
case per petition, the petitions with their processing deadline, signatories,
"received" events and the case records queued for the national database (R7,
app.imports.outbox). The folded lookup keys (app.petitions.keys) are computed here, as
the flush listener would; the cells' text is composed (NFC) when read (app.imports.files).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.calendar.rules import rules_of
from app.calendar.store import load_calendar
from app.core.actor import current_actor
from app.core.clock import now_utc, to_local
from app.geography.models import AdminUnit
from app.imports.bulk import BulkWriter, bulk_writer
from app.imports.files import Column, SourceRow
from app.imports.outbox import ImportedCases
from app.outbox.models import OutboxItem
from app.petitions.choices import CHANNELS, KINDS, SEXES
from app.petitions.deadlines import PROCESSING_RULE, processing_deadline
from app.petitions.identity import digits_only, normalize_phone
from app.petitions.intake import CASE_CODE_PREFIX
from app.petitions.intake import _fill_blanks as fill_blanks
from app.petitions.intake_data import IntakeData, signatory_field
from app.petitions.keys import (
    citizen_key_values,
    petition_search_text,
    place_names,
    signatory_names_value,
)
from app.petitions.models import (
    Case,
    Citizen,
    Petition,
    PetitionEvent,
    PetitionSignatory,
    SubjectArea,
)
from app.petitions.numbering import format_case_code
from app.petitions.validation import _Checker, parse_intake
from app.security.scope import scope_condition

# Rows inserted per statement round (and between two progress reports).
CHUNK = 2000
# Most values in one IN (…) list.
IN_LIMIT = 900
# SQLite page cache while inserting, in KiB.
SQLITE_CACHE_KIB = 128 * 1024

COLUMNS: tuple[Column, ...] = (
    Column(
        "agency",
        "Mã cơ quan tiếp nhận",
        True,
        "DT17-866-TCD",
        "Mã của cơ quan tiếp nhận đơn (danh mục cơ quan), trong phạm vi dữ liệu của bạn.",
    ),
    Column(
        "register_number",
        "Số vào sổ",
        True,
        "125",
        "Số thứ tự trong sổ tiếp nhận đơn của năm nhận đơn (TT 07/2014 Điều 29).",
    ),
    Column(
        "received_at",
        "Ngày nhận",
        True,
        "02/03/2024",
        "dd/mm/yyyy, có thể kèm giờ: dd/mm/yyyy hh:mm.",
        text=True,
    ),
    Column(
        "channel",
        "Hình thức nhận",
        False,
        "Qua bưu chính",
        "Trực tiếp tại nơi tiếp công dân, Qua bưu chính, Do cơ quan khác chuyển đến, "
        "Trực tuyến, Khác. Để trống: trực tiếp.",
    ),
    Column("kind", "Loại đơn", True, "Khiếu nại", "Khiếu nại, Kiến nghị hoặc Phản ánh."),
    Column("subject_area", "Mã lĩnh vực", True, "kn_dat_dai", "Mã lĩnh vực (danh mục lĩnh vực)."),
    Column(
        "summary",
        "Nội dung tóm tắt",
        True,
        "Khiếu nại quyết định thu hồi đất tại khóm 3, Phường 1",
        "Tối đa 500 ký tự.",
    ),
    Column("content", "Nội dung đơn", False, "", "Toàn văn hoặc trích nội dung đơn."),
    Column(
        "contested_act",
        "Quyết định, hành vi bị khiếu nại",
        False,
        "Quyết định số 245/QĐ-UBND ngày 02/10/2023",
        "",
    ),
    Column("full_name", "Họ và tên người đứng đơn", True, "Nguyễn Văn Hùng", ""),
    Column(
        "id_number",
        "Số CCCD/CMND",
        False,
        "087078001234",
        "12 chữ số (CCCD) hoặc 9 chữ số (CMND). Nhập dạng văn bản để giữ số 0 đầu.",
        text=True,
    ),
    Column("birth_year", "Năm sinh", False, "1978", ""),
    Column("sex", "Giới tính", False, "Nam", "Nam hoặc Nữ."),
    Column("phone", "Số điện thoại", False, "0918123456", "", text=True),
    Column(
        "commune",
        "Mã xã/phường",
        False,
        "29881",
        "Mã đơn vị hành chính cấp xã (danh mục Tổng cục Thống kê).",
        text=True,
    ),
    Column(
        "address_detail", "Địa chỉ (số nhà, ấp, khóm)", False, "Số 12 đường Nguyễn Huệ, khóm 3", ""
    ),
    Column(
        "signatory_count",
        "Số người ký đơn",
        False,
        "1",
        "Để trống: 1. Đơn có từ 5 người ký là đơn đông người.",
    ),
)
HEADERS = {column.key: column.header for column in COLUMNS}
# Intake error keys → the column they are about.
_ERROR_COLUMNS = {
    **{key: HEADERS[key] for key in HEADERS},
    **{
        signatory_field(0, key): HEADERS[key]
        for key in (
            "full_name",
            "id_number",
            "birth_year",
            "sex",
            "phone",
            "commune",
            "address_detail",
        )
    },
    signatory_field(0, "citizen"): HEADERS["full_name"],
}


# Messages of codes no list has (translated when shown).
_NO_AGENCY = _l("No agency has the code “%(value)s”.")
_NO_AREA = _l("No subject area has the code “%(value)s”.")
_UNKNOWN_KIND = _l("Unknown kind “%(value)s”: Khiếu nại, Kiến nghị or Phản ánh.")
_UNKNOWN_CHANNEL = _l("Unknown channel “%(value)s”.")
_UNKNOWN_SEX = _l("Enter Nam or Nữ.")


@dataclass
class PetitionRow:
    """A valid row: its line, the intake data and the external key."""

    line: int
    data: IntakeData
    register_number: int
    key: tuple[int, int, int]


class _FileChecker(_Checker):
    """The intake's checks, with the per-agency, per-area and per-commune lookups answered
    once per file (they depend on nothing else)."""

    def __init__(self, session: Session, data: IntakeData, user: Any, memo: dict) -> None:
        super().__init__(session, data, user)
        self.memo = memo

    def agency(self) -> Agency | None:
        key = ("agency", self.data.agency_id)
        if key not in self.memo:
            agency = super().agency()
            self.memo[key] = (agency, self.errors.get("agency"))
            return agency
        agency, message = self.memo[key]
        if message:
            self.fail("agency", message)
        return agency

    def _subject_area(self, area_id: int) -> SubjectArea | None:
        key = ("area", area_id)
        if key not in self.memo:
            self.memo[key] = super()._subject_area(area_id)
        return self.memo[key]

    def _commune_exists(self, unit_id: int) -> bool:
        key = ("commune", unit_id)
        if key not in self.memo:
            self.memo[key] = super()._commune_exists(unit_id)
        return self.memo[key]


def _labels(choices: dict[str, Any]) -> dict[str, str]:
    """Codes and Vietnamese labels of a closed list, folded for matching."""
    with force_locale("vi"):
        found = {str(label).casefold(): code for code, label in choices.items()}
    found.update({code.casefold(): code for code in choices})
    return found


class PetitionReader:
    """Checks the rows of one file: codes resolved once, every row through the intake's
    rules, duplicates within the file and keys already in the database."""

    def __init__(self, session: Session, user: Any):
        self.session = session
        self.user = user
        self.memo: dict = {}
        self.agencies = {
            code: agency_id for code, agency_id in session.execute(select(Agency.code, Agency.id))
        }
        # kept referenced, so the intake's checks find them in the session's identity map
        self.loaded = [
            *session.scalars(select(SubjectArea)),
            *session.scalars(select(Agency)),
        ]
        self.areas = {
            code: area_id
            for code, area_id in session.execute(select(SubjectArea.code, SubjectArea.id))
        }
        self.communes: dict[str, list[AdminUnit]] = {}
        for unit in session.scalars(select(AdminUnit).where(AdminUnit.level == "commune")):
            self.communes.setdefault(unit.code, []).append(unit)
        self.kinds = _labels(KINDS)
        self.channels = _labels(CHANNELS)
        self.sexes = _labels(SEXES)
        # the register numbers in the database of each register the file names
        self.taken: dict[tuple[int, int], set[int]] = {}

    def _commune_id(self, code: str, received: dt.date | None) -> int | None:
        units = self.communes.get(code, [])
        for unit in units:
            if received is None or (
                unit.valid_from <= received and (unit.valid_to is None or received <= unit.valid_to)
            ):
                return unit.id
        return units[-1].id if units else None

    @staticmethod
    def _code(
        values: dict, key: str, table: dict[str, Any], message: str, errors: dict[str, str]
    ) -> Any:
        """The id or code ``table`` gives the cell's text (codes of agencies and areas as
        written, labels of closed lists folded), noting ``message`` when none."""
        text = values.get(key)
        if text is None:
            return None
        found = table.get(text) or table.get(text.casefold())
        if found is None:
            errors.setdefault(key, str(message) % {"value": text})
        return found

    def read_row(self, row: SourceRow) -> tuple[PetitionRow | None, dict[str, str]]:
        """One row as intake data, or the Vietnamese message of each bad field."""
        values = row.values
        errors: dict[str, str] = {}
        agency_id = self._code(values, "agency", self.agencies, _NO_AGENCY, errors)
        area_id = self._code(
            values,
            "subject_area",
            self.areas,
            _NO_AREA,
            errors,
        )
        kind = self._code(
            values,
            "kind",
            self.kinds,
            _UNKNOWN_KIND,
            errors,
        )
        channel = (
            self._code(values, "channel", self.channels, _UNKNOWN_CHANNEL, errors) or "in_person"
        )
        sex = self._code(values, "sex", self.sexes, _UNKNOWN_SEX, errors)
        raw = {
            "agency": agency_id,
            "received_at": values["received_at"],
            "channel": channel,
            "kind": kind,
            "subject_area": area_id,
            "summary": values["summary"],
            "content": values["content"],
            "contested_act": values["contested_act"],
            "signatory_count": values["signatory_count"],
        }
        signatory = {
            "full_name": values["full_name"],
            "id_number": values["id_number"],
            "birth_year": values["birth_year"],
            "sex": sex,
            "phone": values["phone"],
            "address_detail": values["address_detail"],
            "row": 0,
        }
        data, parse_errors = parse_intake(raw, [signatory] if any(signatory.values()) else [])
        for key, message in parse_errors.items():
            errors.setdefault(key, message)
        received = to_local(data.received_at) if data.received_at else None
        received_day = received.date() if received else None
        if values["commune"] and data.signatories:
            commune_id = self._commune_id(values["commune"], received_day)
            if commune_id is None:
                errors.setdefault(
                    "commune",
                    gettext("No commune has the code “%(value)s”.", value=values["commune"]),
                )
            data.signatories[0].commune_unit_id = commune_id
        number_text = values["register_number"]
        number = None
        if number_text is None:
            errors.setdefault("register_number", gettext("This field is required."))
        elif not number_text.isdigit() or not 0 < int(number_text) < 10**9:
            errors.setdefault("register_number", gettext("Enter a whole number."))
        else:
            number = int(number_text)
        if not errors.get("received_at") and data.received_at is None:
            errors.setdefault("received_at", gettext("This field is required."))
        checks = _FileChecker(self.session, data, self.user, self.memo).run()
        for key, message in checks.items():
            if key == "agency" and "agency" in errors:
                continue
            errors.setdefault(key, message)
        if errors:
            return None, errors
        key = (data.agency_id, received.year, number)
        return PetitionRow(row.line, data, number, key), {}

    def existing_keys(self, keys: list[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
        """The keys already in the database (deleted petitions included: they keep their
        number): one indexed query per register (agency and year), the first time the
        file names it. An import's own rows are never among them: a file names each key
        once."""
        found: set[tuple[int, int, int]] = set()
        for agency_id, year, number in keys:
            register = (agency_id, year)
            if register not in self.taken:
                self.taken[register] = set(
                    self.session.scalars(
                        select(Petition.register_number)
                        .where(Petition.agency_id == agency_id, Petition.register_year == year)
                        .execution_options(include_deleted=True)
                    )
                )
            if number in self.taken[register]:
                found.add((agency_id, year, number))
        return found


def error_column(key: str) -> str:
    """The column header an intake error key is about."""
    return _ERROR_COLUMNS.get(key, "—")


Progress = Callable[[int], None]


class _Inserter:
    """Bulk inserts of the petitions of valid rows, in the caller's transaction."""

    def __init__(self, session: Session, user: Any, note: str, writer: BulkWriter):
        self.session = session
        # the committed rows the chunks look up (known citizens, case numbers)
        self.reads = writer.reads
        self.writer = writer
        self.user = user
        self.note = note
        self.now = now_utc()
        self.actor_id = current_actor().user_id
        self.calendar = load_calendar(session)
        self.rules = rules_of(PROCESSING_RULE, session)
        # every administrative unit, held here so that the session's identity map keeps
        # them: communes and their parents are then found without a query
        self.units = session.scalars(select(AdminUnit)).all()
        self.due: dict[dt.datetime, dt.date] = {}
        self.places: dict[int | None, tuple[str, ...]] = {}
        self.provinces: dict[int | None, str | None] = {}
        self.case_numbers: dict[str, int] = {}
        self.codes = dict(session.execute(select(Agency.id, Agency.code)).tuples().all())
        self.citizens: dict[str, int] = {}
        # Citizens of the database with an ID number of the file, not yet met in a chunk.
        self.known: dict[str, int] = {}
        self.new_citizens: dict[int, dict[str, Any]] = {}
        # Folded name of each citizen signing an imported petition (signatory_names).
        self.folded_names: dict[int, str] = {}
        self.outbox = ImportedCases(session)

    def stamp(self) -> dict[str, Any]:
        return {
            "created_at": self.now,
            "updated_at": self.now,
            "created_by_id": self.actor_id,
            "updated_by_id": self.actor_id,
        }

    def due_date(self, received_at: dt.datetime) -> dt.date:
        if received_at not in self.due:
            self.due[received_at] = processing_deadline(
                self.session, received_at, calendar=self.calendar, rules=self.rules
            ).due
        return self.due[received_at]

    def place(self, commune_id: int | None) -> tuple[str, ...]:
        if commune_id not in self.places:
            self.places[commune_id] = place_names(self.session, commune_id)
        return self.places[commune_id]

    def province(self, commune_id: int | None) -> str | None:
        if commune_id not in self.provinces:
            unit = self.session.get(AdminUnit, commune_id) if commune_id else None
            while unit is not None and unit.level != "province":
                unit = unit.parent
            self.provinces[commune_id] = unit.code if unit is not None else None
        return self.provinces[commune_id]

    def look_up_known_citizens(self, rows: list[PetitionRow]) -> None:
        """R6, R11: the citizens of the importer's scope with the ID numbers of ``rows``
        (the oldest of each number) that this import has not met yet, looked up at once."""
        wanted = sorted(
            {r.data.signatories[0].id_number for r in rows if r.data.signatories[0].id_number}
            - set(self.citizens)
        )
        for start in range(0, len(wanted), IN_LIMIT):
            found = self.reads.execute(
                select(Citizen.id_number, func.min(Citizen.id))
                .where(
                    Citizen.id_number.in_(wanted[start : start + IN_LIMIT]),
                    scope_condition(Citizen, self.user),
                )
                .group_by(Citizen.id_number)
            )
            self.known.update({number: citizen_id for number, citizen_id in found})
        self.citizens.update(self.known)

    def reserve_ids(self, rows: list[PetitionRow]) -> None:
        """The ids of the new citizens, cases and petitions of ``rows``, drawn ahead."""
        numbers: set[str] = set()
        without_number = 0
        for row in rows:
            number = digits_only(row.data.signatories[0].id_number)
            if number:
                numbers.add(number)
            else:
                without_number += 1
        new_citizens = without_number + len(numbers - set(self.citizens))
        self.writer.reserve_ids(Citizen.__table__, new_citizens)
        self.writer.reserve_ids(Case.__table__, len(rows))
        self.writer.reserve_ids(Petition.__table__, len(rows))

    def first_met_known(self, chunk: list[PetitionRow]) -> dict[str, int]:
        """The known citizens whose ID number this chunk holds and no earlier one did."""
        numbers = {r.data.signatories[0].id_number for r in chunk}
        return {number: self.known.pop(number) for number in numbers if number in self.known}

    def complete_known(self, found: dict[str, int], chunk: list[PetitionRow]) -> None:
        """R6: a known citizen is completed with what the row gives and the record lacks,
        as the intake completes them (the change is audited like any other)."""
        given: dict[int, Any] = {}
        for row in chunk:
            person = row.data.signatories[0]
            citizen_id = found.get(digits_only(person.id_number))
            if citizen_id is not None:
                given.setdefault(citizen_id, person)
        ids = sorted(given)
        for start in range(0, len(ids), IN_LIMIT):
            part = ids[start : start + IN_LIMIT]
            for citizen in self.session.scalars(select(Citizen).where(Citizen.id.in_(part))):
                fill_blanks(citizen, given[citizen.id])
                self.folded_names[citizen.id] = citizen.name_folded

    def _prefix(self, agency_id: int, year: int) -> str:
        """``VV2026-DT17-866-TCD-``: the code of the agency's cases of a year, as
        app.petitions.intake numbers them."""
        return f"{CASE_CODE_PREFIX}{year}-{self.codes[agency_id]}-"

    def load_case_numbers(self, rows: list[PetitionRow]) -> None:
        """The last case number of each agency and year of ``rows`` not met yet, read at
        once (a LIKE on the code is a scan: once per agency and year, not per register)."""
        prefixes = {self._prefix(row.data.agency_id, row.key[1]) for row in rows}
        wanted = sorted(prefixes - set(self.case_numbers))
        for start in range(0, len(wanted), 50):
            part = wanted[start : start + 50]
            self.case_numbers.update(dict.fromkeys(part, 0))
            codes = self.reads.scalars(
                select(Case.code).where(
                    or_(*(Case.code.startswith(prefix, autoescape=True) for prefix in part))
                )
            )
            for code in codes:
                prefix, _, number = code.rpartition("-")
                key = prefix + "-"
                if key in self.case_numbers and number.isdigit():
                    self.case_numbers[key] = max(self.case_numbers[key], int(number))

    def case_code(self, agency_id: int, year: int) -> str:
        """The next case code of the agency's year (``load_case_numbers`` read the last)."""
        prefix = self._prefix(agency_id, year)
        self.case_numbers[prefix] += 1
        return format_case_code(prefix, self.case_numbers[prefix])

    def _insert(self, model: type, rows: list[dict[str, Any]]) -> list[int]:
        """Insert the rows; their new ids, in order."""
        return self.writer.insert(model.__table__, rows)

    def citizen_rows(self, chunk: list[PetitionRow]) -> list[int]:
        """The citizen id of each row, inserting the citizens not yet known."""
        self.complete_known(self.first_met_known(chunk), chunk)
        new_rows: list[dict[str, Any]] = []
        slots: list[tuple[int, str | None]] = []
        pending: dict[str, int] = {}
        for index, row in enumerate(chunk):
            person = row.data.signatories[0]
            number = digits_only(person.id_number) or None
            if number and (number in self.citizens or number in pending):
                continue
            if number:
                pending[number] = len(new_rows)
            slots.append((index, number))
            new_rows.append(
                {
                    "agency_id": row.data.agency_id,
                    "full_name": person.full_name,
                    "id_number": number,
                    "id_kind": ("cccd" if len(number) == 12 else "cmnd") if number else None,
                    "birth_year": person.birth_year,
                    "sex": person.sex,
                    "phone": normalize_phone(person.phone) or None,
                    "province_code": self.province(person.commune_unit_id),
                    "commune_unit_id": person.commune_unit_id,
                    "address_detail": person.address_detail,
                    "nationality": "Việt Nam",
                    "version_id": 1,
                    **citizen_key_values(
                        person.full_name, person.address_detail, self.place(person.commune_unit_id)
                    ),
                    **self.stamp(),
                }
            )
        ids = self._insert(Citizen, new_rows)
        self.new_citizens = dict(zip(ids, new_rows, strict=True))
        self.folded_names.update(
            (pk, values["name_folded"]) for pk, values in self.new_citizens.items()
        )
        by_row: dict[int, int] = {}
        for (index, number), citizen_id in zip(slots, ids, strict=True):
            by_row[index] = citizen_id
            if number:
                self.citizens[number] = citizen_id
        result = []
        for index, row in enumerate(chunk):
            number = digits_only(row.data.signatories[0].id_number) or None
            result.append(by_row[index] if index in by_row else self.citizens[number])
        return result

    def insert_chunk(self, chunk: list[PetitionRow]) -> None:
        citizen_ids = self.citizen_rows(chunk)
        cases = [
            {
                "code": self.case_code(row.data.agency_id, row.key[1]),
                "agency_id": row.data.agency_id,
                "title": row.data.summary,
                "kind": row.data.kind,
                "subject_area_id": row.data.subject_area_id,
                "main_citizen_id": citizen_id,
                "opened_at": row.data.received_at,
                "status": "open",
                "version_id": 1,
                **self.stamp(),
            }
            for row, citizen_id in zip(chunk, citizen_ids, strict=True)
        ]
        case_ids = self._insert(Case, cases)
        petitions = [
            self.petition_values(row, case_id, citizen_id)
            for row, case_id, citizen_id in zip(chunk, case_ids, citizen_ids, strict=True)
        ]
        petition_ids = self._insert(Petition, petitions)
        signatories = [
            {
                "petition_id": petition_id,
                "citizen_id": citizen_id,
                "is_representative": False,
                "position": 0,
            }
            for petition_id, citizen_id in zip(petition_ids, citizen_ids, strict=True)
        ]
        self.writer.write(PetitionSignatory.__table__, signatories)
        actor = current_actor()
        self.writer.write(
            PetitionEvent.__table__,
            [
                {
                    "petition_id": petition_id,
                    "at": self.now,
                    "user_id": actor.user_id,
                    "username": actor.username,
                    "agency_id": actor.agency_id,
                    "event": "received",
                    "from_status": None,
                    "to_status": "received",
                    "note": self.note,
                }
                for petition_id in petition_ids
            ],
        )
        self.queue_cases(petitions, petition_ids, cases, case_ids, signatories)

    def queue_cases(
        self,
        petitions: list[dict[str, Any]],
        petition_ids: list[int],
        cases: list[dict[str, Any]],
        case_ids: list[int],
        signatories: list[dict[str, Any]],
    ) -> None:
        """R7: the case record of each petition queued for the national database, as the
        outbox capture would queue it (app.imports.outbox), in one bulk insert."""
        for values, petition_id in zip(petitions, petition_ids, strict=True):
            values["id"] = petition_id
        for values, case_id in zip(cases, case_ids, strict=True):
            values["id"] = case_id
        items = self.outbox.items(petitions, cases, signatories, self.new_citizens)
        # due now: the time of the import, as every row it writes
        stamp = {**self.stamp(), "next_attempt_at": self.now}
        self.writer.write(OutboxItem.__table__, [{**item, **stamp} for item in items])

    def petition_values(self, row: PetitionRow, case_id: int, citizen_id: int) -> dict[str, Any]:
        data = row.data
        return {
            "agency_id": data.agency_id,
            "register_year": row.key[1],
            "register_number": row.register_number,
            "received_at": data.received_at,
            "channel": data.channel,
            "source_agency_id": None,
            "source_name": None,
            "case_id": case_id,
            "kind": data.kind,
            "multi_content": False,
            "subject_area_id": data.subject_area_id,
            "contested_act": data.contested_act,
            "contested_author": None,
            "summary": data.summary,
            "content": data.content,
            "search_text": petition_search_text(
                data.summary, data.contested_act, None, data.content
            ),
            "signatory_names": signatory_names_value([self.folded_names.get(citizen_id)]),
            "anonymous": False,
            "signatory_count": max(data.signatory_count or 0, 1),
            "prior_resolution": data.prior_resolution,
            "is_repeat": False,
            "status": "received",
            "due_date": self.due_date(data.received_at),
            "version_id": 1,
            **self.stamp(),
        }


def insert_petitions(
    session: Session,
    chunks: Iterable[list[PetitionRow]],
    user: Any,
    note: str,
    progress: Progress,
) -> int:
    """Issue 7: insert the petitions of the rows of ``chunks`` (valid, not yet in the
    database; each chunk as it comes, so that it may be checked while the previous one is
    inserted) with their citizens, cases, signatories and "received" events; flushes
    nothing else and commits nothing. ``progress(done)`` is called after each chunk."""
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # a large page cache keeps the indexes' inserts off the disk (this connection,
        # for this import only)
        previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        connection.exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    # What a chunk needs from the tables the import grows is read before its first
    # insert, in a few queries planned for their values (app.imports.bulk). Forcing a plan
    # per execution on the server instead (plan_cache_mode) also re-planned every
    # foreign-key check of every row inserted.
    done = 0
    try:
        with bulk_writer(session) as writer:
            inserter = _Inserter(session, user, note, writer)
            for rows in chunks:
                inserter.look_up_known_citizens(rows)
                inserter.load_case_numbers(rows)
                inserter.reserve_ids(rows)
                for start in range(0, len(rows), CHUNK):
                    part = rows[start : start + CHUNK]
                    inserter.insert_chunk(part)
                    done += len(part)
                    progress(done)
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous)}")
    return done
