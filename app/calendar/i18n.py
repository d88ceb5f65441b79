"""Message helpers of the calendar: English msgids, rendered by any gettext.

The computation never needs Flask: renderers take a ``gettext(msgid, **params)``
callable. Views pass ``flask_babel.gettext``; without one, the English msgid is used.
Every msgid is listed with its Vietnamese translation in ``i18n_vi.txt`` for the catalog.
"""

from __future__ import annotations

from collections.abc import Callable

Gettext = Callable[..., str]


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction (pybabel's default keywords) without translating it."""
    return msgid


def english(msgid: str, **params: object) -> str:
    """The untranslated gettext: the English msgid with its parameters filled in."""
    return msgid % params if params else msgid


# datetime.date.weekday() order: Monday = 0 … Sunday = 6.
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
