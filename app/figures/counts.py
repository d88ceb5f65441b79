"""Counts of lists and cards that stay quick on a million petitions (issue 7 load).

A figure about few rows is exact: at most ``EXACT_UP_TO`` + 1 rows are read to know that
they are few. A figure about more rows — a whole province's petitions — is the exact
figure computed within the last FIGURE_CACHE_SECONDS for the same query
(app.figures.cache), so a list opened by many officials counts its hundreds of thousands
of rows once for all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.figures.cache import cached, figure_key

T = TypeVar("T")
# Figures about up to this many rows are exact on every request.
EXACT_UP_TO = 2_000


def _capped_count(session: Session, query: Select, options: dict[str, Any]) -> int:
    capped = select(func.count()).select_from(query.limit(EXACT_UP_TO + 1).subquery())
    return session.scalar(capped.execution_options(**options)) or 0


def _key(session: Session, name: str, query: Select, options: dict[str, Any]) -> str:
    compiled = query.compile(dialect=session.get_bind().dialect)
    return figure_key(name, str(compiled), sorted(compiled.params.items()), sorted(options))


def exact_or_recent(
    session: Session,
    query: Select,
    name: str,
    compute: Callable[[], T],
    *,
    rows: int | None = None,
    **options: Any,
) -> T:
    """``compute()``, a figure about the rows of ``query``: computed now when they are at
    most EXACT_UP_TO, else its value of the last FIGURE_CACHE_SECONDS for the same query
    (``name`` tells the figures of one query apart; the value must be JSON). ``rows``:
    how many rows the query selects, when the caller has just counted them."""
    query = query.order_by(None)
    if rows is None:
        rows = _capped_count(session, query, options)
    if rows <= EXACT_UP_TO:
        return compute()
    return cached(_key(session, name, query, options), compute)[0]


def count_rows(session: Session, query: Select, **options: Any) -> int:
    """How many rows ``query`` selects (``options``: its execution options): exact up to
    EXACT_UP_TO, above it counted at most FIGURE_CACHE_SECONDS ago."""
    query = query.order_by(None)
    found = _capped_count(session, query, options)
    if found <= EXACT_UP_TO:
        return found
    full = select(func.count()).select_from(query.subquery()).execution_options(**options)
    return exact_or_recent(
        session, query, "count", lambda: session.scalar(full) or 0, rows=found, **options
    )
