"""Import of a GSO administrative-unit list (CSV): code, name, level, type, parent_code,
valid_from, valid_to. Units are matched by (code, valid_from), so re-importing is harmless."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.importer import parse_date
from app.core.vnsort import vietnamese_sort_key
from app.geography.models import AdminUnit


class UnitImportError(Exception):
    """Bad rows, listed with their line numbers; nothing was saved."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def import_admin_units(path: str | Path, session: Session) -> int:
    """Create the units of the file that are missing; return how many were created."""
    with open(path, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    errors = []
    for line, row in enumerate(rows, start=2):
        for col in ("code", "name", "level", "type", "valid_from"):
            if not (row.get(col) or "").strip():
                errors.append(f"Dòng {line}: thiếu “{col}”")
    if errors:
        raise UnitImportError(errors)
    existing = {(unit.code, unit.valid_from): unit for unit in session.scalars(select(AdminUnit))}
    created = 0
    for row in rows:
        valid_from = parse_date(row["valid_from"])
        key = (row["code"].strip(), valid_from)
        if key in existing:
            continue
        parent = None
        if row.get("parent_code"):
            parent = existing.get((row["parent_code"].strip(), valid_from))
        unit = AdminUnit(
            code=key[0],
            name=row["name"].strip(),
            name_key=vietnamese_sort_key(row["name"], max_length=150),
            level=row["level"].strip(),
            unit_type=row["type"].strip(),
            parent=parent,
            valid_from=valid_from,
            valid_to=parse_date(row.get("valid_to") or ""),
        )
        session.add(unit)
        existing[key] = unit
        created += 1
    session.flush()
    return created
