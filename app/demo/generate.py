"""Synthetic petitions for demos and benchmarks: ``flask demo generate --petitions N``.

``generate_petitions(session_or_engine, n, seed)`` adds ``n`` petitions to a database
holding the demo province (``flask demo load``): citizens living in its communes (hamlets
"Ấp 3", "Khóm 2", streets in town) with valid CCCD or CMND numbers and phones, cases,
petitions received by the agencies that receive petitions (R2) — the commune's People's
Committee, the district's reception board or inspectorate, the provincial ones — over
2024 to today, with kinds, subject areas, processing outcomes with their reasons,
deadlines from the rule table, and repeat submissions of the same case at other agencies.
Some citizens pursue two matters; some petitions have many signatories.

Rows go in with Core bulk inserts in batches (explicit ids), so the ORM listeners do not
run: the folded lookup keys are computed here with app.petitions.keys, the full-text
index follows by its triggers (SQLite) or its index (PostgreSQL), and the audit log does
not record synthetic data. The same seed on the same database gives the same data (the
period ends at the start of the day the generator runs).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from app.agencies.models import Agency
from app.calendar.store import load_calendar
from app.core.clock import now_utc
from app.demo import names, synthetic
from app.geography.models import AdminUnit
from app.petitions.deadlines import processing_deadline
from app.petitions.keys import (
    SEARCH_TEXT_LIMIT,
    folded_address,
    name_key_values,
    signatory_names_value,
)
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory, ReasonCode, SubjectArea
from app.petitions.normalize import fold
from app.petitions.numbering import format_case_code, last_case_number

BATCH_CASES = 5000
# SQLite page cache while generating, in KiB.
SQLITE_CACHE_KIB = 256 * 1024
# The period petitions are received in: 2024 to the start of today (2026 at most).
START = dt.datetime(2024, 1, 1, 1, 0, tzinfo=dt.UTC)
LAST_DAY = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
VN = dt.timezone(dt.timedelta(hours=7))
CASE_CODE_PREFIX = "VV"
PROVINCE_CODE = "87"
# Repeat submissions filed without a second round of processing (TT 07/2014 Art. 6, 28).
FILED_REPEAT_KINDS = ("sent_to_many", "already_guided", "resolved_no_new_facts")
KIND_WEIGHTS = (("complaint", 0.55), ("recommendation", 0.25), ("reflection", 0.20))
LEVEL_WEIGHTS = (("commune", 0.35), ("district", 0.40), ("province", 0.25))
OUTCOME_WEIGHTS = (
    ("accepted", 0.25),
    ("forwarded", 0.30),
    ("guided", 0.20),
    ("archived", 0.12),
    ("returned", 0.05),
    ("received", 0.08),
)
FORWARDING_BODIES = (
    "Đoàn đại biểu Quốc hội tỉnh Đồng Tháp",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Tháp",
    "Báo Đồng Tháp",
    "Thường trực Hội đồng nhân dân tỉnh Đồng Tháp",
)
CLOSING = "Kính đề nghị quý cơ quan xem xét, giải quyết theo quy định của pháp luật."
Progress = Callable[[int], None]


@functools.lru_cache(maxsize=50_000)
def _fold_repeated(text: str | None) -> str:
    """``fold`` of the texts many rows share (agency names, decisions' authors)."""
    return fold(text)


_name_keys = functools.lru_cache(maxsize=200_000)(name_key_values)
_address_key = functools.lru_cache(maxsize=200_000)(folded_address)


@dataclass(frozen=True)
class Place:
    """A commune of the demo province, with its district."""

    unit_id: int
    code: str
    names: tuple[str, ...]  # commune, district
    district_code: str
    urban: bool


@dataclass(frozen=True)
class Receiver:
    """A petition-receiving agency (R2), the level it works at and its validity."""

    id: int
    code: str
    name: str
    level: str
    unit_code: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, day: dt.date) -> bool:
        """True when the agency exists on ``day``."""
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass
class Province:
    """What the generator reads of the database once: communes, receivers, lists."""

    places: list[Place]
    receivers: list[Receiver]
    subject_areas: dict[str, list[int]]
    reasons: dict[str, list[int]]
    by_unit: dict[tuple[str, str | None], list[Receiver]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for receiver in self.receivers:
            self.by_unit.setdefault((receiver.level, receiver.unit_code), []).append(receiver)

    def receivers_at(self, level: str, place: Place, day: dt.date) -> list[Receiver]:
        """Receivers of ``level`` competent for ``place`` and existing on ``day``."""
        code = {"commune": place.code, "district": place.district_code, "province": None}[level]
        return [r for r in self.by_unit.get((level, code), []) if r.valid_on(day)]


def read_province(session: Session) -> Province:
    """The communes (2017 list), petition-receiving agencies, subject areas and reasons."""
    units = {u.id: u for u in session.scalars(select(AdminUnit))}
    places = []
    for unit in units.values():
        parent = units.get(unit.parent_id)
        if unit.level != "commune" or parent is None or parent.level != "district":
            continue
        urban = unit.unit_type in ("Phường", "Thị trấn")
        places.append(Place(unit.id, unit.code, (unit.name, parent.name), parent.code, urban))
    places.sort(key=lambda p: p.unit_id)
    levels = {u.code: u.level for u in units.values()}
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    receivers = []
    for agency in sorted(agencies.values(), key=lambda a: a.id):
        if not (agency.receives_petitions and agency.active):
            continue
        holder = agency
        while holder is not None and not holder.admin_unit_code:
            holder = agencies.get(holder.parent_id)
        unit_code = holder.admin_unit_code if holder is not None else None
        level = levels.get(unit_code or "", "province")
        receivers.append(
            Receiver(
                agency.id,
                agency.code,
                agency.name,
                level,
                unit_code if level != "province" else None,
                agency.valid_from,
                agency.valid_to,
            )
        )
    areas: dict[str, list[int]] = {}
    for area in session.scalars(select(SubjectArea).where(SubjectArea.active.is_(True))):
        areas.setdefault(area.applies_to, []).append(area.id)
    reasons: dict[str, list[int]] = {}
    for reason in session.scalars(select(ReasonCode).where(ReasonCode.active.is_(True))):
        reasons.setdefault(reason.outcome, []).append(reason.id)
    return Province(places, receivers, areas, reasons)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    point, total = rng.random(), 0.0
    for value, weight in pairs:
        total += weight
        if point < total:
            return value
    return pairs[-1][0]


@dataclass
class _Counters:
    """Next ids and register numbers, read from the database once."""

    citizen: int
    case: int
    petition: int
    signatory: int
    registers: dict[tuple[int, int], int]
    case_codes: dict[tuple[str, int], int] = field(default_factory=dict)


def _max_id(session: Session, model: type) -> int:
    return session.scalar(select(func.max(model.id)).execution_options(include_deleted=True)) or 0


def _read_counters(session: Session) -> _Counters:
    registers = {
        (agency_id, year): number
        for agency_id, year, number in session.execute(
            select(Petition.agency_id, Petition.register_year, func.max(Petition.register_number))
            .group_by(Petition.agency_id, Petition.register_year)
            .execution_options(include_deleted=True)
        )
    }
    return _Counters(
        _max_id(session, Citizen) + 1,
        _max_id(session, Case) + 1,
        _max_id(session, Petition) + 1,
        _max_id(session, PetitionSignatory) + 1,
        registers,
    )


def _next_case_code(session: Session, counters: _Counters, agency_code: str, year: int) -> str:
    key = (agency_code, year)
    prefix = f"{CASE_CODE_PREFIX}{year}-{agency_code}-"
    if key not in counters.case_codes:
        counters.case_codes[key] = last_case_number(session, prefix)
    counters.case_codes[key] += 1
    return format_case_code(prefix, counters.case_codes[key])


@dataclass
class _Batch:
    citizens: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    petitions: list[dict[str, Any]] = field(default_factory=list)
    signatories: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Resident:
    id: int
    person: synthetic.Person
    place: Place


@dataclass(frozen=True)
class _Filed:
    """What every petition of one case shares."""

    case_id: int
    kind: str
    area: int | None
    matter: synthetic.Matter
    signers: list[_Resident]


class _Generator:
    """Builds the rows of one database's synthetic petitions, batch by batch."""

    def __init__(self, session: Session, seed: int, end: dt.datetime):
        self.session = session
        self.rng = random.Random(seed)
        self.end = end
        self.province = read_province(session)
        self.counters = _read_counters(session)
        self.calendar = load_calendar(session)
        self.deadlines: dict[dt.date, dt.date | None] = {}
        self.taken_ids: set[str] = set()
        self.residents: list[_Resident] = []

    def due_date(self, received_at: dt.datetime) -> dt.date | None:
        """The processing deadline from the rule table (app.petitions.deadlines)."""
        day = received_at.astimezone(VN).date()
        if day not in self.deadlines:
            result = processing_deadline(self.session, received_at, calendar=self.calendar)
            self.deadlines[day] = result.due
        return self.deadlines[day]

    def received_time(self, opened: float) -> dt.datetime:
        """A moment in office hours on the day ``opened`` (0–1 of the period) falls on."""
        span = (self.end - START).total_seconds()
        day = (START + dt.timedelta(seconds=opened * span)).astimezone(VN).date()
        minutes = self.rng.randint(7 * 60, 16 * 60 + 30)
        local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=VN)
        return min(local.astimezone(dt.UTC), self.end)

    def resident(
        self, batch: _Batch, place: Place, agency_id: int, registered: dt.datetime
    ) -> _Resident:
        """A new citizen living in ``place``, registered by ``agency_id`` at ``registered``."""
        person = synthetic.person(self.rng, place.urban, self.taken_ids)
        citizen_id = self.counters.citizen
        self.counters.citizen += 1
        # = citizen_key_values(...), each distinct name and address folded once
        keys = {
            **_name_keys(person.full_name),
            "address_folded": _address_key(person.hamlet, place.names),
        }
        batch.citizens.append(
            {
                "id": citizen_id,
                "agency_id": agency_id,
                "full_name": person.full_name,
                **keys,
                "id_number": person.id_number,
                "id_kind": person.id_kind,
                "birth_year": person.birth_year,
                "sex": person.sex,
                "phone": person.phone,
                "province_code": PROVINCE_CODE,
                "commune_unit_id": place.unit_id,
                "address_detail": person.hamlet,
                "ethnicity": person.ethnicity,
                "nationality": "Việt Nam",
                "created_at": registered,
                "updated_at": registered,
            }
        )
        resident = _Resident(citizen_id, person, place)
        self.residents.append(resident)
        if len(self.residents) > 20_000:
            del self.residents[:10_000]
        return resident

    def receiver(self, level: str, place: Place, day: dt.date) -> Receiver:
        """An agency of ``level`` for ``place`` on ``day`` (falls back to any receiver)."""
        candidates = self.province.receivers_at(level, place, day)
        if not candidates:
            candidates = [r for r in self.province.receivers if r.valid_on(day)]
        return self.rng.choice(candidates or self.province.receivers)

    def case(self, batch: _Batch, opened: float, budget: int) -> int:
        """One case with its petitions (at most ``budget``); returns how many were made."""
        rng = self.rng
        received = self.received_time(opened)
        day = received.astimezone(VN).date()
        # some citizens come back with another matter
        returning = rng.choice(self.residents) if self.residents and rng.random() < 0.12 else None
        place = returning.place if returning else rng.choice(self.province.places)
        first = self.receiver(_weighted(rng, LEVEL_WEIGHTS), place, day)
        main = returning or self.resident(batch, place, first.id, received)
        signers = [main]
        if rng.random() < 0.03:
            for _ in range(rng.randint(4, 11)):
                signers.append(self.resident(batch, place, first.id, received))
        kind = _weighted(rng, KIND_WEIGHTS)
        where = f"{main.person.hamlet.split(', ')[-1]}, {main.place.names[0]}"
        matter = synthetic.matter(rng, kind, where, day.year)
        areas = self.province.subject_areas.get(
            "complaint" if kind == "complaint" else "recommendation", []
        )
        # the first area of each list (land) is the most frequent, as in the reports
        area = (areas[0] if rng.random() < 0.5 else rng.choice(areas)) if areas else None
        case_id = self.counters.case
        self.counters.case += 1
        batch.cases.append(
            {
                "id": case_id,
                "code": _next_case_code(self.session, self.counters, first.code, day.year),
                "agency_id": first.id,
                "title": matter.summary,
                "kind": kind,
                "subject_area_id": area,
                "main_citizen_id": main.id,
                "opened_at": received,
                "status": "open",
                "created_at": received,
                "updated_at": received,
            }
        )
        filed = _Filed(case_id, kind, area, matter, signers)
        self.petition(batch, filed, first, received, repeat=False)
        made = 1
        if rng.random() < 0.1:
            when = received
            for _ in range(min(rng.randint(1, 2), budget - 1)):
                when = when + dt.timedelta(days=rng.randint(7, 200), minutes=rng.randint(0, 300))
                if when >= self.end:
                    break
                level = _weighted(rng, LEVEL_WEIGHTS)
                again = self.receiver(level, main.place, when.astimezone(VN).date())
                self.petition(batch, filed, again, when, repeat=True)
                made += 1
        return made

    def petition(
        self, batch: _Batch, filed: _Filed, agency: Receiver, received: dt.datetime, *, repeat: bool
    ) -> None:
        """One petition of the case received by ``agency`` (a repeat submission or not)."""
        rng = self.rng
        petition_id = self.counters.petition
        self.counters.petition += 1
        year = received.astimezone(VN).year
        register = self.counters.registers.get((agency.id, year), 0) + 1
        self.counters.registers[(agency.id, year)] = register
        main = filed.signers[0]
        summary = filed.matter.summary
        if repeat:
            summary = (rng.choice(names.REPEAT_OPENINGS) + summary)[:500]
        act = filed.matter.contested_act
        author = f"Chủ tịch Ủy ban nhân dân {main.place.names[1]}" if act else None
        address = ", ".join((main.person.hamlet, *main.place.names, "tỉnh Đồng Tháp"))
        letter = (
            f"Kính gửi: {agency.name}.",
            f"Tôi tên là {main.person.full_name}, sinh năm {main.person.birth_year}, cư trú "
            f"tại {address}.",
            f"{summary}.",
            CLOSING,
        )
        content = " ".join(letter)
        # = petition_search_text(summary, act, author, content): folding works word by
        # word, so the letter's parts are folded apart and the repeated ones only once
        folded_summary = fold(summary)
        search_text = " ".join(
            part
            for part in (
                folded_summary,
                _fold_repeated(act),
                _fold_repeated(author),
                _fold_repeated(letter[0]),
                fold(letter[1]),
                folded_summary,
                _fold_repeated(CLOSING),
            )
            if part
        )[:SEARCH_TEXT_LIMIT]
        row = {
            "id": petition_id,
            "register_year": year,
            "register_number": register,
            "received_at": received,
            "channel": "in_person",
            "source_name": None,
            "source_doc_number": None,
            "case_id": filed.case_id,
            "kind": filed.kind,
            "subject_area_id": filed.area,
            "contested_act": act,
            "contested_author": author,
            "summary": summary,
            "content": content,
            "search_text": search_text,
            "signatory_names": signatory_names_value(
                _name_keys(signer.person.full_name)["name_folded"] for signer in filed.signers
            ),
            "signatory_count": len(filed.signers),
            "is_repeat": repeat,
            "repeat_kind": rng.choice(FILED_REPEAT_KINDS) if repeat else None,
            "agency_id": agency.id,
            "created_at": received,
            "updated_at": received,
            **self.outcome(received, repeat, agency),
        }
        channel = rng.random()
        if channel < 0.3:
            row["channel"] = "post"
        elif channel < 0.38:
            row["channel"] = "forwarded"
            row["source_name"] = rng.choice(FORWARDING_BODIES)
            row["source_doc_number"] = f"{rng.randint(10, 999)}/CV-ĐĐBQH"
        batch.petitions.append(row)
        for position, signer in enumerate(filed.signers):
            batch.signatories.append(
                {
                    "id": self.counters.signatory,
                    "petition_id": petition_id,
                    "citizen_id": signer.id,
                    "is_representative": position == 0,
                    "position": position,
                }
            )
            self.counters.signatory += 1

    def outcome(self, received: dt.datetime, repeat: bool, agency: Receiver) -> dict[str, Any]:
        """Status, deadline and processing outcome as of now (repeats are filed)."""
        if repeat:
            return {"status": "filed", "due_date": None, "eligible": False}
        rng = self.rng
        due = self.due_date(received)
        age = (self.end - received).days
        status = "received" if age < 12 and rng.random() < 0.85 else _weighted(rng, OUTCOME_WEIGHTS)
        values: dict[str, Any] = {"status": status, "due_date": due}
        if status == "received":
            return values
        processed = min(received + dt.timedelta(days=rng.randint(1, 16)), self.end)
        reasons = self.province.reasons.get(status, [])
        values.update(
            processed_at=processed,
            eligible=status != "archived",
            competent=status == "accepted",
            outcome_reason_id=rng.choice(reasons) if reasons else None,
        )
        if status == "forwarded":
            others = [r for r in self.province.receivers if r.id != agency.id]
            target = rng.choice(others)
            values.update(target_agency_id=target.id, target_name=target.name)
            values["outcome_doc_number"] = f"{rng.randint(1, 900)}/PC-TCD"
        return values


