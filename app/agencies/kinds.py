"""The agency kinds a province starts with (R1–R3); administrators can add more."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import AgencyKind

# code, Vietnamese name, receives petitions (R2), assigns tasks (R3)
DEFAULT_KINDS: list[tuple[str, str, bool, bool]] = [
    ("provincial_pc", "Ủy ban nhân dân tỉnh", False, True),
    ("pc_office", "Văn phòng Ủy ban nhân dân tỉnh", False, False),
    ("inspectorate", "Thanh tra tỉnh", True, False),
    ("citizen_reception_board", "Ban Tiếp công dân tỉnh", True, False),
    ("department", "Sở, ban, ngành", False, False),
    ("department_inspectorate", "Thanh tra Sở", True, False),
    ("district_pc", "Ủy ban nhân dân cấp huyện", False, True),
    ("district_office", "Văn phòng HĐND và UBND cấp huyện", False, False),
    ("district_inspectorate", "Thanh tra cấp huyện", True, False),
    ("district_reception_board", "Ban Tiếp công dân cấp huyện", True, False),
    ("commune_pc", "Ủy ban nhân dân cấp xã", True, False),
]


def seed_agency_kinds(session: Session) -> int:
    """Insert the default kinds that are missing; return how many were added."""
    existing = set(session.scalars(select(AgencyKind.code)))
    added = 0
    for order, (code, name, receives, assigns) in enumerate(DEFAULT_KINDS):
        if code in existing:
            continue
        session.add(
            AgencyKind(
                code=code,
                name=name,
                receives_petitions=receives,
                assigns_tasks=assigns,
                sort_order=order,
            )
        )
        added += 1
    session.flush()
    return added
