"""Rules that refuse a soft delete or a restore that would leave records dangling (R9).

Each domain registers, per model, functions returning the reasons (already translated)
why a record may not be deleted or restored right now; an empty list means go ahead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Guard = Callable[[Any], list[str]]

_delete_guards: dict[type, list[Guard]] = {}
_restore_guards: dict[type, list[Guard]] = {}


class DeletionRefused(ValueError):
    """A soft delete or restore is refused; ``str()`` is the message for the user."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def register_delete_guard(model: type, guard: Guard) -> None:
    """Ask ``guard`` before any ``model`` record (or a subclass's) is soft-deleted."""
    if guard not in _delete_guards.setdefault(model, []):
        _delete_guards[model].append(guard)


def register_restore_guard(model: type, guard: Guard) -> None:
    """Ask ``guard`` before any ``model`` record (or a subclass's) is restored."""
    if guard not in _restore_guards.setdefault(model, []):
        _restore_guards[model].append(guard)


def _reasons(registry: dict[type, list[Guard]], obj: Any) -> list[str]:
    reasons: list[str] = []
    for cls in type(obj).__mro__:
        for guard in registry.get(cls, []):
            reasons.extend(guard(obj))
    return reasons


def check_delete(obj: Any) -> None:
    """Raise DeletionRefused with every reason the record cannot be deleted now."""
    reasons = _reasons(_delete_guards, obj)
    if reasons:
        raise DeletionRefused(reasons)


def check_restore(obj: Any) -> None:
    """Raise DeletionRefused with every reason the record cannot be restored now."""
    reasons = _reasons(_restore_guards, obj)
    if reasons:
        raise DeletionRefused(reasons)
