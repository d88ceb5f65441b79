"""User administration screens: an agency administrator manages only their subtree (R10).

The rules live in app.security.user_admin; these screens apply them. FAB's delete is not
offered to anyone (no route, no permission): an account is deactivated by unticking
"active" in its edit form, so records and the audit log keep their author. FAB's
password-reset form, which takes any account id from the URL, answers 404 for an account
the administrator may not manage.

Passwords (R11, R23): every password field applies the policy (app.security.passwords).
A password set by an administrator, for a new account or by a reset, is temporary: its
holder must choose their own at the next sign-in (app.security.sessions). The own-password
form asks for the current password and keeps the user's present session signed in while
their other sessions end.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, request
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.views import (
    ResetMyPasswordView,
    ResetPasswordView,
    RoleModelView,
    UserDBModelView,
)
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from wtforms.validators import DataRequired

from app.security.password_forms import (
    AdminResetPasswordForm,
    OwnPasswordForm,
    new_account_password_fields,
)
from app.security.scope import request_user
from app.security.user_admin import check_account_change, grantable_role_names, manageable_user
from app.security.views_base import ScopedViewMixin
from app.security.write_guard import WriteRefused
from app.ui.remembered_list_view import RememberedListMixin
from app.ui.views import VNViewMixin


class GrantableRoleFilter(BaseFilter):
    """Role picker filter: only the roles the logged-in administrator may grant (R10)."""

    name = "Grantable roles"
    arg_name = "grantable"

    def apply(self, query, value):
        """R10: keep the roles the request's administrator may grant."""
        names = grantable_role_names(request_user())
        if names is None:
            return query
        return query.filter(self.model.name.in_(names))


_GRANTABLE_ROLES = {"roles": [["name", GrantableRoleFilter, None]]}


class ScopedUserDBModelView(RememberedListMixin, ScopedViewMixin, VNViewMixin, UserDBModelView):
    """Accounts listed, shown and edited within the administrator's agency subtree."""

    exclude_route_methods = {"delete"}
    label_columns = {**UserDBModelView.label_columns, "agency": _l("Agency")}
    list_columns = ["first_name", "last_name", "username", "agency", "active", "roles"]
    search_columns = ["first_name", "last_name", "username", "email", "agency", "active", "roles"]
    show_fieldsets = [
        (
            _l("User info"),
            {"fields": ["username", "active", "roles", "login_count", "agency"]},
        ),
        (_l("Personal Info"), {"fields": ["first_name", "last_name", "email"], "expanded": True}),
        (
            _l("Audit Info"),
            {
                "fields": [
                    "last_login",
                    "fail_login_count",
                    "created_on",
                    "created_by",
                    "changed_on",
                    "changed_by",
                ],
                "expanded": False,
            },
        ),
    ]
    add_columns = [
        "first_name",
        "last_name",
        "username",
        "active",
        "email",
        "agency",
        "roles",
        "password",
        "conf_password",
    ]
    edit_columns = ["first_name", "last_name", "username", "active", "email", "agency", "roles"]
    validators_columns = {
        "roles": [DataRequired(message=_l("Choose at least one role."))],
        "agency": [DataRequired(message=_l("Every account must belong to an agency."))],
    }
    add_form_extra_fields = new_account_password_fields()
    add_form_query_rel_fields = _GRANTABLE_ROLES
    edit_form_query_rel_fields = _GRANTABLE_ROLES

    def pre_add(self, item: Any) -> None:
        """R10: refuse a new account that would escalate; then hash the password, which
        is temporary (R23: changed by its holder at the first sign-in)."""
        self._check_account(item)
        super().pre_add(item)
        item.must_change_password = True

    def pre_update(self, item: Any) -> None:
        """R10: refuse an account edit that would escalate."""
        self._check_account(item)
        super().pre_update(item)

    def _check_account(self, item: Any) -> None:
        try:
            check_account_change(request_user(), item)
        except WriteRefused:
            self.datamodel.session.rollback()
            raise


class ScopedResetPasswordView(ResetPasswordView):
    """FAB's reset-password form, only for accounts the administrator may manage (R10);
    the new password is temporary (R23)."""

    form = AdminResetPasswordForm
    message = _l("Password changed: the holder must choose their own at the next sign-in.")

    def form_get(self, form) -> None:
        """R10: the form only for an account the administrator may manage."""
        self._account_or_404()

    def form_post(self, form) -> None:
        """R10: reset the password only of an account the administrator may manage;
        R23: its holder's sessions end and they must choose their own password."""
        account = self._account_or_404()
        super().form_post(form)
        if account.id != request_user().id:
            account.must_change_password = True
            self.appbuilder.sm.update_user(account)

    def _account_or_404(self) -> Any:
        account = manageable_user(request_user(), request.args.get("pk"))
        if account is None:
            abort(404)
        return account


class OwnPasswordView(ResetMyPasswordView):
    """The user's own password (R11, R23): current password first, the policy on the new
    one; the temporary-password mark is cleared and this session stays signed in."""

    class_permission_name = "ResetMyPasswordView"
    form = OwnPasswordForm
    form_title = _l("Change your password")
    message = _l("Your password has been changed; your other sessions were signed out.")

    def form_post(self, form) -> Response:
        """R23: set the new password, end the other sessions, keep this one; then the
        home page (not the page history, which may be a previous user's on a shared
        computer)."""
        sm = self.appbuilder.sm
        sm.reset_password(g.user.id, form.password.data)
        user = sm.get_user_by_id(g.user.id)
        user.must_change_password = False
        sm.update_user(user)
        login_user(user, remember=False)
        flash(str(self.message), "info")
        return redirect(self.appbuilder.get_url_for_index)


class LabelledRoleModelView(RoleModelView):
    """FAB's role screen with every searchable column labelled (Vietnamese UI)."""

    label_columns = {
        **RoleModelView.label_columns,
        "user": _l("Users"),
        "groups": _l("Groups"),
    }
