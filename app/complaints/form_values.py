"""Reading what a clerk typed (a posted form) or a program sent (a JSON object) into the
values the dossier services take, with a message per unreadable field.

Dates are dd/mm/yyyy (or ISO 8601, app.ui.dates); amounts are written the Vietnamese way
— decimal comma, dots between thousands ("1.250,5") — or with a decimal point when there
is no comma ("85.5"); counts are whole numbers; flags are checkboxes or JSON booleans.
Empty amounts and counts are 0 (the forms' cells are then 0).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext

from app.ui.dates import parse_vn_date

_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")
_NUMBER = re.compile(r"\d+(\.\d+)?")
_TRUE = {"1", "y", "on", "true", "yes"}


class FieldErrors(Exception):
    """Fields that could not be read; ``errors`` maps a field to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def decimal_from_text(text: str) -> Decimal:
    """ "1.250,5" → 1250.5, "85,5" → 85.5, "85.5" → 85.5, "1.250" → 1250 (module
    docstring); ValueError for anything else."""
    text = text.strip().replace(" ", "")
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    if "," in text:
        whole, _, fraction = text.rpartition(",")
        if "." in whole and not _THOUSANDS.fullmatch(whole):
            raise ValueError(text)
        text = f"{whole.replace('.', '')}.{fraction}"
    elif _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    if not _NUMBER.fullmatch(text):
        raise ValueError(text)
    return Decimal(sign + text)


class FormValues:
    """Typed values of one form; reading methods note unreadable fields in ``errors``
    (then ``check`` raises FieldErrors with all of them)."""

    def __init__(self, values: Mapping[str, Any]):
        self._values = values
        self.errors: dict[str, str] = {}

    def raw(self, name: str) -> Any:
        """The value as sent."""
        return self._values.get(name)

    def _blank(self, name: str) -> bool:
        value = self._values.get(name)
        return value is None or (isinstance(value, str) and not value.strip())

    def text(self, name: str) -> str | None:
        """Text, stripped; None when empty (a number sent over JSON is taken as text)."""
        if self._blank(name):
            return None
        value = self._values[name]
        if isinstance(value, dict | list | bool):
            self.errors[name] = gettext("Must be text.")
            return None
        return str(value).strip()

    def date(self, name: str) -> dt.date | None:
        """A date typed dd/mm/yyyy; None when empty."""
        text = self.text(name)
        if text is None:
            return None
        try:
            return parse_vn_date(text)
        except ValueError:
            self.errors[name] = gettext("Invalid date, enter it as dd/mm/yyyy")
            return None

    def whole(self, name: str) -> int | None:
        """A whole number (an id, a version); None when empty or unreadable."""
        if self._blank(name):
            return None
        value = self._values[name]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if not text.isdigit():
            self.errors[name] = gettext("Enter a whole number that is not negative.")
            return None
        return int(text)

    def count(self, name: str) -> int:
        """A count of persons, cases, organisations; 0 when empty."""
        value = self.whole(name)
        return value if value is not None else 0

    def amount(self, name: str, places: int) -> Decimal:
        """Money (million VND) or land (m²) with at most ``places`` decimals; 0 when empty."""
        if self._blank(name):
            return Decimal(0)
        value = self._values[name]
        try:
            if isinstance(value, bool):
                raise ValueError(value)
            number = (
                Decimal(str(value)) if isinstance(value, int | float) else decimal_from_text(value)
            )
        except (ValueError, InvalidOperation, TypeError, AttributeError):
            self.errors[name] = gettext("Enter a number, for example 85,5.")
            return Decimal(0)
        if number < 0:
            self.errors[name] = gettext("Result figures cannot be negative.")
        elif -number.as_tuple().exponent > places:
            self.errors[name] = gettext("At most %(count)s decimal places.", count=places)
        return number

    def flag(self, name: str) -> bool:
        """A checkbox or a JSON boolean."""
        value = self._values.get(name)
        if isinstance(value, bool):
            return value
        return str(value or "").strip().lower() in _TRUE

    def check(self) -> None:
        """Raise FieldErrors when any field could not be read."""
        if self.errors:
            raise FieldErrors(self.errors)
