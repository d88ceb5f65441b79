"""Import of a province's agency file (CSV, UTF-8): all rows or nothing (R1–R3).

Columns (header row required; order free):
``code, name, short_name, kind, parent, receives_petitions, assigns_tasks,
operating_office, admin_unit_code, valid_from, valid_to, status, predecessors, note``.
``code, name, kind`` are required. ``parent``/``operating_office`` name an agency code in
the file or already in the database. Booleans are 1/0 (empty = the kind's default).
Dates are dd/mm/yyyy or yyyy-mm-dd. ``predecessors`` lists agency codes (``;``-separated)
that this agency succeeds from its ``valid_from`` date (mergers of the 2025 reform).
Re-importing a file updates the agencies by code and creates nothing twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyKind, AgencySuccession
from app.agencies.tree import TreeError, check_code
from app.core.vnsort import vietnamese_sort_key

REQUIRED = ("code", "name", "kind")
KNOWN = (
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "receives_petitions",
    "assigns_tasks",
    "operating_office",
    "admin_unit_code",
    "valid_from",
    "valid_to",
    "status",
    "predecessors",
    "note",
)


class AgencyImportError(Exception):
    """The file has errors; ``errors`` lists them with their line numbers. Nothing was saved."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    successions: int = 0
    codes: list[str] = field(default_factory=list)


@dataclass
class _Row:
    line: int
    values: dict[str, str]


