"""What schema comparison (``flask db migrate``, the migration test) leaves alone."""

from __future__ import annotations

from typing import Any

# Tables the database makes for itself: SQLite FTS5 keeps petition_fts and its shadow
# tables (petition_fts_data, _idx, _docsize, _config), created by the migration's SQL.
UNMANAGED_TABLE_PREFIXES = ("petition_fts",)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic ``include_object`` hook: skip the tables in UNMANAGED_TABLE_PREFIXES."""
    return not (type_ == "table" and bool(name) and name.startswith(UNMANAGED_TABLE_PREFIXES))
