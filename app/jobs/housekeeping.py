"""The daily housekeeping job (issue 7): what the application keeps only for a while is
removed — sign-in attempts no lockout reads any more (R23, app.security.lockout), rate
limit counts whose window has ended (app.security.rate_limits) — and
upload files no record names, older than a day, are moved to quarantine
(app.files.sweep)."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.files.storage import upload_root
from app.files.sweep import sweep_orphans
from app.jobs.texts import province_text
from app.security.lockout import prune_attempts
from app.security.rate_limits import prune_counters


def run_housekeeping(session: Session, run_date: dt.date) -> str:
    """R23, issue 7: delete the sign-in attempts older than the lockout windows and the
    expired rate limit counts, and move the orphaned upload files to quarantine; return
    the outcome. The caller commits."""
    attempts = prune_attempts(session)
    prune_counters(session)
    files = sweep_orphans(session, upload_root(), apply=True)
    return province_text(
        _l(
            "Old sign-in attempts removed: %(attempts)s; upload files belonging to no record "
            "moved to quarantine: %(files)s.",
            attempts=attempts,
            files=len(files),
        )
    )
