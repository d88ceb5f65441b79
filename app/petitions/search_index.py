"""The full-text index over the petitions' folded matter (``petition.search_text``, R12).

PostgreSQL: a GIN index on ``to_tsvector('simple', search_text)`` declared on the model
(app.petitions.models); the text is already folded, so the 'simple' configuration (no
stemming, no stop words) suffices. SQLite: an FTS5 table with external content
(``petition_fts``, content = the petition table) kept current by three triggers. Neither
is expressible by ``create_all`` alone on SQLite, so ``attach_search_index_ddl`` hangs
the statements on the petition table's create/drop events; the migration runs the same
statements (``SQLITE_DDL``).

``matter_candidates`` returns the ids of petitions whose matter holds all the given
terms, newest first where the index allows it, bounded by ``limit``: the index answers,
no petition is read in Python.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event, text
from sqlalchemy.engine import Connection

FTS_TABLE = "petition_fts"

SQLITE_DDL: tuple[str, ...] = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='petition', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON petition BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON petition BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON petition "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
)
SQLITE_DROP_DDL = f"DROP TABLE IF EXISTS {FTS_TABLE}"


def attach_search_index_ddl(petition_table: Table) -> None:
    """Create the SQLite FTS5 table and its triggers with the petition table, drop it
    before the petition table (the PostgreSQL index is declared on the model)."""
    for statement in SQLITE_DDL:
        event.listen(petition_table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
    event.listen(petition_table, "before_drop", DDL(SQLITE_DROP_DDL).execute_if(dialect="sqlite"))


def matter_candidates(conn: Connection, terms: list[str], limit: int) -> list[int]:
    """R12: ids of petitions whose folded matter contains every one of ``terms`` (folded
    words, ``[0-9a-z]+``), at most ``limit``."""
    words = [term for term in terms if term.isascii() and term.isalnum()]
    if not words:
        return []
    if conn.dialect.name == "postgresql":
        query = text(
            "SELECT id FROM petition "
            "WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', :q) LIMIT :n"
        )
        return list(conn.execute(query, {"q": " & ".join(words), "n": limit}).scalars())
    query = text(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rowid DESC LIMIT :n"
    )
    match = " AND ".join(f'"{word}"' for word in words)
    return list(conn.execute(query, {"q": match, "n": limit}).scalars())
