"""Secure cookies and response headers (R23).

- Cookies (session and remember-me): HttpOnly, SameSite=Lax, and Secure when the app is
  served over HTTPS (``PREFERRED_URL_SCHEME=https``) or ``SESSION_COOKIE_SECURE=1``.
- Every response: ``X-Frame-Options``, ``X-Content-Type-Options``, ``Referrer-Policy`` and a
  Content-Security-Policy allowing scripts only from this site and inline scripts only
  with the request's nonce. FAB's templates and ours write ``nonce="{{ baselib.get_nonce() }}"``
  on every script; ``get_nonce`` calls the ``csp_nonce`` template global defined here.
  A response that sets its own policy (downloads: ``sandbox``) keeps it. Over HTTPS,
  ``Strict-Transport-Security`` too.
- Behind a reverse proxy, ``PROXY_FIX_X_FOR`` (the number of proxies) makes the client
  address and scheme those the proxy saw, for the per-address lockout and Secure cookies.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

NONCE_BYTES = 16


def csp_nonce() -> str:
    """The nonce of the current request's inline scripts (one per request)."""
    nonce = getattr(g, "csp_nonce", None)
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return nonce


def content_security_policy(nonce: str) -> str:
    """R23: the policy every page satisfies: nothing from other sites, no inline script
    without the nonce, no plugins, no framing by other sites, forms posted only here."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


def secure_cookie_settings(app: Flask) -> None:
    """R23: HttpOnly and SameSite=Lax cookies; Secure when served over HTTPS."""
    secure = bool(app.config.get("SESSION_COOKIE_SECURE")) or (
        app.config.get("PREFERRED_URL_SCHEME") == "https"
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE=app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
    )


def set_security_headers(response: Response) -> Response:
    """R23: the security headers of every response (an existing policy is kept)."""
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def install_http_security(app: Flask) -> None:
    """Cookies, the nonce template global, the headers and (if configured) the proxy fix."""
    secure_cookie_settings(app)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(set_security_headers)
    proxies = int(app.config.get("PROXY_FIX_X_FOR", 0) or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