def _insert(session: Session, batch: _Batch) -> None:
    """Insert the batch's rows in foreign-key order: COPY on PostgreSQL, executemany else."""
    conn = session.connection()
    for model, rows in (
        (Citizen, batch.citizens),
        (Case, batch.cases),
        (Petition, batch.petitions),
        (PetitionSignatory, batch.signatories),
    ):
        if not rows:
            continue
        table = model.__table__
        keys = _row_keys(table, rows)
        if conn.dialect.name == "postgresql":
            _copy(conn, table.name, keys, rows)
        else:
            conn.execute(table.insert(), [{key: row.get(key) for key in keys} for row in rows])


def _row_keys(table: Any, rows: list[dict[str, Any]]) -> list[str]:
    """The columns the batch sets, plus those with a constant default (``version_id`` 1,
    flags False …) filled in, since COPY applies no Python-side default."""
    keys = dict.fromkeys(key for row in rows for key in row)
    for column in table.c:
        default = column.default
        if column.name in keys or default is None or not default.is_scalar:
            continue
        for row in rows:
            row.setdefault(column.name, default.arg)
        keys[column.name] = None
    return list(keys)


def _copy(conn: Any, table: str, keys: list[str], rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY of the rows; timestamps as naive UTC, as UTCDateTime stores them."""
    columns = ", ".join(keys)
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(_plain(row.get(key)) for key in keys))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _reset_sequences(session: Session) -> None:
    """PostgreSQL: move the id sequences past the explicit ids just inserted."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for model in (Citizen, Case, Petition, PetitionSignatory):
        table = model.__tablename__
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        )


