"""The sign-in form and the API login with the lockout message and rate limits (R23).

Both sign-ins go through the security manager's ``auth_user_db`` (app.security.manager),
which applies the lockout and stores the lock it finds in ``g.login_lock``. The form then
says until when the sign-in is locked instead of "wrong username or password"; the API
answers 429 ``{"code": "login_locked", "message": …}`` with the same Vietnamese message.
Flask-Limiter limits both to ``AUTH_RATE_LIMIT`` per client address (the form by FAB's
AUTH_RATE_LIMITED, the API here). An account with a temporary password gets no API token:
403 ``password_change_required``, telling its holder to choose a password on the web first.
"""

from __future__ import annotations

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
)
from flask_appbuilder.api import safe
from flask_appbuilder.const import API_SECURITY_ACCESS_TOKEN_KEY
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.decorators import no_cache
from flask_appbuilder.security.forms import LoginForm_db
from flask_appbuilder.security.views import AuthDBView
from flask_appbuilder.utils.limit import Limit
from flask_appbuilder.views import expose
from flask_babel import gettext
from flask_jwt_extended import decode_token
from flask_limiter.util import get_remote_address
from flask_login import login_user
from werkzeug.exceptions import TooManyRequests

from app.api.errors import api_error
from app.core.clock import to_local
from app.security.lockout import ACCOUNT, Lock
from app.security.sessions import PASSWORD_CHANGE_REQUIRED, password_change_pending

# Stable codes of the API login's refusals (as every API error: {"code", "message"}).
LOGIN_FAILED = "login_failed"
LOGIN_LOCKED = "login_locked"
RATE_LIMITED = "too_many_requests"
API_LOGIN_PATH = "/api/v1/security/login"


def lockout_message(lock: Lock) -> str:
    """R23: the Vietnamese message shown while sign-ins are locked, with the local time."""
    until = to_local(lock.until).strftime("%H:%M %d/%m/%Y")
    if lock.scope == ACCOUNT:
        return gettext(
            "Too many failed sign-ins for this account: it is locked until %(until)s. "
            "Try again later, or ask your administrator to check the account.",
            until=until,
        )
    return gettext(
        "Too many failed sign-ins from this computer: sign-in from it is locked until "
        "%(until)s. Try again later.",
        until=until,
    )


class LockoutAuthDBView(AuthDBView):
    """FAB's sign-in form; when sign-ins are locked it says so and until when."""

    @property
    def invalid_login_message(self) -> str:
        """The lockout message if the attempt was refused by a lock, else FAB's own."""
        lock = getattr(g, "login_lock", None)
        if lock is not None:
            return lockout_message(lock)
        return gettext("Invalid login. Please try again.")

    @expose("/login/", methods=["GET", "POST"])
    @no_cache
    def login(self) -> Response:
        """FAB's sign-in, but a form sent without ``next`` goes home quietly: FAB checks an
        empty ``next`` and logs "Invalid redirect detected" on every normal sign-in; a
        ``next`` leaving the site is still refused (and logged) by FAB's check."""
        next_url = self._get_safe_next_url()
        if g.user is not None and g.user.is_authenticated:
            return redirect(next_url)
        form = LoginForm_db()
        if form.validate_on_submit():
            user = self.appbuilder.sm.auth_user_db(form.username.data, form.password.data)
            if not user:
                flash(str(self.invalid_login_message), "warning")
                return redirect(self.appbuilder.get_url_for_login_with(next_url))
            login_user(user, remember=False)
            return redirect(next_url)
        return self.render_template(
            self.login_template, title=self.title, form=form, appbuilder=self.appbuilder
        )


def _auth_rate_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


class LimitedSecurityApi(SecurityApi):
    """FAB's API login (JWT) under the same rate limit as the form; 429 while locked; 403
    for an account that must first choose its own password."""

    limits = [Limit(_auth_rate_limit, key_func=get_remote_address, methods=("POST",))]

    @expose("/login", methods=["POST"])
    @safe
    def login(self) -> Response:
        """R23: FAB's login, but no token for an account with a temporary password (any
        token it got would be refused on every call): 403 ``password_change_required``.
        ---
        post:
          description: >-
            Authenticate and get a JWT access and refresh token. An account whose password
            was set by an administrator is refused (403) until its holder signs in on the
            web and chooses their own password.
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    username:
                      description: The username for authentication
                      example: admin
                      type: string
                    password:
                      description: The password for authentication
                      example: complex-password
                      type: string
                    provider:
                      description: Choose an authentication provider
                      example: db
                      type: string
                      enum:
                      - db
                      - ldap
                    refresh:
                      description: If true a refresh token is provided also
                      example: true
                      type: boolean
          responses:
            200:
              description: Authentication Successful
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      access_token:
                        type: string
                      refresh_token:
                        type: string
            400:
              $ref: '#/components/responses/400'
            401:
              $ref: '#/components/responses/401'
            403:
              $ref: '#/components/responses/403'
            500:
              $ref: '#/components/responses/500'
        """
        response = super().login()
        if response.status_code != 200:
            return response
        token = response.get_json()[API_SECURITY_ACCESS_TOKEN_KEY]
        user = self.appbuilder.sm.get_user_by_id(int(decode_token(token)["sub"]))
        if password_change_pending(user):
            return _refusal(
                403,
                PASSWORD_CHANGE_REQUIRED,
                gettext(
                    "Your password was set by an administrator: sign in on the web site and "
                    "choose your own password, then log in to the API again."
                ),
            )
        return response

    def response_401(self, **kwargs):
        """A refused login says so in Vietnamese, and that it is locked when it is."""
        if not getattr(g, "login_attempted", False):
            return super().response_401(**kwargs)
        lock = getattr(g, "login_lock", None)
        if lock is not None:
            return _refusal(429, LOGIN_LOCKED, lockout_message(lock))
        return _refusal(401, LOGIN_FAILED, gettext("Wrong username or password."))


def _refusal(status: int, code: str, message: str) -> Response:
    response = jsonify({"code": code, "message": message})
    response.status_code = status
    return response


def too_many_requests(_error: TooManyRequests) -> tuple[object, int]:
    """R23: the answer once a rate limit is reached: a Vietnamese page, or JSON under /api/;
    it speaks of sign-in attempts when those were limited, of requests otherwise."""
    if request.path.startswith("/api/") and request.path != API_LOGIN_PATH:
        return api_error(429), 429
    message = gettext("Too many sign-in attempts from this computer: wait a minute and try again.")
    if request.path == API_LOGIN_PATH:
        return _refusal(429, RATE_LIMITED, message), 429
    appbuilder = current_app.appbuilder
    page = render_template(
        "ui/error.html",
        base_template=appbuilder.base_template,
        appbuilder=appbuilder,
        title=gettext("Too many requests"),
        message=message,
    )
    return page, 429


def install_rate_limit_page(app: Flask) -> None:
    """Answer Flask-Limiter's refusals in Vietnamese."""
    app.register_error_handler(TooManyRequests, too_many_requests)
