"""Sending pending outbox items to the national database (issue 7; R7).

The job (``send_due``) runs every ``NATIONAL_DB_SEND_EVERY_SECONDS`` in the scheduler
(app.jobs.scheduler) and by hand (``flask outbox send``). With ``NATIONAL_DB_URL`` empty
it does nothing: items stay queued.

* Claim: an item is taken with ``UPDATE … SET status='sending' WHERE id=… AND
  status='pending'`` in a short transaction of its own; only the process whose UPDATE
  changed the row sends it, so several schedulers or app instances on one database never
  send one item twice. A sent item is never claimed again.
* Order: a record that depends on its case (processing, acceptance, resolution,
  enforcement) waits until the case record has been sent and the national case id is
  known; the id is put in the body sent (``national_case_id``).
* Post: ``POST NATIONAL_DB_URL`` with the JSON envelope, ``Authorization: Bearer
  NATIONAL_DB_TOKEN`` and ``Idempotency-Key: <message_id>`` (the same key on every
  attempt of an item), within ``NATIONAL_DB_TIMEOUT`` seconds.
  ASSUMED (no public specification): a 200/201 answer carries ``{"id": "<national
  id>"}``; a 4xx answer other than 408/429 refuses the record (retrying cannot help).
* Outcome: sent with the returned id; or, after a timeout, a connection error, a 5xx or a
  reply that is not the expected JSON, back to pending with ``next_attempt_at`` =
  now + base × 2^(attempts−1) (capped), until ``NATIONAL_DB_MAX_ATTEMPTS`` attempts:
  then failed with the reason. An administrator retries a failed item (app.outbox.services).
* Crash: an item left ``sending`` longer than ``NATIONAL_DB_STALE_SENDING_MINUTES`` (its
  sender died) goes back to pending; the Idempotency-Key lets the national database drop
  it if the first post did arrive.

Every status change is audited: the claim by an audit entry written with the UPDATE, the
others through the ORM (app.audit.listeners).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.audit.chain import append_entries
from app.audit.entries import UPDATE, build_entry
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.core.clock import now_utc
from app.extensions import db
from app.jobs.texts import province_text
from app.outbox.models import CASE, FAILED, PENDING, SENDING, SENT, OutboxItem

logger = logging.getLogger(__name__)
# Longest failure reason kept (a receiver's error page can be long).
REASON_MAX = 500


class SendFailed(Exception):
    """One attempt failed; ``permanent`` when retrying cannot help (payload refused)."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason[:REASON_MAX]
        self.permanent = permanent


@dataclass
class SendReport:
    """What one run of the sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0
    reclaimed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"gửi được {self.sent}, chờ gửi lại {self.retrying}, lỗi {self.failed}, "
            f"chờ hồ sơ vụ việc {self.waiting}, lấy lại sau sự cố {self.reclaimed}"
        )


def backoff(config: Any, attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base × 2^(attempts−1), capped."""
    base = config["NATIONAL_DB_RETRY_BASE_SECONDS"]
    seconds = min(base * 2 ** max(attempts - 1, 0), config["NATIONAL_DB_RETRY_MAX_SECONDS"])
    return dt.timedelta(seconds=seconds)


