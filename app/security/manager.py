"""The FAB security manager of Đơn thư: users belong to an agency (R10, R11); sign-ins,
passwords and sessions follow the security controls of R23.

- Sign-in (form and API): refused while the account or the client address is locked out
  (app.security.lockout); each attempt is recorded and a lockout is written to the audit log.
- Passwords: the policy (app.security.passwords) also where FAB's commands set them
  (``flask fab create-user``, ``create-admin``, ``reset-password``).
- Sessions and API tokens carry the account's session stamp and end when it changes
  (app.security.sessions); tokens of an account with a temporary password are refused.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import g, has_request_context
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_jwt_extended import JWTManager
from sqlalchemy import select, update

from app.audit.entries import LOCKOUT, LOGIN, LOGIN_FAILED, LOGOUT, log_event
from app.audit.events import log_user_event
from app.core.actor import Actor
from app.security import rate_limits  # noqa: F401  (registers Flask-Limiter's database://)
from app.security.lockout import (
    Lock,
    client_address,
    current_lock,
    normalize_username,
    record_attempt,
)
from app.security.login_views import (
    LimitedSecurityApi,
    LockoutAuthDBView,
    install_rate_limit_page,
)
from app.security.models import AppUser, LoginAttempt
from app.security.passwords import PasswordRefused, check_password, password_problems
from app.security.sessions import password_change_pending, split_session_id, stamp_matches
from app.security.user_views import (
    LabelledRoleModelView,
    OwnPasswordView,
    ScopedResetPasswordView,
    ScopedUserDBModelView,
)

log = logging.getLogger(__name__)


class DonThuSecurityManager(SecurityManager):
    """Security manager with agency-bound users and scoped user administration."""

    user_model = AppUser
    authdbview = LockoutAuthDBView
    security_api = LimitedSecurityApi
    userdbmodelview = ScopedUserDBModelView
    resetpasswordview = ScopedResetPasswordView
    resetmypasswordview = OwnPasswordView
    rolemodelview = LabelledRoleModelView
    # FAB's user statistics chart loads Google Charts from the internet: not offered.
    userstatschartview = None

    def create_limiter(self, app):
        """FAB's Flask-Limiter, counting in the database by default (``database://``,
        app.security.rate_limits), whose refusals are answered in Vietnamese (R23)."""
        limiter = super().create_limiter(app)
        install_rate_limit_page(app)
        return limiter

    def auth_user_db(self, username, password):
        """R23: refuse while locked out; otherwise check the password and record the attempt.

        A failure that reaches the configured count starts a lockout, written to the audit
        log; the lock in force (if any) is left in ``g.login_lock`` for the message.
        """
        g.login_attempted = True
        address = client_address()
        if username:
            lock = current_lock(self.session, username, address)
            if lock is not None:
                g.login_lock = lock
                return None
        user = super().auth_user_db(username, password)
        if not username:
            return user
        lock = record_attempt(self.session, username, address, user is not None)
        if user is None and not getattr(g, "login_failure_logged", False):
            self._log_unknown_failure(username, address)
        if lock is not None:
            g.login_lock = lock
            self._log_lockout(username, address, lock)
        return user

    def _log_unknown_failure(self, username: str, address: str) -> None:
        """R9, R23: a failed sign-in for an unknown or inactive username is logged too."""
        attempt = self._last_attempt(username, address)
        log_event(self.session, LOGIN_FAILED, attempt, Actor(None, attempt.username[:128], None))

    def _log_lockout(self, username: str, address: str, lock: Lock) -> None:
        """R9, R23: a lockout is an audit entry on the account (or on the attempt when the
        username is unknown), naming the scope and the time it ends."""
        user = self.find_user(username=username)
        if user is not None:
            actor = Actor(user.id, user.username, user.agency_id)
            log_event(
                self.session, LOCKOUT, user, actor, {"locked_until": [None, lock.until.isoformat()]}
            )
            return
        attempt = self._last_attempt(username, address)
        actor = Actor(None, attempt.username[:128], None)
        log_event(
            self.session, LOCKOUT, attempt, actor, {"locked_until": [None, lock.until.isoformat()]}
        )

    def _last_attempt(self, username: str, address: str) -> LoginAttempt:
        return (
            self.session.query(LoginAttempt)
            .filter_by(username=normalize_username(username), address=address)
            .order_by(LoginAttempt.id.desc())
            .first()
        )

    def on_user_login(self, user) -> None:
        """R9, R23: a successful login is written to the audit log."""
        log_user_event(self.session, LOGIN, user)

    def on_user_login_failed(self, user) -> None:
        """R9, R23: a wrong password for an existing account is written to the audit log."""
        g.login_failure_logged = True
        log_user_event(self.session, LOGIN_FAILED, user)

    def on_user_logout(self, user) -> None:
        """R9, R23: a logout is written to the audit log."""
        log_user_event(self.session, LOGOUT, user)

    def add_user(self, username, first_name, last_name, email, role=None, password="", **kwargs):
        """R23: FAB's account creation (``flask fab create-user``) under the password policy.

        A refused password creates nothing: the reasons are logged and False is returned,
        as FAB does for any failure.
        """
        if password:
            problems = password_problems(password, username)
            if problems:
                log.error("Không tạo tài khoản %s: %s", username, " ".join(problems))
                return False
        return super().add_user(
            username, first_name, last_name, email, role, password=password, **kwargs
        )

    def reset_password(self, userid, password):
        """R23: every password change (screens, ``flask fab reset-password``) under the
        policy; raises PasswordRefused and changes nothing when the password is refused."""
        user = self.get_user_by_id(userid)
        if user is None:
            raise PasswordRefused(f"No account {userid}")
        check_password(password, user.username)
        super().reset_password(userid, password)

    def load_user(self, pk: Any) -> AppUser | None:
        """R23: the session's account, only while active and its session stamp is unchanged."""
        parts = split_session_id(pk)
        if parts is None:
            return None
        user = self.get_user_by_id(parts[0])
        return user if stamp_matches(user, parts[1]) else None

    def create_jwt_manager(self, app) -> JWTManager:
        """API tokens carry the account's session stamp (claim ``stamp``)."""
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.additional_claims_loader(self._token_claims)
        return jwt_manager

    def _token_claims(self, identity: Any) -> dict[str, Any]:
        user = self.get_user_by_id(int(identity))
        return {"stamp": user.session_stamp or ""} if user is not None else {}

    def load_user_jwt(self, _jwt_header, jwt_data):
        """R23: a token is refused once its account's stamp changed (password changed,
        account deactivated) and while the account still has a temporary password."""
        user = self.get_user_by_id(int(jwt_data["sub"]))
        if not stamp_matches(user, jwt_data.get("stamp")) or password_change_pending(user):
            return None
        g.user = user
        return user

    def _has_view_access(self, user: object, permission_name: str, view_name: str) -> bool:
        """R11: the user's roles decide; every permission of the user is read once per
        request (a page asks for dozens: menus, links, buttons) instead of one query each."""
        if not has_request_context():
            return super()._has_view_access(user, permission_name, view_name)
        key = getattr(user, "id", None)
        memo = g.get("_donthu_permissions")
        if memo is None or memo[0] != key:
            memo = (key, self._permission_pairs(user))
            g._donthu_permissions = memo
        return (permission_name, view_name) in memo[1]

    def _permission_pairs(self, user: object) -> frozenset[tuple[str, str]]:
        """Every (permission, view) the user's roles grant, in one query of names."""
        roles = self.get_user_roles(user)
        pairs = {
            pair
            for role in roles
            if role.name in self.builtin_roles
            for pair in self.get_role_permissions(role)
        }
        role_ids = [role.id for role in roles if role.name not in self.builtin_roles]
        if role_ids:
            query = (
                select(Permission.name, ViewMenu.name)
                .join(PermissionView, PermissionView.permission_id == Permission.id)
                .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
                .join(
                    assoc_permissionview_role,
                    assoc_permissionview_role.c.permission_view_id == PermissionView.id,
                )
                .where(assoc_permissionview_role.c.role_id.in_(role_ids))
            )
            pairs.update((name, view) for name, view in self.session.execute(query))
        return frozenset(pairs)

    def noop_user_update(self, user: AppUser) -> None:
        """R23: a failed login (unknown or inactive account) costs the same database write
        as a successful one, so timing does not reveal which usernames exist.

        FAB writes an unchanged value through an ORM bulk UPDATE, which the audit log
        refuses for audited models (R9); the same write is made on the table instead.
        """
        table = AppUser.__table__
        self.session.execute(
            update(table).where(table.c.id == user.id).values(login_count=user.login_count)
        )
        self.session.commit()
