"""Issue 7 (R7): the sender posts queued records to the national database — here a small
receiver the test starts on 127.0.0.1 — marks them sent with the national id, retries
failures (500, timeout, bad JSON) with exponential back-off, gives up after the last
attempt with the reason, never sends a record twice, and audits each status change."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.clock import set_now
from app.extensions import db
from app.outbox.models import OutboxItem
from app.outbox.sender import claim, send_due
from app.petitions.processing import process_petition
from tests.petitions_intake_helpers import freeze_now, land_complaint, receive
from tests.petitions_processing_records import decision, received_petition, user

TOKEN = "bi-mat-lien-thong-2026"


class Receiver:
    """The national database stand-in: answers each POST with the next scripted reply
    (status, body, delay in seconds), then with 201 and a new national id."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.script: list[tuple[int, str, float]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests.append(
                        {"headers": dict(self.headers), "json": json.loads(body)}
                    )
                    number = len(receiver.requests)
                    status, reply, delay = (
                        receiver.script.pop(0)
                        if receiver.script
                        else (201, json.dumps({"id": f"QG-87-{number:06d}"}), 0)
                    )
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(reply.encode("utf-8"))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (timeout test)

            def log_message(self, *_args) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/don-thu"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies_for(self, message_id: str) -> list[dict]:
        return [r["json"] for r in self.requests if r["json"]["message_id"] == message_id]


