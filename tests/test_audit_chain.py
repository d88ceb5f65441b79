"""R9: the audit log is one hash chain; `flask audit verify` finds any edited, removed or
inserted entry, and concurrent writers never fork the chain."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import delete, func, select, update

from app.agencies.models import Agency
from app.audit.chain import verify_chain
from app.audit.models import AuditChainHead, AuditLog
from app.extensions import db


def verify(app: Flask):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def entry_ids(app: Flask) -> list[int]:
    with app.app_context():
        ids = list(db.session.scalars(select(AuditLog.id).order_by(AuditLog.id)))
        db.session.remove()
        return ids


def raw(app: Flask, statement) -> None:
    with app.app_context(), db.engine.begin() as conn:
        conn.execute(statement)


def test_verify_reports_ok_with_the_number_of_entries(app):
    ids = entry_ids(app)
    assert len(ids) > 300  # the demo province and its accounts

    result = verify(app)
    assert result.exit_code == 0, result.output
    assert f"OK {len(ids)} " in result.output


def test_an_edited_entry_is_reported_by_its_id(app):
    target = entry_ids(app)[120]
    raw(
        app,
        update(AuditLog)
        .where(AuditLog.id == target)
        .values(changes={"name": [None, "Ủy ban nhân dân Xã Mỹ Tân (đã sửa)"]}),
    )
    result = verify(app)
    assert result.exit_code == 1
    assert f" {target}:" in result.output


def test_a_changed_author_is_detected(app):
    target = entry_ids(app)[-1]
    raw(app, update(AuditLog).where(AuditLog.id == target).values(username="caolanh.tcd"))
    result = verify(app)
    assert result.exit_code == 1 and f" {target}:" in result.output


def test_a_removed_entry_is_reported_at_the_next_one(app):
    ids = entry_ids(app)
    raw(app, delete(AuditLog).where(AuditLog.id == ids[50]))
    result = verify(app)
    assert result.exit_code == 1
    assert f" {ids[51]}:" in result.output


def test_removing_the_newest_entries_is_detected(app):
    ids = entry_ids(app)
    raw(app, delete(AuditLog).where(AuditLog.id >= ids[-3]))
    result = verify(app)
    assert result.exit_code == 1
    assert f" {ids[-1]}:" in result.output


def test_concurrent_writers_extend_one_unbroken_chain(app):
    """Four sessions on four connections commit at once; each entry links to the one before."""
    with app.app_context():
        commune_ids = list(
            db.session.scalars(
                select(Agency.id).where(Agency.code.like("DT17-29%-UB")).order_by(Agency.id)
            )
        )[:8]
        before = db.session.scalar(select(func.count(AuditLog.id)))
        db.session.remove()
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def writer(ids: list[int]) -> None:
        try:
            with app.app_context():
                start.wait()
                for agency_id in ids:
                    commune = db.session.get(Agency, agency_id)
                    commune.note = f"Rà soát địa bàn lần {agency_id}"
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(commune_ids[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    with app.app_context(), db.engine.connect() as conn:
        report = verify_chain(conn)
        prev_hashes = conn.execute(select(AuditLog.prev_hash)).scalars().all()
        head = conn.execute(select(AuditChainHead.last_id)).scalar()
        last = conn.execute(select(func.max(AuditLog.id))).scalar()
    assert report.ok, report
    assert report.entries == before + 8
    assert len(prev_hashes) == len(set(prev_hashes)), "two entries share a predecessor: fork"
    assert head == last
