"""The agency tree page's data (R1–R3): the agencies of a scope, nested, in one query."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import succeeded_by, within_validity

IN_FORCE = "in_force"
INACTIVE = "inactive"
SUCCEEDED = "succeeded"


@dataclass
class OutlineNode:
    """One agency of the tree page with what its line shows."""

    id: int
    code: str
    name: str
    short_name: str | None
    path: str
    kind: str
    receives_petitions: bool
    assigns_tasks: bool
    operating_office: str | None
    status: str
    search_text: str
    children: list[OutlineNode] = field(default_factory=list)


def fold_vietnamese(text: str) -> str:
    """Search form of a text: lower case, tone marks and diacritics removed, đ → d, single
    spaces; "Cao Lãnh" and "cao lanh" fold alike (tree.js folds the typed text the same way).
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.split())


def agency_outline(
    session: Session, condition: ColumnElement[bool], on: dt.date
) -> list[OutlineNode]:
    """The agencies matching ``condition`` (the user's data scope) as a forest.

    One query, ordered by depth, kind order and Vietnamese name; an agency whose parent is
    outside the scope becomes a root. Status on ``on``: succeeded, inactive or in force.
    """
    office = aliased(Agency)
    rows = session.execute(
        select(
            Agency.id,
            Agency.parent_id,
            Agency.code,
            Agency.name,
            Agency.short_name,
            Agency.path,
            AgencyKind.name.label("kind"),
            Agency.receives_petitions,
            Agency.assigns_tasks,
            office.name.label("office"),
            within_validity(on).label("valid"),
            succeeded_by(on).label("succeeded"),
        )
        .join(AgencyKind, AgencyKind.id == Agency.kind_id)
        .outerjoin(office, office.id == Agency.operating_office_id)
        .where(condition)
        .order_by(Agency.depth, AgencyKind.sort_order, Agency.name_key)
    )
    nodes: dict[int, OutlineNode] = {}
    roots: list[OutlineNode] = []
    for row in rows:
        node = OutlineNode(
            id=row.id,
            code=row.code,
            name=row.name,
            short_name=row.short_name,
            path=row.path,
            kind=row.kind,
            receives_petitions=bool(row.receives_petitions),
            assigns_tasks=bool(row.assigns_tasks),
            operating_office=row.office if row.assigns_tasks else None,
            status=SUCCEEDED if row.succeeded else (IN_FORCE if row.valid else INACTIVE),
            search_text=fold_vietnamese(f"{row.name} {row.short_name or ''} {row.code}"),
        )
        nodes[row.id] = node
        parent = nodes.get(row.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def count_nodes(roots: list[OutlineNode]) -> int:
    """How many agencies a forest holds."""
    return sum(1 + count_nodes(node.children) for node in roots)
