"""R6, R12: every candidate query of the lookup reads an index, on SQLite and on
PostgreSQL — none scans the citizens or the petitions (a scan would not stay fast at a
million petitions). PostgreSQL is told not to prefer a scan on these small test tables,
so a query without a usable index still shows up as a sequential scan."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from app.extensions import db
from app.petitions.candidates import PersonTyped, person_routes, petition_statement
from app.petitions.models import Petition, PetitionSignatory
from app.petitions.search_index import FTS_TABLE
from tests.lookup_helpers import commune

TYPED = PersonTyped(
    name_tokens=("hung", "van", "nguyen"),
    id_number="087085001234",
    phone="0913456789",
    communes=(),
)


def _plan(sql: str) -> str:
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        return "\n".join(row[0] for row in conn.exec_driver_sql(f"EXPLAIN {sql}"))
    return "\n".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}"))


def _sql(statement) -> str:
    dialect = db.session.connection().dialect
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


def _uses_an_index(plan: str) -> bool:
    if db.session.connection().dialect.name == "postgresql":
        return "Index" in plan and "Seq Scan" not in plan
    return "USING" in plan and "INDEX" in plan and "SCAN citizen" not in plan


def test_every_person_route_reads_an_index(app_ctx):
    typed = PersonTyped(**{**TYPED.__dict__, "communes": (commune(db.session, "29884").id,)})
    routes = person_routes(typed)
    assert len(routes) == 6
    for route in routes:
        plan = _plan(_sql(route))
        assert _uses_an_index(plan), plan


def test_routes_without_a_commune_read_an_index_too(app_ctx):
    routes = person_routes(TYPED)
    assert len(routes) == 3
    for route in routes:
        plan = _plan(_sql(route))
        assert _uses_an_index(plan), plan


def test_the_matter_is_searched_through_the_full_text_index(app_ctx):
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        plan = _plan(
            "SELECT id FROM petition WHERE to_tsvector('simple', search_text) "
            "@@ to_tsquery('simple', 'thua & 125') LIMIT 50"
        )
        assert "ix_petition_search_fts" in plan, plan
    else:
        plan = _plan(
            f'SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH \'"thua" AND "125"\' '
            "ORDER BY rowid DESC LIMIT 50"
        )
        assert "VIRTUAL TABLE INDEX" in plan and FTS_TABLE in plan, plan


@pytest.mark.parametrize(
    "condition",
    [PetitionSignatory.citizen_id.in_([1, 2, 3]), Petition.id.in_([1, 2, 3])],
    ids=["by signatory", "by petition"],
)
def test_petitions_of_the_candidates_are_read_by_index(app_ctx, condition):
    plan = _plan(_sql(petition_statement(condition)))
    if db.session.connection().dialect.name == "postgresql":
        assert not re.search(r"Seq Scan on (petition|petition_signatory|citizen)\b", plan), plan
    else:
        assert not re.search(r"^SCAN (petition|petition_signatory|citizen)\b", plan, re.M), plan


def _matter_ids(*terms: str) -> list[int]:
    from app.petitions.search_index import matter_candidates

    return matter_candidates(db.session.connection(), list(terms), 50)


def test_the_full_text_index_follows_every_change_and_the_test_reset(app, app_ctx):
    from tests.lookup_helpers import file_petition

    petition = file_petition(
        db.session,
        agency_code="DT17-876-TCD",
        full_name="Lê Văn Tám",
        summary="Phản ánh lò sấy lúa gây bụi tại Ấp Hòa Bình, xã Tân Thành",
        commune_code="30226",
        hamlet="Ấp Hòa Bình",
    )
    assert _matter_ids("say", "lua", "bui") == [petition.id]
    petition.summary = "Phản ánh cơ sở xay xát lúa gây tiếng ồn ban đêm"
    petition.content = None
    db.session.commit()
    assert _matter_ids("say", "lua", "bui") == []
    assert _matter_ids("xay", "xat", "on") == [petition.id]
    db.session.remove()
    app.extensions["test_snapshot"].restore()
    assert _matter_ids("xay", "xat", "on") == []
    if db.session.connection().dialect.name == "sqlite":
        db.session.connection().exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')"
        )