@pytest.fixture
def receiver(app, monkeypatch) -> Iterator[Receiver]:
    """A receiver on 127.0.0.1 and the app configured to send to it."""
    stand_in = Receiver()
    stand_in.thread.start()
    monkeypatch.setitem(app.config, "NATIONAL_DB_URL", stand_in.url)
    monkeypatch.setitem(app.config, "NATIONAL_DB_TOKEN", TOKEN)
    monkeypatch.setitem(app.config, "NATIONAL_DB_TIMEOUT", 0.5)
    monkeypatch.setitem(app.config, "NATIONAL_DB_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "NATIONAL_DB_RETRY_BASE_SECONDS", 60)
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def _queued_petition() -> OutboxItem:
    """Nguyễn Văn Hùng's land complaint received now; its case record, committed."""
    freeze_now()
    petition = receive(land_complaint())
    item = db.session.scalar(
        select(OutboxItem).where(OutboxItem.petition_id == petition.id, OutboxItem.kind == "case")
    )
    db.session.commit()
    return item


def _reload(item: OutboxItem) -> OutboxItem:
    db.session.expire_all()
    return db.session.get(OutboxItem, item.id)


def _send(app):
    report = send_due(app.config)
    db.session.expire_all()
    return report


def test_a_record_is_sent_once_with_the_token_and_marked_with_the_national_id(app_ctx, receiver):
    item = _queued_petition()
    report = _send(app_ctx)

    [body] = receiver.bodies_for(item.message_id)
    assert body["record_type"] == "case"
    assert body["data"]["complainants"][0]["full_name"] == "Nguyễn Văn Hùng"
    [request] = [r for r in receiver.requests if r["json"] is body]
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["Idempotency-Key"] == item.message_id
    sent = _reload(item)
    assert sent.status == "sent" and sent.national_id.startswith("QG-87-")
    assert (sent.attempts, sent.last_error) == (1, None)
    assert report.sent >= 1 and report.failed == 0

    _send(app_ctx)
    assert len(receiver.bodies_for(item.message_id)) == 1, "a sent record is never sent again"


def test_with_no_address_configured_records_stay_queued(app_ctx, receiver, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "NATIONAL_DB_URL", "")
    item = _queued_petition()
    _send(app_ctx)
    assert receiver.requests == []
    assert _reload(item).status == "pending"


def test_a_500_is_retried_after_the_back_off_and_the_result_follows_its_case(
    app_ctx, receiver, monkeypatch
):
    now = dt.datetime(2026, 11, 27, 9, 0)
    set_now(now)
    petition = received_petition(
        matter={"kind": "recommendation", "summary": "Kiến nghị nạo vét kênh Cái Sao Thượng"}
    )
    process_petition(
        db.session,
        petition,
        decision(petition, "accepted", "thuoc_tham_quyen", competent=True),
        user("caolanh.tcd"),
    )
    db.session.commit()
    case, result = db.session.scalars(
        select(OutboxItem).where(OutboxItem.petition_id == petition.id).order_by(OutboxItem.id)
    )
    db.session.commit()
    _only([case, result], monkeypatch)
    receiver.script = [(500, "Lỗi máy chủ", 0)]

    report = _send(app_ctx)
    case, result = _reload(case), _reload(result)
    assert (case.status, case.attempts) == ("pending", 1)
    assert case.last_error.startswith("HTTP 500")
    assert case.next_attempt_at == _utc(now + dt.timedelta(seconds=60))
    assert result.status == "pending" and result.attempts == 0
    assert receiver.bodies_for(result.message_id) == [], "no result before its case"
    assert report.waiting == 1

    set_now(now + dt.timedelta(seconds=30))
    _send(app_ctx)
    assert len(receiver.bodies_for(case.message_id)) == 1, "not before the back-off"

    set_now(now + dt.timedelta(seconds=61))
    _send(app_ctx)
    case, result = _reload(case), _reload(result)
    assert case.status == "sent" and result.status == "sent"
    [sent_result] = receiver.bodies_for(result.message_id)
    assert sent_result["national_case_id"] == case.national_id
    assert sent_result["data"]["outcome"] == "accepted"


def _utc(local: dt.datetime) -> dt.datetime:
    from app.core.clock import local_to_utc

    return local_to_utc(local)


def _only(items: OutboxItem | list[OutboxItem], monkeypatch) -> None:
    """Send only ``items`` (the demo province's queued records are left alone)."""
    import app.outbox.sender as sender

    wanted = {item.id for item in (items if isinstance(items, list) else [items])}
    original = sender.due_items
    monkeypatch.setattr(
        sender,
        "due_items",
        lambda session, limit: [due for due in original(session, limit) if due.id in wanted],
    )


def test_timeout_bad_json_and_500_back_off_exponentially_then_fail(app_ctx, receiver, monkeypatch):
    item = _queued_petition()
    _only(item, monkeypatch)
    receiver.script = [
        (201, json.dumps({"id": "QG-1"}), 2.0),  # answered after the 0.5 s timeout
        (200, "<html>Hệ thống đang bảo trì</html>", 0),
        (503, "Bảo trì", 0),
    ]
    now = dt.datetime(2026, 11, 27, 9, 0)
    waits = []
    reasons = []
    for _attempt in range(3):
        set_now(now)
        _send(app_ctx)
        current = _reload(item)
        reasons.append(current.last_error)
        waits.append((current.next_attempt_at - _utc(now)).total_seconds())
        now = now + dt.timedelta(seconds=waits[-1] + 1)

    assert reasons[0].startswith("Hết thời gian chờ (0.5 giây)")
    assert "JSON" in reasons[1]
    assert reasons[2].startswith("HTTP 503")
    assert waits[:2] == [60, 120], "exponential back-off"
    failed = _reload(item)
    assert (failed.status, failed.attempts) == ("failed", 3)
    assert len(receiver.bodies_for(item.message_id)) == 3
    # The same message id on every attempt: the national database can drop a repeat.
    assert {b["message_id"] for b in receiver.bodies_for(item.message_id)} == {item.message_id}


def test_a_refused_record_fails_at_once_with_the_reason(app_ctx, receiver, monkeypatch):
    item = _queued_petition()
    _only(item, monkeypatch)
    receiver.script = [(422, json.dumps({"loi": "Thiếu mã đơn vị hành chính"}), 0)]
    _send(app_ctx)
    failed = _reload(item)
    assert (failed.status, failed.attempts) == ("failed", 1)
    assert "422" in failed.last_error and "Thiếu mã đơn vị hành chính" in failed.last_error


def test_only_one_claim_of_an_item_wins(app_ctx):
    item = _queued_petition()
    db.session.commit()
    assert claim(item.id) is not None
    assert claim(item.id) is None
    assert _reload(item).status == "sending"


def test_two_senders_at_once_post_each_record_once(app_ctx, receiver):
    items = [_queued_petition() for _ in range(3)]
    db.session.commit()
    receiver.script = [(201, json.dumps({"id": f"QG-S-{n}"}), 0.05) for n in range(50)]
    errors = []

    def run() -> None:
        try:
            with app_ctx.app_context():
                send_due(app_ctx.config)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    message_ids = [r["json"]["message_id"] for r in receiver.requests]
    assert len(message_ids) == len(set(message_ids)), "no record posted twice"
    for item in items:
        assert _reload(item).status == "sent"


def test_each_status_change_is_audited(app_ctx, receiver, monkeypatch):
    item = _queued_petition()
    _only(item, monkeypatch)
    _send(app_ctx)
    changes = [
        entry.changes["status"]
        for entry in db.session.scalars(
            select(AuditLog)
            .where(
                AuditLog.table_name == "national_outbox_item",
                AuditLog.record_id == str(item.id),
            )
            .order_by(AuditLog.id)
        )
        if entry.changes and "status" in entry.changes
    ]
    assert changes == [[None, "pending"], ["pending", "sending"], ["sending", "sent"]]


def test_a_record_left_being_sent_by_a_dead_sender_is_sent_later_with_the_same_key(
    app_ctx, receiver, monkeypatch
):
    item = _queued_petition()
    _only(item, monkeypatch)
    now = dt.datetime(2026, 11, 27, 9, 0)
    set_now(now)
    assert claim(item.id) is not None  # a sender took it, then its process died

    set_now(now + dt.timedelta(minutes=5))
    _send(app_ctx)
    assert receiver.bodies_for(item.message_id) == [], "another sender may still be at it"

    set_now(now + dt.timedelta(minutes=16))
    report = _send(app_ctx)
    assert report.reclaimed == 1
    sent = _reload(item)
    assert sent.status == "sent"
    [request] = [r for r in receiver.requests if r["json"]["message_id"] == item.message_id]
    assert request["headers"]["Idempotency-Key"] == item.message_id
