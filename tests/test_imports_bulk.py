"""The bulk writer of the imports (issue 7, app/imports/bulk.py): rows go in with their
ids in order and their values bound as the ORM binds them; a row the database refuses
reaches the importer as an error, on PostgreSQL from the COPY thread too."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.imports.bulk import bulk_writer
from app.outbox.models import NationalCode

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TABLE = NationalCode.__table__


def _code(local: str, at: dt.datetime) -> dict:
    return {
        "kind": "subject_area",
        "local_code": local,
        "national_code": f"QG-{local.upper()}",
        "created_at": at,
        "updated_at": at,
    }


def _refused_errors() -> tuple[type[BaseException], ...]:
    return (IntegrityError, db.engine.dialect.loaded_dbapi.IntegrityError)


def test_rows_get_their_ids_in_order_and_times_as_the_orm_stores_them(app_ctx):
    received = dt.datetime(2026, 11, 27, 8, 30, tzinfo=VIETNAM)  # 01:30 UTC
    rows = [_code(f"kn_bulk_{number}", received) for number in range(5)]
    with bulk_writer(db.session) as writer:
        writer.reserve_ids(TABLE, 3)  # fewer than needed: the rest drawn when taken
        ids = writer.insert(TABLE, rows)
    assert len(set(ids)) == 5 and ids == sorted(ids)
    stored = {
        code.id: code
        for code in db.session.scalars(select(NationalCode).where(NationalCode.id.in_(ids)))
    }
    assert [stored[row_id].local_code for row_id in ids] == [f"kn_bulk_{n}" for n in range(5)]
    assert stored[ids[0]].created_at == received
    assert stored[ids[0]].created_at.astimezone(dt.UTC).hour == 1


def test_a_row_the_database_refuses_reaches_the_importer_and_nothing_is_kept(app_ctx):
    before = db.session.scalar(select(func.count(NationalCode.id)))
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(_refused_errors()), bulk_writer(db.session) as writer:
        writer.write(TABLE, [_code("kn_bulk_twice", now)])
        writer.write(TABLE, [_code("kn_bulk_twice", now)])  # same kind and local code
        writer.write(TABLE, [_code("kn_bulk_after", now)])
    db.session.rollback()
    assert db.session.scalar(select(func.count(NationalCode.id))) == before
