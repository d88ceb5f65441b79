"""Sessions end when the password changes or the account is deactivated; a temporary
password must be changed at the first sign-in (R11, R23).

Each account has a ``session_stamp``. Setting a new password or unticking "active" gives
it a new stamp (a listener on the model, so the screens, the commands and the services
all do). A browser session stores the stamp it signed in under (``AppUser.get_id``) and an
API token carries it as the ``stamp`` claim; both are refused once the stamps differ. The
stamp lives in the database, so every worker and instance ends the same sessions.

An account created by an administrator, or whose password an administrator reset, has
``must_change_password``: until its holder sets their own password, every page leads to
the own-password form, the API login refuses it a token (403, app.security.login_views)
and the REST API refuses its session (403) and any token it got before (401).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import event
from sqlalchemy.orm.attributes import NO_VALUE

from app.security.models import AppUser, new_session_stamp

# Stable API code of a refusal because the password is temporary (docs/api.md).
PASSWORD_CHANGE_REQUIRED = "password_change_required"
# Endpoints a user with a temporary password may still reach.
OWN_PASSWORD_VIEW = "OwnPasswordView"
_ALLOWED_ENDPOINTS = {
    "static",
    "appbuilder.static",
    "LockoutAuthDBView.login",
    "LockoutAuthDBView.logout",
    "LocaleView.index",
}

_installed = False


def install_session_stamp_listeners() -> None:
    """Give an account a new stamp whenever its password or active flag changes."""
    global _installed
    if _installed:
        return
    event.listen(AppUser.password, "set", _password_set, active_history=True)
    event.listen(AppUser.active, "set", _active_set, active_history=True)
    _installed = True


def _password_set(target: AppUser, value: Any, oldvalue: Any, _initiator: Any) -> None:
    if value != oldvalue:
        target.session_stamp = new_session_stamp()


def _active_set(target: AppUser, value: Any, oldvalue: Any, _initiator: Any) -> None:
    if oldvalue is not NO_VALUE and bool(oldvalue) and not value:
        target.session_stamp = new_session_stamp()


def split_session_id(session_id: str) -> tuple[int, str] | None:
    """The account id and stamp of a stored session identity "12:3f9a…" (None: malformed)."""
    user_id, _, stamp = str(session_id).partition(":")
    if not user_id.isdigit():
        return None
    return int(user_id), stamp


def stamp_matches(user: AppUser | None, stamp: str | None) -> bool:
    """R23: ``user`` is active and still has the stamp the session or token was made under."""
    return (
        user is not None
        and bool(user.is_active)
        and stamp is not None
        and (user.session_stamp or "") == stamp
    )


def password_change_pending(user: Any) -> bool:
    """R23: the signed-in ``user`` still has a temporary password set by an administrator."""
    return bool(
        getattr(user, "is_authenticated", False) and getattr(user, "must_change_password", False)
    )


def install_forced_password_change(app: Flask) -> None:
    """Lead a user with a temporary password to the own-password form from every page."""

    @app.before_request
    def _require_own_password():
        endpoint = request.endpoint or ""
        if endpoint in _ALLOWED_ENDPOINTS or endpoint.startswith(f"{OWN_PASSWORD_VIEW}."):
            return None
        if not password_change_pending(getattr(g, "user", None)):
            return None
        message = gettext(
            "Your password was set by an administrator: choose your own password "
            "before you continue."
        )
        if request.path.startswith("/api/"):
            # Signed in by the session cookie; API tokens are refused by load_user_jwt.
            response = jsonify({"code": PASSWORD_CHANGE_REQUIRED, "message": message})
            response.status_code = 403
            return response
        flash(message, "warning")
        return redirect(url_for(f"{OWN_PASSWORD_VIEW}.this_form_get"))
