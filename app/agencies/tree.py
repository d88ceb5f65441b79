"""Keeps the agency tree consistent: materialised paths, depth, no cycles (R1)."""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.agencies.models import Agency

PATH_SEPARATOR = "/"
_installed = False


class TreeError(ValueError):
    """An edit would break the tree (a cycle, a bad code)."""


def check_code(code: str) -> None:
    """Agency codes are non-empty and contain no path separator or spaces."""
    if not code or PATH_SEPARATOR in code or any(ch.isspace() for ch in code):
        raise TreeError(
            f"Mã cơ quan không hợp lệ: “{code}” (không được rỗng, chứa “/” hay khoảng trắng)."
        )


def check_parent(agency: Agency, parent: Agency | None) -> None:
    """Refuse a parent that is the agency itself or lies in its subtree."""
    if parent is None:
        return
    if parent is agency or (agency.id is not None and parent.id == agency.id):
        raise TreeError("Một cơ quan không thể là cơ quan cấp trên của chính nó.")
    if agency.path and agency.path != PATH_SEPARATOR and parent.path.startswith(agency.path):
        raise TreeError(
            f"Không thể đặt “{parent.name}” làm cơ quan cấp trên: nó thuộc cây của “{agency.name}”."
        )


def refresh_paths(session: Session) -> None:
    """Recompute path and depth of new or moved agencies and of their whole subtrees."""
    changed = [obj for obj in list(session.new) + list(session.dirty) if isinstance(obj, Agency)]
    done: set[int] = set()
    for agency in changed:
        _refresh(agency, session, done, set(map(id, changed)))


def _parent_of(agency: Agency, session: Session) -> Agency | None:
    if agency.parent is not None:
        return agency.parent
    return session.get(Agency, agency.parent_id) if agency.parent_id else None


def _refresh(agency: Agency, session: Session, done: set[int], changed: set[int]) -> None:
    if id(agency) in done:
        return
    done.add(id(agency))
    check_code(agency.code)
    parent = _parent_of(agency, session)
    if parent is not None and id(parent) in changed:
        _refresh(parent, session, done, changed)
    check_parent(agency, parent)
    prefix = parent.path if parent is not None else PATH_SEPARATOR
    new_path = f"{prefix}{agency.code}{PATH_SEPARATOR}"
    if new_path == agency.path:
        return
    old_path = agency.path
    agency.path = new_path
    agency.depth = new_path.count(PATH_SEPARATOR) - 2
    if old_path and old_path != PATH_SEPARATOR and agency.id is not None:
        descendants = session.scalars(
            select(Agency).where(
                Agency.path.startswith(old_path, autoescape=True), Agency.id != agency.id
            )
        )
        for child in descendants:
            child.path = new_path + child.path[len(old_path) :]
            child.depth = child.path.count(PATH_SEPARATOR) - 2


def install_tree_listener() -> None:
    """Run ``refresh_paths`` before every flush (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "before_flush", lambda session, _ctx, _inst: refresh_paths(session))
    _installed = True
