"""Password fields of the user screens, each checked against the policy (R11, R23).

The administrator's forms (new account, reset) say that the holder will have to choose
their own password at the next sign-in; the own-password form asks for the current
password and refuses to keep it.
"""

from __future__ import annotations

from flask import g, request
from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.forms import DynamicForm
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash
from wtforms import Form, PasswordField
from wtforms.validators import DataRequired, EqualTo, ValidationError

from app.security.passwords import PasswordPolicy
from app.security.scope import request_user
from app.security.user_admin import manageable_user

_MATCH = EqualTo("password", message=_l("Passwords must match"))
_TEMPORARY = _l(
    "A temporary password: at least 10 characters, not a common password, not containing "
    "the username. The holder must choose their own password at the next sign-in."
)


def _reset_target_username() -> str | None:
    account = manageable_user(request_user(), request.args.get("pk"))
    return account.username if account is not None else None


def _own_username() -> str | None:
    return getattr(getattr(g, "user", None), "username", None)


def new_account_password_fields() -> dict[str, PasswordField]:
    """The password fields of the new-account form (username read from the same form)."""
    return {
        "password": PasswordField(
            _l("Password"),
            description=_TEMPORARY,
            validators=[DataRequired(), PasswordPolicy()],
            widget=BS3PasswordFieldWidget(),
        ),
        "conf_password": PasswordField(
            _l("Confirm Password"),
            description=_l("Please rewrite the user's password to confirm"),
            validators=[DataRequired(), _MATCH],
            widget=BS3PasswordFieldWidget(),
        ),
    }


class AdminResetPasswordForm(DynamicForm):
    """An administrator sets a temporary password for an account they manage (R10, R23)."""

    password = PasswordField(
        _l("Password"),
        description=_TEMPORARY,
        validators=[DataRequired(), PasswordPolicy(_reset_target_username)],
        widget=BS3PasswordFieldWidget(),
    )
    conf_password = PasswordField(
        _l("Confirm Password"),
        description=_l("Please rewrite the password to confirm"),
        validators=[DataRequired(), _MATCH],
        widget=BS3PasswordFieldWidget(),
    )


def _current_password_correct(_form: Form, field) -> None:
    if not check_password_hash(g.user.password or "", field.data or ""):
        raise ValidationError(gettext("The current password is not correct."))


def _differs_from_current(_form: Form, field) -> None:
    if field.data and check_password_hash(g.user.password or "", field.data):
        raise ValidationError(gettext("The new password must differ from the current one."))


class OwnPasswordForm(DynamicForm):
    """A user sets their own password: the current one first, then a new one (R11, R23)."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), _current_password_correct],
        widget=BS3PasswordFieldWidget(),
    )
    password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 10 characters, not a common password, not containing your username. "
            "Your other sessions will be signed out."
        ),
        validators=[DataRequired(), PasswordPolicy(_own_username), _differs_from_current],
        widget=BS3PasswordFieldWidget(),
    )
    conf_password = PasswordField(
        _l("Confirm Password"),
        description=_l("Please rewrite the password to confirm"),
        validators=[DataRequired(), _MATCH],
        widget=BS3PasswordFieldWidget(),
    )
