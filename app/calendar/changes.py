"""Recomputing stored deadlines after the calendar or the rule table changes.

Domains that store deadlines (petitions, complaints, tasks) register a recomputer once,
from their ``register(appbuilder)`` function::

    register_deadline_recomputer(recompute_open_task_deadlines)

A recomputer is called as ``fn(session, reason)``; it updates the deadlines of its open
records (loading the calendar with ``load_calendar(session)``) and returns how many it
changed. The calendar screens call ``recompute_open_deadlines`` after every add, edit or
delete of an override or a rule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Recomputer = Callable[[Session, str], int]
_recomputers: list[Recomputer] = []


@dataclass
class RecomputeReport:
    """Records changed per recomputer, and the recomputers that failed (with the error)."""

    changed: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Records changed by all recomputers together."""
        return sum(self.changed.values())


def _name(fn: Recomputer) -> str:
    return f"{fn.__module__}.{getattr(fn, '__qualname__', repr(fn))}"


def register_deadline_recomputer(fn: Recomputer) -> Recomputer:
    """Add ``fn`` to the recomputers run when the calendar or a rule changes (registering
    the same function twice has no effect). Usable as a decorator."""
    if fn not in _recomputers:
        _recomputers.append(fn)
    return fn


def recompute_open_deadlines(session: Session, reason: str) -> RecomputeReport:
    """Run every recomputer, each in its own savepoint: one that fails is rolled back and
    logged, the others keep their changes. The caller commits."""
    report = RecomputeReport()
    for fn in _recomputers:
        try:
            with session.begin_nested():
                report.changed[_name(fn)] = fn(session, reason)
        except Exception as exc:
            log.exception("Deadline recomputer %s failed (%s)", _name(fn), reason)
            report.failed[_name(fn)] = str(exc)
    return report
