"""The rate limit of the REST API (R23): calls counted per caller and per endpoint.

Every endpoint of the project's APIs (``ApiErrors`` in their bases) allows
``API_RATE_LIMIT`` calls ("300 per minute" by default) per caller: the account of the
access token or of the signed-in session, else the client address. Counting by account
keeps an office whose clerks share one address behind a proxy from sharing one
allowance; an unauthenticated caller is counted by address. A refused call is answered
429 ``too_many_requests`` in Vietnamese (``app.security.login_views.too_many_requests``).
The API login has its own stricter limit per address (``AUTH_RATE_LIMIT``).
"""

from __future__ import annotations

from flask import current_app
from flask_appbuilder.utils.limit import Limit
from flask_jwt_extended import get_jwt_identity, verify_jwt_in_request
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_limiter.util import get_remote_address
from flask_login import current_user
from jwt.exceptions import PyJWTError


def api_caller_key() -> str:
    """R23: whom an API call is counted for — the token's or the session's account,
    else the client address (a missing, bad or expired token counts by address)."""
    try:
        verify_jwt_in_request(optional=True)
        identity = get_jwt_identity()
    except (JWTExtendedException, PyJWTError):
        identity = None
    if identity is None and current_user.is_authenticated:
        identity = current_user.id
    if identity is not None:
        return f"account:{identity}"
    return f"address:{get_remote_address()}"


def _api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# A tuple: FAB appends the limits of decorated methods to a view's list, and this one is
# shared by every API class.
API_LIMITS = (Limit(_api_rate_limit, key_func=api_caller_key),)
