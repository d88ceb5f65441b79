"""R23: secure cookies, security headers with a per-request CSP nonce, CSRF on every form.

The browser tests (tests/browser/) fail on any console error, so a page breaking the
content security policy fails them; this file checks the headers themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.security.headers import secure_cookie_settings
from tests.conftest import DEMO_PASSWORD, login, second_app

TEMPLATES = Path(__file__).resolve().parent.parent / "app" / "templates"
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def _nonces(html: str) -> set[str]:
    return set(re.findall(r'<script[^>]*\snonce="([^"]*)"', html))


def test_every_page_has_the_security_headers(client):
    response = client.get("/login/")
    headers = response.headers
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_every_script_carries_the_nonce_of_its_request(client):
    login(client, "caolanh.tcd")
    first = client.get("/petitions/list/")
    second = client.get("/petitions/list/")
    html = first.get_data(as_text=True)
    nonce = re.search(r"'nonce-([^']+)'", first.headers["Content-Security-Policy"]).group(1)
    assert len(nonce) >= 16
    assert _nonces(html) == {nonce}
    scripts = re.findall(r"<script\b[^>]*>", html)
    inline = [tag for tag in scripts if "src=" not in tag and "application/json" not in tag]
    assert all(f'nonce="{nonce}"' in tag for tag in inline)
    assert nonce not in second.headers["Content-Security-Policy"]


def test_a_download_keeps_its_own_sandbox_policy(app):
    from flask import Response

    from app.security.headers import set_security_headers

    with app.test_request_context("/"):
        response = Response(b"%PDF-1.7")
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        assert set_security_headers(response).headers["Content-Security-Policy"] == (
            "default-src 'none'; sandbox"
        )


def test_the_session_cookie_is_httponly_and_samesite(client):
    login(client, "caolanh.tcd")
    response = client.get("/login/")
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert response.status_code in (200, 302)


def test_cookies_are_secure_when_served_over_https():
    behind_tls = Flask("tls")
    behind_tls.config.update(PREFERRED_URL_SCHEME="https", SESSION_COOKIE_SECURE=False)
    secure_cookie_settings(behind_tls)
    assert behind_tls.config["SESSION_COOKIE_SECURE"] is True
    assert behind_tls.config["REMEMBER_COOKIE_SECURE"] is True

    plain = Flask("plain")
    plain.config.update(PREFERRED_URL_SCHEME="http", SESSION_COOKIE_SECURE=False)
    secure_cookie_settings(plain)
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert plain.config["SESSION_COOKIE_HTTPONLY"] is True
    assert plain.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.fixture(scope="module")
def csrf_app(app) -> Iterator[Flask]:
    """CSRF on, in an app of its own: Flask-AppBuilder's form views keep the field list of
    their first page, csrf_token included, so switching it on in the session app leaks."""
    with second_app(app, WTF_CSRF_ENABLED=True) as protected:
        yield protected


def test_posts_without_the_csrf_token_are_refused(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    signed_in = client.post(
        "/login/", data={"username": "caolanh.tcd", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    form = client.get("/resetmypassword/form").get_data(as_text=True)
    assert 'name="csrf_token"' in form
    assert client.post("/notifications/read-all").status_code == 400
    refused = client.post("/login/", data={"username": "caolanh.tcd", "password": "x"})
    assert refused.status_code == 400


def test_every_post_form_of_our_templates_carries_the_csrf_token():
    missing = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        for form in FORM.findall(template.read_text(encoding="utf-8")):
            if re.search(r'method="post"', form, re.I) and "csrf_token" not in form:
                missing.append(f"{template.relative_to(TEMPLATES)}: {form[:80]}")
    assert missing == []
