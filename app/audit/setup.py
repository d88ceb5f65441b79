"""Initial state of the audit chain."""

from __future__ import annotations

from sqlalchemy import select

from app.audit.chain import GENESIS_HASH
from app.audit.models import AuditChainHead
from app.extensions import db


def ensure_chain_head() -> None:
    """Create the single chain-head row if missing, so concurrent appends can lock it."""
    if db.session.execute(select(AuditChainHead.id)).first() is None:
        db.session.add(AuditChainHead(id=1, last_hash=GENESIS_HASH, last_id=0))
        db.session.commit()
