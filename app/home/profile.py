"""Who the logged-in user is, as the landing page introduces them: name, agency, roles."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.agencies.models import Agency
from app.agencies.tree import PATH_SEPARATOR
from app.core.vnsort import vietnamese_sort_key
from app.extensions import db


def full_name(user: Any) -> str:
    """Vietnamese order: family and middle names (FAB's first name), then the given name."""
    return " ".join(part for part in (user.first_name, user.last_name) if part)


def agency_chain(agency: Agency) -> list[Agency]:
    """R1: the agency and the agencies above it, from the top of the tree down to it."""
    codes = [code for code in agency.path.split(PATH_SEPARATOR) if code]
    ancestors = db.session.scalars(select(Agency).where(Agency.code.in_(codes)))
    return sorted(ancestors, key=lambda ancestor: ancestor.depth)


def role_names(user: Any) -> list[str]:
    """R10, R11: the names of the user's roles (Vietnamese, app.security.roles), in
    Vietnamese alphabetical order."""
    return sorted((role.name for role in user.roles), key=vietnamese_sort_key)
