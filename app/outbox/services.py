"""What the status page and the command line do with outbox items: list them within the
data scope, retry a failed one, queue the records of petitions kept before the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.core.clock import now_utc
from app.outbox.capture import new_item
from app.outbox.models import CASE, FAILED, KINDS, PENDING, STATUSES, OutboxItem
from app.petitions.models import Petition
from app.security.scope import scope_condition


class RetryRefused(Exception):
    """The item cannot be retried; the message says why, in the user's language."""


@dataclass(frozen=True)
class OutboxFilters:
    """The status page's filters, as typed (unknown values are ignored)."""

    status: str | None = None
    kind: str | None = None
    agency_id: int | None = None
    text: str | None = None

    @classmethod
    def parse(cls, args: Any) -> OutboxFilters:
        """Filters from the query string; a value not in the lists is dropped."""
        status = args.get("status") or None
        kind = args.get("kind") or None
        agency = args.get("agency") or ""
        text = (args.get("q") or "").strip()[:100] or None
        return cls(
            status=status if status in STATUSES else None,
            kind=kind if kind in KINDS else None,
            agency_id=int(agency) if agency.isdigit() else None,
            text=text,
        )


def outbox_query(filters: OutboxFilters, user: Any) -> Select:
    """R11: the items of the user's scope matching the filters, newest first."""
    query = select(OutboxItem).where(scope_condition(OutboxItem, user))
    if filters.status:
        query = query.where(OutboxItem.status == filters.status)
    if filters.kind:
        query = query.where(OutboxItem.kind == filters.kind)
    if filters.agency_id:
        query = query.where(OutboxItem.agency_id == filters.agency_id)
    if filters.text:
        pattern = f"%{filters.text}%"
        query = query.where(
            (OutboxItem.national_id.ilike(pattern)) | (OutboxItem.last_error.ilike(pattern))
        )
    return query.order_by(OutboxItem.id.desc())


def status_counts(session: Session, user: Any) -> dict[str, int]:
    """How many items of the user's scope stand at each status."""
    rows = session.execute(
        select(OutboxItem.status, func.count())
        .where(scope_condition(OutboxItem, user))
        .group_by(OutboxItem.status)
    )
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


def retry(session: Session, item_id: int, user: Any) -> OutboxItem:
    """Put a failed item of the user's scope back in the queue, due now, with its attempts
    counted afresh (audited as a status change by the user). ``RetryRefused`` otherwise;
    nothing changes then. The caller commits."""
    item = session.scalar(
        select(OutboxItem).where(OutboxItem.id == item_id, scope_condition(OutboxItem, user))
    )
    if item is None:
        raise RetryRefused(gettext("This record does not exist or is outside your agencies."))
    if item.status != FAILED:
        raise RetryRefused(
            gettext(
                "Only a failed record can be sent again; this one is “%(status)s”.",
                status=STATUSES[item.status],
            )
        )
    item.status = PENDING
    item.attempts = 0
    item.next_attempt_at = now_utc()
    session.flush()
    return item


def queue_missing_cases(session: Session, limit: int | None = None) -> int:
    """Back-fill: queue the case record of every petition that has none (petitions kept
    before the outbox existed), oldest first; returns how many. The caller commits."""
    queued = aliased(OutboxItem)
    query = (
        select(Petition)
        .where(
            ~exists(
                select(queued.id).where(
                    and_(queued.petition_id == Petition.id, queued.kind == CASE)
                )
            )
        )
        .order_by(Petition.id)
    )
    if limit is not None:
        query = query.limit(limit)
    petitions = list(session.scalars(query))
    for petition in petitions:
        session.add(new_item(session, CASE, petition))
    session.flush()
    return len(petitions)