def parse_date(text: str) -> dt.date | None:
    """Read dd/mm/yyyy or yyyy-mm-dd; empty text is None."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"ngày “{text}” không đúng dạng dd/mm/yyyy")


def _parse_bool(text: str) -> bool | None:
    text = text.strip().lower()
    if text == "":
        return None
    if text in ("1", "true", "có", "x", "yes"):
        return True
    if text in ("0", "false", "không", "no"):
        return False
    raise ValueError(f"giá trị “{text}” phải là 1 hoặc 0")


def _read_rows(source: str | Path | io.TextIOBase) -> tuple[list[_Row], list[str]]:
    if isinstance(source, str | Path):
        text = Path(source).read_text(encoding="utf-8-sig")
    else:
        text = source.read()
    reader = csv.DictReader(io.StringIO(text))
    errors: list[str] = []
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [col for col in REQUIRED if col not in header]
    if missing:
        return [], [f"Dòng 1: thiếu cột bắt buộc {', '.join(missing)}"]
    unknown = [col for col in header if col and col not in KNOWN]
    if unknown:
        errors.append(f"Dòng 1: cột không được hỗ trợ {', '.join(unknown)}")
    rows = []
    for index, raw in enumerate(reader, start=2):
        values = {
            (key or "").strip(): unicodedata.normalize("NFC", (value or "").strip())
            for key, value in raw.items()
            if key is not None
        }
        if not any(values.values()):
            continue
        rows.append(_Row(index, values))
    return rows, errors


def _validate(rows: list[_Row], session: Session) -> list[str]:
    errors: list[str] = []
    kinds = set(session.scalars(select(AgencyKind.code)))
    db_codes = set(session.scalars(select(Agency.code).execution_options(include_deleted=True)))
    file_codes: dict[str, int] = {}
    for row in rows:
        v = row.values
        for col in REQUIRED:
            if not v.get(col):
                errors.append(f"Dòng {row.line}: thiếu “{col}”")
        code = v.get("code", "")
        if code:
            try:
                check_code(code)
            except TreeError as exc:
                errors.append(f"Dòng {row.line}: {exc}")
            if code in file_codes:
                errors.append(f"Dòng {row.line}: mã “{code}” trùng với dòng {file_codes[code]}")
            file_codes[code] = row.line
        if v.get("kind") and v["kind"] not in kinds:
            errors.append(f"Dòng {row.line}: loại cơ quan “{v['kind']}” không tồn tại")
        for col in ("receives_petitions", "assigns_tasks"):
            try:
                _parse_bool(v.get(col, ""))
            except ValueError as exc:
                errors.append(f"Dòng {row.line}: cột {col}: {exc}")
        dates = {}
        for col in ("valid_from", "valid_to"):
            try:
                dates[col] = parse_date(v.get(col, ""))
            except ValueError as exc:
                errors.append(f"Dòng {row.line}: cột {col}: {exc}")
        if (
            dates.get("valid_from")
            and dates.get("valid_to")
            and dates["valid_to"] < dates["valid_from"]
        ):
            errors.append(f"Dòng {row.line}: ngày hết hiệu lực trước ngày có hiệu lực")
    known_codes = db_codes | set(file_codes)
    for row in rows:
        v = row.values
        for col in ("parent", "operating_office"):
            ref = v.get(col, "")
            if ref and ref not in known_codes:
                errors.append(
                    f"Dòng {row.line}: {col} “{ref}” không có trong tệp hay cơ sở dữ liệu"
                )
            if ref and ref == v.get("code") and col == "parent":
                errors.append(f"Dòng {row.line}: cơ quan không thể là cấp trên của chính nó")
        for ref in _split(v.get("predecessors", "")):
            if ref not in known_codes:
                errors.append(f"Dòng {row.line}: cơ quan tiền nhiệm “{ref}” không tồn tại")
        if v.get("predecessors") and not v.get("valid_from"):
            errors.append(f"Dòng {row.line}: có cơ quan tiền nhiệm thì phải có valid_from")
    errors.extend(_cycles(rows, session))
    return errors


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _cycles(rows: list[_Row], session: Session) -> list[str]:
    every = {"include_deleted": True}
    parents = dict(
        session.execute(select(Agency.code, Agency.parent_id).execution_options(**every)).all()
    )
    id_to_code = dict(
        session.execute(select(Agency.id, Agency.code).execution_options(**every)).all()
    )
    parent_of = {code: id_to_code.get(pid) for code, pid in parents.items()}
    for row in rows:
        parent_of[row.values.get("code", "")] = row.values.get("parent") or None
    errors = []
    for row in rows:
        seen = set()
        code = row.values.get("code", "")
        while code:
            if code in seen:
                errors.append(f"Dòng {row.line}: quan hệ cấp trên tạo thành vòng lặp qua “{code}”")
                break
            seen.add(code)
            code = parent_of.get(code)
    return errors


def _ordered(rows: list[_Row]) -> list[_Row]:
    """Parents before children, so paths can be computed in one pass."""
    by_code = {row.values["code"]: row for row in rows}
    ordered: list[_Row] = []
    placed: set[str] = set()

    def place(row: _Row) -> None:
        code = row.values["code"]
        if code in placed:
            return
        parent = row.values.get("parent")
        if parent in by_code:
            place(by_code[parent])
        placed.add(code)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def import_agencies(source: str | Path | io.TextIOBase, session: Session) -> ImportReport:
    """Validate every row, then create or update agencies by code in the caller's transaction.

    Raises AgencyImportError listing every bad row (with its line) before anything is written.
    """
    rows, errors = _read_rows(source)
    errors += _validate(rows, session)
    if errors:
        raise AgencyImportError(errors)
    kinds = {k.code: k for k in session.scalars(select(AgencyKind))}
    report = ImportReport()
    # Soft-deleted agencies keep their codes: a re-import never creates them twice and
    # leaves them deleted (an administrator restores them from the Deleted records screen).
    agencies = {
        a.code: a for a in session.scalars(select(Agency).execution_options(include_deleted=True))
    }
    with session.no_autoflush:
        for row in _ordered(rows):
            agency, created = _upsert(row.values, kinds, agencies)
            if created:
                session.add(agency)
                report.created += 1
            elif session.is_modified(agency):
                report.updated += 1
            else:
                report.unchanged += 1
            report.codes.append(agency.code)
        for row in rows:
            ref = row.values.get("operating_office")
            agencies[row.values["code"]].operating_office = agencies[ref] if ref else None
    session.flush()
    report.successions = _record_successions(rows, agencies, session)
    session.flush()
    return report


def _upsert(
    v: dict[str, str], kinds: dict[str, AgencyKind], agencies: dict[str, Agency]
) -> tuple[Agency, bool]:
    kind = kinds[v["kind"]]
    agency = agencies.get(v["code"])
    created = agency is None
    if created:
        agency = Agency(code=v["code"])
        agencies[v["code"]] = agency
    receives = _parse_bool(v.get("receives_petitions", ""))
    assigns = _parse_bool(v.get("assigns_tasks", ""))
    fields = {
        "name": v["name"],
        "short_name": v.get("short_name") or None,
        "name_key": vietnamese_sort_key(v["name"]),
        "kind": kind,
        "parent": agencies[v["parent"]] if v.get("parent") else None,
        "receives_petitions": kind.receives_petitions if receives is None else receives,
        "assigns_tasks": kind.assigns_tasks if assigns is None else assigns,
        "admin_unit_code": v.get("admin_unit_code") or None,
        "valid_from": parse_date(v.get("valid_from", "")),
        "valid_to": parse_date(v.get("valid_to", "")),
        "source_status": v.get("status") or None,
        "note": v.get("note") or None,
    }
    for name, value in fields.items():
        if getattr(agency, name) != value:
            setattr(agency, name, value)
    valid_to = fields["valid_to"]
    active = valid_to is None or valid_to >= dt.date.today()
    if agency.active != active:
        agency.active = active
    return agency, created


def _record_successions(rows: list[_Row], agencies: dict[str, Agency], session: Session) -> int:
    links = select(AgencySuccession.predecessor_id, AgencySuccession.successor_id)
    existing = set(session.execute(links.execution_options(include_deleted=True)))
    added = 0
    for row in rows:
        successor = agencies[row.values["code"]]
        effective = parse_date(row.values.get("valid_from", ""))
        for code in _split(row.values.get("predecessors", "")):
            predecessor = agencies.get(code) or session.scalar(
                select(Agency).where(Agency.code == code)
            )
            if (predecessor.id, successor.id) in existing:
                continue
            session.add(
                AgencySuccession(
                    predecessor=predecessor,
                    successor=successor,
                    effective_date=effective,
                    change_type="merge",
                    note=row.values.get("note") or None,
                )
            )
            existing.add((predecessor.id, successor.id))
            added += 1
    return added
