"""Outcomes and errors of job runs are stored as written, in the province's language."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel.speaklater import LazyString


def province_text(message: LazyString | str) -> str:
    """``message`` (a lazy translated string) rendered in the default locale."""
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "vi")):
        return str(message)
