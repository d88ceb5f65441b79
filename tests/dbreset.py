"""Fast per-test database reset: restore every table to a snapshot taken once per session.

The base data (roles, permissions, the demo province, demo accounts) is built once; each
test starts from exactly that state on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData, select, text
from sqlalchemy.engine import Engine


class Snapshot:
    """Rows of every table, captured once and restored before each test."""

    def __init__(self, engine: Engine, metadata: MetaData):
        self.engine = engine
        self.tables = list(metadata.sorted_tables)
        self.rows: dict[str, list[dict[str, Any]]] = {}
        with engine.connect() as conn:
            for table in self.tables:
                pk = list(table.primary_key.columns)
                query = select(table).order_by(*pk) if pk else select(table)
                self.rows[table.name] = [dict(row._mapping) for row in conn.execute(query)]

    def restore(self) -> None:
        """Delete everything and re-insert the snapshot rows; reset PostgreSQL sequences."""
        postgres = self.engine.dialect.name == "postgresql"
        with self.engine.connect() as conn:
            if not postgres:
                conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
                conn.commit()
            with conn.begin():
                if postgres:
                    conn.execute(text("SET LOCAL session_replication_role = replica"))
                for table in reversed(self.tables):
                    conn.execute(table.delete())
                for table in self.tables:
                    rows = self.rows[table.name]
                    if rows:
                        conn.execute(table.insert(), rows)
                if postgres:
                    self._reset_sequences(conn)
            if not postgres:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()

    def _reset_sequences(self, conn) -> None:
        for table in self.tables:
            for column in table.primary_key.columns:
                if not column.autoincrement or column.type.python_type is not int:
                    continue
                seq = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if seq is None:
                    for default in (column.default, column.server_default):
                        name = getattr(default, "name", None)
                        if name:
                            seq = name
                if seq is None:
                    continue
                conn.execute(
                    text(
                        f"SELECT setval('{seq}', COALESCE((SELECT MAX(\"{column.name}\") "
                        f'FROM "{table.name}"), 0) + 1, false)'
                    )
                )
