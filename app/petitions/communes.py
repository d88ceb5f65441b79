"""Which commune a typed address names (R6): "Ấp 3, X. Mỹ Tân, TP. Cao Lãnh" → Xã Mỹ Tân.

The lookup narrows its name candidates to the citizen's commune. A clerk may pick the
commune or only type the address; this reads the commune (and its district, to tell
apart the several "Phường 1") from the folded address. The list of communes is small and
changes rarely, so it is read once and kept for ``CACHE_SECONDS``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.geography.models import AdminUnit
from app.petitions.normalize import fold_address

CACHE_SECONDS = 600.0
_TYPE_WORDS = ("xa ", "phuong ", "thi tran ")
_DISTRICT_WORDS = ("thanh pho ", "thi xa ", "huyen ", "quan ")


@dataclass(frozen=True)
class _Commune:
    id: int
    name: str  # folded with its type word: "xa my tan", "phuong 1"
    bare: str  # without it, when that still names a place: "my tan" ("" for "1")
    district: str  # the district's bare folded name: "cao lanh"


_cache: dict[str, tuple[float, list[_Commune]]] = {}


def _strip(name: str, words: tuple[str, ...]) -> str:
    for word in words:
        if name.startswith(word):
            return name[len(word) :]
    return name


def _communes(session: Session) -> list[_Commune]:
    key = str(session.get_bind().url)
    cached = _cache.get(key)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    parent = aliased(AdminUnit)
    rows = session.execute(
        select(AdminUnit.id, AdminUnit.name, parent.name, parent.level)
        .outerjoin(parent, parent.id == AdminUnit.parent_id)
        .where(AdminUnit.level == "commune")
    )
    communes = []
    for unit_id, name, parent_name, parent_level in rows:
        folded = fold_address(name)
        bare = _strip(folded, _TYPE_WORDS)
        district = ""
        if parent_name and parent_level == "district":
            district = _strip(fold_address(parent_name), _DISTRICT_WORDS)
        communes.append(_Commune(unit_id, folded, "" if bare.isdigit() else bare, district))
    _cache[key] = (time.monotonic(), communes)
    return communes


def resolve_communes(session: Session, address: str) -> tuple[int, ...]:
    """R6: ids of the communes the typed address names best (several when the text fits
    more than one, e.g. the same commune in the 2017 and the 2025 lists); () if none."""
    text = f" {fold_address(address)} "
    if not text.strip():
        return ()
    best, ids = 0, []
    for commune in _communes(session):
        score = 0
        if f" {commune.name} " in text:
            score = 3
        elif commune.bare and f" {commune.bare} " in text:
            score = 2
        if score and commune.district and f" {commune.district} " in text:
            score += 2
        if score > best:
            best, ids = score, [commune.id]
        elif score and score == best:
            ids.append(commune.id)
    return tuple(ids)


def place_words(
    session: Session, folded_address: str, commune_ids: tuple[int, ...]
) -> frozenset[str]:
    """The words of a typed address and of the communes (with their districts) it names
    or the clerk picked: in a matter they say where, not what (app.petitions.matching)."""
    words = set(folded_address.split())
    for commune in _communes(session):
        if commune.id in commune_ids:
            words.update(commune.name.split())
            words.update(commune.district.split())
    return frozenset(words)
