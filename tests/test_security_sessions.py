"""R23: sessions and API tokens end when the password changes or the account is
deactivated, on every worker (the stamp is in the database); an account with a temporary
password gets no API token (403) and the tokens it had are refused.

ttt.chuyenvien is a clerk of the provincial inspectorate; "admin" a system administrator.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from app.extensions import db
from tests.conftest import DEMO_PASSWORD, api_token, login

NEW_PASSWORD = "CauMyThuan#Moi2026"
# A page every signed-in user may open; without a session it leads to the sign-in form.
OWN_PAGE = "/resetmypassword/form"


def _signed_in(client: FlaskClient) -> bool:
    response = client.get(OWN_PAGE)
    return response.status_code == 200


def _change(app, username: str, **fields) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        for name, value in fields.items():
            setattr(user, name, value)
        db.session.commit()
        db.session.remove()


def _reset(app, username: str, password: str) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username=username).id, password)
        db.session.remove()


def test_changing_the_own_password_ends_the_other_sessions_but_not_this_one(app):
    office, home = app.test_client(), app.test_client()
    login(office, "ttt.chuyenvien")
    login(home, "ttt.chuyenvien")
    changed = office.post(
        OWN_PAGE,
        data={
            "current_password": DEMO_PASSWORD,
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert _signed_in(office)
    assert not _signed_in(home)
    assert "/login/" in home.get(OWN_PAGE).headers["Location"]


def test_a_password_reset_by_an_administrator_ends_the_holders_sessions(app, client):
    login(client, "ttt.chuyenvien")
    _reset(app, "ttt.chuyenvien", NEW_PASSWORD)
    assert not _signed_in(client)
    login(client, "ttt.chuyenvien", NEW_PASSWORD)
    assert _signed_in(client)


def test_deactivating_an_account_ends_its_session_and_reactivating_does_not_revive_it(app, client):
    login(client, "ttt.chuyenvien")
    _change(app, "ttt.chuyenvien", active=False)
    assert not _signed_in(client)
    _change(app, "ttt.chuyenvien", active=True)
    assert not _signed_in(client)


def test_editing_a_name_keeps_the_session(app, client):
    login(client, "ttt.chuyenvien")
    _change(app, "ttt.chuyenvien", first_name="Phạm Quốc")
    assert _signed_in(client)


def test_an_api_token_is_refused_after_a_password_change(app, client):
    token = api_token(client, "ttt.chuyenvien")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/petitions/", headers=headers).status_code == 200
    _reset(app, "ttt.chuyenvien", NEW_PASSWORD)
    assert client.get("/api/v1/petitions/", headers=headers).status_code == 401


def test_an_api_token_is_refused_while_the_password_is_temporary(app, client):
    token = api_token(client, "ttt.chuyenvien")
    _change(app, "ttt.chuyenvien", must_change_password=True)
    response = client.get("/api/v1/petitions/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_the_api_login_gives_no_token_until_the_temporary_password_is_changed(app, client):
    """R23: instead of a token refused on every call, the login says what to do (403);
    once the holder chose their own password on the web, the API login works."""
    _change(app, "ttt.chuyenvien", must_change_password=True)
    credentials = {"username": "ttt.chuyenvien", "password": DEMO_PASSWORD, "provider": "db"}
    refused = client.post("/api/v1/security/login", json=credentials)
    assert refused.status_code == 403
    body = refused.get_json()
    assert body["code"] == "password_change_required"
    assert "access_token" not in body
    assert "đăng nhập trên trang web và tự đặt mật khẩu mới" in body["message"]

    login(client, "ttt.chuyenvien")
    changed = client.post(
        OWN_PAGE,
        data={
            "current_password": DEMO_PASSWORD,
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    program = app.test_client()
    token = api_token(program, "ttt.chuyenvien", NEW_PASSWORD)
    response = program.get("/api/v1/petitions/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
