"""Row counts of lists and cards that stay quick on a million petitions (issue 7 load).

A small count is exact: at most ``EXACT_UP_TO`` + 1 rows are read to know it. A count
above that — a whole province's petitions — is the exact count computed within the last
FIGURE_CACHE_SECONDS for the same query (app.figures.cache), so a list opened by many
officials counts its hundreds of thousands of rows once for all of them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.figures.cache import cached, figure_key

# Counts up to this are exact on every request.
EXACT_UP_TO = 10_000


def count_rows(session: Session, query: Select, **options: Any) -> int:
    """How many rows ``query`` selects (``options``: its execution options): exact up to
    EXACT_UP_TO, above it counted at most FIGURE_CACHE_SECONDS ago."""
    query = query.order_by(None)
    capped = select(func.count()).select_from(query.limit(EXACT_UP_TO + 1).subquery())
    found = session.scalar(capped.execution_options(**options)) or 0
    if found <= EXACT_UP_TO:
        return found
    compiled = query.compile(dialect=session.get_bind().dialect)
    key = figure_key("count", str(compiled), sorted(compiled.params.items()), sorted(options))
    full = select(func.count()).select_from(query.subquery()).execution_options(**options)
    total, _computed_at = cached(key, lambda: session.scalar(full) or 0)
    return total
