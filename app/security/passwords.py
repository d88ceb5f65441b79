"""Password policy (R11: account holders keep their accounts safe; R23: kept secure).

Every place a password is set applies the same rules: the user screens (new account,
administrator's reset, own change), FAB's reset views and the ``flask fab`` commands (through
the security manager). A password must be at least ``PASSWORD_MIN_LENGTH`` characters, must
not be a common password (``common_passwords.txt``, also with digits or symbols added at
either end, as in "iloveyou2026!") and must not contain the username or a part of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext
from wtforms import Field, Form, ValidationError

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
DEFAULT_MIN_LENGTH = 10
# Parts of a username shorter than this are not searched for ("le" in "le.van.an").
USERNAME_PART_MIN_LENGTH = 4
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEPARATORS = re.compile(r"[\W_]+")


class PasswordRefused(ValueError):
    """A password breaks the policy; the message says which rules, in Vietnamese."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    with COMMON_PASSWORDS_FILE.open(encoding="utf-8") as lines:
        return frozenset(
            line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
        )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower()


def is_common(password: str) -> bool:
    """R23: the password, or its core without digits/symbols at the ends, is a common one."""
    folded = _fold(password)
    core = _EDGES.sub("", folded)
    listed = common_passwords()
    return folded in listed or (core != "" and core in listed)


def contains_username(password: str, username: str | None) -> bool:
    """R23: the password contains the username, or a part of it of 4 or more characters."""
    if not username:
        return False
    folded = _fold(password)
    joined = _SEPARATORS.sub("", folded)
    name = _fold(username)
    parts = [part for part in _SEPARATORS.split(name) if len(part) >= USERNAME_PART_MIN_LENGTH]
    return name in folded or any(part in folded or part in joined for part in parts)


def min_length() -> int:
    """The configured minimum length (``PASSWORD_MIN_LENGTH``, 10 by default)."""
    return int(current_app.config.get("PASSWORD_MIN_LENGTH", DEFAULT_MIN_LENGTH))


def password_problems(password: str, username: str | None = None) -> list[str]:
    """R11, R23: the Vietnamese message of every rule ``password`` breaks (empty: accepted)."""
    problems = []
    if len(password or "") < min_length():
        problems.append(
            gettext("The password must have at least %(count)d characters.", count=min_length())
        )
    if password and is_common(password):
        problems.append(
            gettext("This password is too common: it is among the first ones attackers try.")
        )
    if password and contains_username(password, username):
        problems.append(gettext("The password must not contain the username."))
    return problems


def check_password(password: str, username: str | None = None) -> None:
    """R11, R23: raise PasswordRefused naming every rule ``password`` breaks."""
    problems = password_problems(password, username)
    if problems:
        raise PasswordRefused(" ".join(problems))


def fab_complexity_validator(password: str) -> None:
    """FAB_PASSWORD_COMPLEXITY_VALIDATOR: the policy on FAB's own password fields.

    FAB passes the password alone; the username rule is applied by PasswordPolicy.
    """
    problems = password_problems(password)
    if problems:
        raise PasswordComplexityValidationError(" ".join(problems))


class PasswordPolicy:
    """WTForms validator applying the whole policy; the username comes from the form's
    ``username`` field, else from ``username_of`` (the account whose password is set)."""

    def __init__(self, username_of: Callable[[], str | None] | None = None) -> None:
        self.username_of = username_of

    def __call__(self, form: Form, field: Field) -> None:
        """Raise ValidationError with every rule the entered password breaks."""
        username_field = getattr(form, "username", None)
        if username_field is not None:
            username = username_field.data
        else:
            username = self.username_of() if self.username_of else None
        problems = password_problems(field.data or "", username)
        if problems:
            raise ValidationError(" ".join(problems))


def install_password_policy(app: Flask) -> None:
    """FAB's own password fields (FAB_PASSWORD_COMPLEXITY_*) apply the policy too."""
    app.config["FAB_PASSWORD_COMPLEXITY_ENABLED"] = True
    app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = fab_complexity_validator
