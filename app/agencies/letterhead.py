"""The header of an official document issued by an agency (Decree 30/2020/NĐ-CP, App. I).

Top left, in capitals: the directly superior body ("UBND THÀNH PHỐ CAO LÃNH") above the
issuing agency (bold, "BAN TIẾP CÔNG DÂN"); the place on the date line is the
administrative unit the agency sits in ("Cao Lãnh, ngày …"). Everything is derived from
the agency tree, so the 2017 and the 2025 structures both print correctly:

- the superior body is the nearest ancestor that is not the office operating its own
  parent (a district reception board hangs under the district office in the tree, but
  its documents are headed by the district People's Committee); "Ủy ban nhân dân" and
  "Hội đồng nhân dân" are abbreviated there, as the decree allows for the superior body;
- the issuing agency's name drops the locality it shares with the superior body
  ("Ban Tiếp công dân thành phố Cao Lãnh" under "UBND thành phố Cao Lãnh");
- the place is the unit named by the nearest ``admin_unit_code`` up the tree, without its
  type word ("Thành phố Cao Lãnh" → "Cao Lãnh"), except units named by a number
  ("Phường 11" stays whole, as the decree requires).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from app.agencies.models import Agency
from app.agencies.services import ancestors
from app.geography.models import AdminUnit

_ABBREVIATIONS = (("Ủy ban nhân dân", "UBND"), ("Hội đồng nhân dân", "HĐND"))
# Words opening the locality part of a body's name, longest first.
_LEVEL_WORDS = [
    level.split()
    for level in ("thành phố", "thị xã", "thị trấn", "tỉnh", "huyện", "quận", "xã", "phường")
]
# Bodies whose legal name includes the level word ("Thanh tra tỉnh", "Thanh tra huyện").
_KEEP_LEVEL_WORD = frozenset({"thanh tra"})


@dataclass(frozen=True)
class Letterhead:
    """The lines of an agency's document header."""

    superior: str | None
    agency: str
    place: str


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _upper(text: str) -> str:
    return _nfc(text).upper()


def _abbreviate(name: str) -> str:
    name = _nfc(name)
    for long, short in _ABBREVIATIONS:
        if name.lower().startswith(long.lower()):
            return short + name[len(long) :]
    return name


def _locality(name: str) -> tuple[str, str] | None:
    """(level word, locality) a body's name ends with: ("tỉnh", "tỉnh Đồng Tháp")."""
    words = _nfc(name).split()
    lowered = [word.lower() for word in words]
    for index in range(len(words)):
        for level in _LEVEL_WORDS:
            if lowered[index : index + len(level)] == level:
                return " ".join(words[index : index + len(level)]), " ".join(words[index:])
    return None


def _without_shared_locality(name: str, superior: str) -> str:
    """``name`` without the locality it shares with ``superior``; inspectorates keep the
    level word, which is part of their legal name ("Thanh tra tỉnh", Luật Thanh tra)."""
    name = _nfc(name)
    found = _locality(superior)
    if found is None or not name.lower().endswith(" " + found[1].lower()):
        return name
    level, locality = found
    rest = name[: -len(locality) - 1]
    if rest.lower() in _KEEP_LEVEL_WORD:
        return f"{rest} {name[len(rest) + 1 :][: len(level)]}"
    return rest


def superior_body(agency: Agency) -> Agency | None:
    """The body named above ``agency`` in its header: the nearest ancestor that is not the
    office operating its own parent (Decree 30/2020: "cơ quan chủ quản trực tiếp")."""
    chain = ancestors(agency)
    for candidate in reversed(chain):
        parent = candidate.parent
        if parent is not None and parent.operating_office_id == candidate.id:
            continue
        return candidate
    return None


def place_name(agency: Agency, on: dt.date) -> str:
    """Where the agency issues its documents: its administrative unit without the type word
    ("Cao Lãnh", "Đồng Tháp", "Phường 11")."""
    session = object_session(agency)
    assert isinstance(session, Session)
    for candidate in [agency, *reversed(ancestors(agency))]:
        if not candidate.admin_unit_code:
            continue
        unit = _unit(session, candidate.admin_unit_code, on)
        if unit is not None:
            return _short_unit_name(unit)
    return ""


def _unit(session: Session, code: str, on: dt.date) -> AdminUnit | None:
    units = list(
        session.scalars(
            select(AdminUnit).where(AdminUnit.code == code).order_by(AdminUnit.valid_from.desc())
        )
    )
    for unit in units:
        if unit.valid_from <= on and (unit.valid_to is None or on <= unit.valid_to):
            return unit
    return units[0] if units else None


def _short_unit_name(unit: AdminUnit) -> str:
    name = _nfc(unit.name)
    prefix = _nfc(unit.unit_type or "")
    if prefix and name.lower().startswith(prefix.lower() + " "):
        rest = name[len(prefix) + 1 :]
        if not rest.split()[0].isdigit():
            return rest
    return name


def letterhead(agency: Agency, on: dt.date) -> Letterhead:
    """The header lines of a document ``agency`` issues on ``on``."""
    superior = superior_body(agency)
    if superior is None:
        return Letterhead(superior=None, agency=_upper(agency.name), place=place_name(agency, on))
    return Letterhead(
        superior=_upper(_abbreviate(superior.name)),
        agency=_upper(_without_shared_locality(agency.name, superior.name)),
        place=place_name(agency, on),
    )
