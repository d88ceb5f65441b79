"""The rows of a per-agency form (R21): the agencies of the chosen scope, grouped under the
task-assigning agency (district) they belong to for the subtotals.

The scope is an agency and its subtree (the province, a district, one agency), already
checked against the user's data scope by the caller. The group of an agency is its
highest task-assigning ancestor strictly below the scope's root (R3: a district People's
Committee); agencies with none (the provincial level, or every agency of a district
scope) form the ungrouped block listed first.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.models import Agency, AgencyKind
from app.agencies.services import in_force


def scope_agencies(session: Session, root: Agency, on: dt.date) -> pd.DataFrame:
    """R21: every agency of ``root``'s subtree with its name, tree position, kind order,
    capabilities, whether it is in force on ``on`` and its group (``group_id``, or -1 for
    the ungrouped block), indexed by agency id."""
    query = (
        select(
            Agency.id,
            Agency.code,
            Agency.name,
            Agency.path,
            Agency.name_key,
            AgencyKind.sort_order.label("kind_order"),
            Agency.receives_petitions,
            Agency.assigns_tasks,
            in_force(on).label("in_force"),
        )
        .join(AgencyKind, AgencyKind.id == Agency.kind_id)
        .where(Agency.path.startswith(root.path, autoescape=True))
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))
    frame = frame.astype({"receives_petitions": bool, "assigns_tasks": bool, "in_force": bool})
    depth = len([code for code in root.path.split("/") if code])
    assigning = frame[frame.assigns_tasks & (frame.id != root.id)]
    group_of_code = dict(zip(assigning.code, assigning.id, strict=True))
    below_root = frame.path.str.strip("/").str.split("/").str[depth:]
    frame["group_id"] = below_root.map(
        lambda codes: next((group_of_code[c] for c in codes if c in group_of_code), -1)
    )
    return frame.set_index("id")