def generate_petitions(
    target: Session | Engine,
    n: int,
    seed: int = 1122,
    *,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Insert ``n`` synthetic petitions (with their citizens, cases and signatories) into
    a database holding the demo province; return how many rows of each were added."""
    session = Session(target) if isinstance(target, Engine) else target
    if session.get_bind().dialect.name == "sqlite":
        # a large page cache keeps the indexes' inserts off the disk (this connection only)
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    today = now_utc().replace(hour=0, minute=0, second=0, microsecond=0)
    generator = _Generator(session, seed, min(today, LAST_DAY))
    before = dataclasses.replace(generator.counters)
    made = 0
    while made < n:
        batch = _Batch()
        for _ in range(BATCH_CASES):
            if made >= n:
                break
            # cases open evenly over the period, in order, whatever number of petitions
            # each brings (a fixed list of openings ran out and piled the rest on its end)
            opened = (made + generator.rng.random()) / n
            made += generator.case(batch, opened, n - made)
        _insert(session, batch)
        session.commit()
        if progress is not None:
            progress(made)
    _reset_sequences(session)
    session.commit()
    after = generator.counters
    return {
        "citizens": after.citizen - before.citizen,
        "cases": after.case - before.case,
        "petitions": after.petition - before.petition,
        "signatories": after.signatory - before.signatory,
    }