def _readable(raw: bytes) -> str:
    """An error answer as text; JSON with its Vietnamese shown as written."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        return json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def _timed_out(config: Any) -> str:
    return province_text(
        _l("No answer within %(seconds)s seconds", seconds=config["NATIONAL_DB_TIMEOUT"])
    )


def _no_id(raw: bytes) -> str:
    answer = raw[:200].decode("utf-8", "replace")
    return province_text(_l("The answer is not JSON with an id: %(answer)s", answer=answer))


def post_record(config: Any, body: dict[str, Any], message_id: str) -> str:
    """POST one record; the national id from the answer, else ``SendFailed``."""
    request = urllib.request.Request(
        config["NATIONAL_DB_URL"],
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": message_id,
            **(
                {"Authorization": f"Bearer {config['NATIONAL_DB_TOKEN']}"}
                if config["NATIONAL_DB_TOKEN"]
                else {}
            ),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=config["NATIONAL_DB_TIMEOUT"]) as answer:
            raw = answer.read()
    except urllib.error.HTTPError as error:
        text = _readable(error.read())
        permanent = 400 <= error.code < 500 and error.code not in (408, 429)
        raise SendFailed(f"HTTP {error.code}: {text}", permanent=permanent) from error
    except TimeoutError as error:
        raise SendFailed(_timed_out(config)) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise SendFailed(_timed_out(config)) from error
        raise SendFailed(
            province_text(_l("Could not connect: %(reason)s", reason=reason))
        ) from error
    try:
        national_id = json.loads(raw.decode("utf-8"))["id"]
    except (ValueError, KeyError, TypeError) as error:
        raise SendFailed(_no_id(raw)) from error
    if not isinstance(national_id, str | int) or str(national_id).strip() == "":
        raise SendFailed(_no_id(raw))
    return str(national_id)


def national_case_id(session: Session, petition_id: int) -> str | None:
    """The national case id of a petition: the id returned for its case record."""
    return session.scalar(
        select(OutboxItem.national_id).where(
            OutboxItem.petition_id == petition_id,
            OutboxItem.kind == CASE,
            OutboxItem.status == SENT,
        )
    )


def _earlier_national_case(session: Session, item: OutboxItem) -> str | None:
    """The national case of an earlier petition of the same local case (a repeat)."""
    from app.petitions.models import Petition

    case_id = session.scalar(select(Petition.case_id).where(Petition.id == item.petition_id))
    return session.scalar(
        select(OutboxItem.national_id)
        .join(Petition, Petition.id == OutboxItem.petition_id)
        .where(
            Petition.case_id == case_id,
            Petition.id != item.petition_id,
            OutboxItem.kind == CASE,
            OutboxItem.status == SENT,
        )
        .order_by(OutboxItem.sent_at)
        .limit(1)
    )


def body_to_send(session: Session, item: OutboxItem) -> dict[str, Any] | None:
    """The envelope with the national case id filled in; None while a dependent record's
    case has not been sent yet."""
    body = json.loads(json.dumps(item.payload))
    if item.kind == CASE:
        if body["data"]["repeat"]["is_repeat"]:
            body["data"]["attach_to_national_case"] = _earlier_national_case(session, item)
        return body
    case_id = national_case_id(session, item.petition_id)
    if case_id is None:
        return None
    body["national_case_id"] = case_id
    return body


def _audit_claim(session: Session, item_id: int, before: str) -> None:
    item = session.get(OutboxItem, item_id)
    changes = {"status": [before, SENDING]}
    append_entries(session.connection(), [build_entry(UPDATE, item, changes)])


def claim(item_id: int) -> str | None:
    """Take a pending item for sending (guarded UPDATE, own transaction); the claim
    token, or None when another process took it first."""
    token = uuid.uuid4().hex
    with Session(db.engine) as session:
        table = OutboxItem.__table__
        result = session.connection().execute(
            update(table)
            .where(table.c.id == item_id, table.c.status == PENDING)
            .values(status=SENDING, claim_token=token, claimed_at=now_utc())
        )
        if result.rowcount != 1:
            session.rollback()
            return None
        _audit_claim(session, item_id, PENDING)
        session.commit()
    return token


def _finish(item_id: int, token: str, outcome: str | SendFailed, config: Any) -> str:
    """Record how the attempt ended (own transaction, audited); the new status."""
    with Session(db.engine) as session:
        item = session.scalar(
            select(OutboxItem).where(
                OutboxItem.id == item_id,
                OutboxItem.claim_token == token,
                OutboxItem.status == SENDING,
            )
        )
        if item is None:  # reclaimed after being taken as crashed
            return SENDING
        now = now_utc()
        item.attempts += 1
        item.last_attempt_at = now
        item.claim_token = None
        if isinstance(outcome, str):
            item.status, item.national_id, item.sent_at, item.last_error = SENT, outcome, now, None
        elif outcome.permanent or item.attempts >= config["NATIONAL_DB_MAX_ATTEMPTS"]:
            item.status, item.last_error = FAILED, outcome.reason
        else:
            item.status, item.last_error = PENDING, outcome.reason
            item.next_attempt_at = now + backoff(config, item.attempts)
        session.commit()
        return item.status


def reclaim_stale(config: Any) -> int:
    """Items left ``sending`` by a sender that died go back to pending (audited)."""
    cutoff = now_utc() - dt.timedelta(minutes=config["NATIONAL_DB_STALE_SENDING_MINUTES"])
    with Session(db.engine) as session:
        stale = list(
            session.scalars(
                select(OutboxItem).where(
                    OutboxItem.status == SENDING, OutboxItem.claimed_at < cutoff
                )
            )
        )
        for item in stale:
            item.status, item.claim_token = PENDING, None
            item.last_error = province_text(
                _l("The previous attempt was interrupted; it is sent again with the same key.")
            )
        session.commit()
    return len(stale)


def due_items(session: Session, limit: int) -> list[OutboxItem]:
    """Pending items whose next attempt is due, oldest first."""
    return list(
        session.scalars(
            select(OutboxItem)
            .where(OutboxItem.status == PENDING, OutboxItem.next_attempt_at <= now_utc())
            .order_by(OutboxItem.id)
            .limit(limit)
        )
    )


def send_due(config: Any | None = None) -> SendReport:
    """Send every due pending item once (module docstring); within an app context."""
    config = config if config is not None else current_app.config
    report = SendReport()
    if not config["NATIONAL_DB_URL"]:
        return report
    report.reclaimed = reclaim_stale(config)
    with Session(db.engine) as session:
        candidates = [item.id for item in due_items(session, config["NATIONAL_DB_BATCH"])]
    for item_id in candidates:
        # Read just before claiming: a case sent a moment ago unblocks its records.
        with Session(db.engine) as session:
            item = session.get(OutboxItem, item_id)
            message_id, body = item.message_id, body_to_send(session, item)
        if body is None:
            report.waiting += 1
            continue
        token = claim(item_id)
        if token is None:
            continue
        try:
            outcome: str | SendFailed = post_record(config, body, message_id)
        except SendFailed as failure:
            outcome = failure
            report.errors.append(failure.reason)
        status = _finish(item_id, token, outcome, config)
        report.sent += status == SENT
        report.retrying += status == PENDING
        report.failed += status == FAILED
    return report


def run_sender(app: Flask) -> SendReport:
    """The scheduler's call: one run in an app context of its own, as the system user."""
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        report = send_due(app.config)
    if report.sent or report.failed or report.retrying:
        logger.info("national outbox: %s", report)
    return report
