"""A normal sign-in and sign-out log no "Invalid redirect detected" warning (R23: the
sign-in log stays readable; that warning is kept for a ``next`` leaving the site)."""

from __future__ import annotations

import logging

from tests.conftest import DEMO_PASSWORD

WARNING = "Invalid redirect detected"


def _follow(client, response):
    while response.status_code in (301, 302, 303):
        response = client.get(response.headers["Location"])
    return response


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if WARNING in r.getMessage()]


def test_a_normal_sign_in_and_out_logs_no_redirect_warning(app, client, caplog):
    caplog.set_level(logging.WARNING)
    _follow(client, client.get("/"))
    response = client.post("/login/", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/"
    _follow(client, response)
    _follow(client, client.get("/logout/"))
    assert _warnings(caplog) == []


def test_a_sign_in_sent_to_another_site_goes_home_and_is_logged(app, client, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post(
        "/login/?next=https://example.com/steal",
        data={"username": "admin", "password": DEMO_PASSWORD},
    )
    assert "example.com" not in response.headers["Location"]
    assert len(_warnings(caplog)) == 1


def test_a_wrong_password_keeps_the_page_asked_for(app, client, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post(
        "/login/?next=/petitions/", data={"username": "admin", "password": "sai-mat-khau"}
    )
    assert "/login/" in response.headers["Location"]
    assert "petitions" in response.headers["Location"]
    assert _warnings(caplog) == []
