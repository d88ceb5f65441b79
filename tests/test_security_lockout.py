"""R23: temporary lockout after repeated failed sign-ins, per account and per client
address, stored in the database; rate limits on the sign-in form and the API login; R9:
logins, failed logins and lockouts in the audit log.

Defaults (config.py): 5 failures for a username within 15 minutes lock it for 15 minutes;
20 failures from one address lock the address. caolanh.tcd is Nguyễn Thị Lan, a clerk of
the Cao Lãnh reception board; laivung.tcd a clerk of Lai Vung.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit.models import AuditLog
from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.jobs.models import CLI
from app.jobs.runner import run_now
from app.security.models import LoginAttempt, RateLimitCounter
from app.security.rate_limits import DatabaseStorage
from tests.conftest import DEMO_PASSWORD, api_token, login, second_app

WRONG = "SaiMatKhau@2026"
START = dt.datetime(2026, 3, 9, 8, 0)


def _sign_in(client: FlaskClient, username: str, password: str) -> tuple[bool, str]:
    """Post the sign-in form; (signed in?, the page shown after it)."""
    response = client.post(
        "/login/", data={"username": username, "password": password}, follow_redirects=True
    )
    return "/login" not in response.request.path, response.get_data(as_text=True)


def _entries(app, action: str) -> list[AuditLog]:
    with app.app_context():
        entries = list(
            db.session.scalars(
                select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
            )
        )
        db.session.expunge_all()
        db.session.remove()
    return entries


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(app, client):
    set_now(START)
    for _ in range(4):
        assert not _sign_in(client, "caolanh.tcd", WRONG)[0]
    signed_in, page = _sign_in(client, "caolanh.tcd", WRONG)
    assert not signed_in
    assert "tài khoản bị tạm khóa đến 08:15 09/03/2026" in page

    # Even the right password is refused while the lock lasts, with the same message.
    set_now(START + dt.timedelta(minutes=14))
    signed_in, page = _sign_in(client, "caolanh.tcd", DEMO_PASSWORD)
    assert not signed_in
    assert "tạm khóa đến 08:15 09/03/2026" in page
    # Another account from the same computer is not locked.
    assert _sign_in(app.test_client(), "laivung.tcd", DEMO_PASSWORD)[0]

    set_now(START + dt.timedelta(minutes=15, seconds=1))
    assert _sign_in(client, "caolanh.tcd", DEMO_PASSWORD)[0]

    lockouts = _entries(app, "lockout")
    assert [(entry.username, entry.table_name) for entry in lockouts] == [
        ("caolanh.tcd", "ab_user")
    ]
    assert lockouts[0].changes["locked_until"][1].startswith("2026-03-09T01:15")
    assert len([e for e in _entries(app, "login_failed") if e.username == "caolanh.tcd"]) == 5


def test_a_successful_sign_in_resets_the_account_count(app, client):
    set_now(START)
    for _ in range(4):
        _sign_in(client, "caolanh.tcd", WRONG)
    assert _sign_in(client, "caolanh.tcd", DEMO_PASSWORD)[0]
    client.get("/logout/")
    for _ in range(4):
        _sign_in(client, "caolanh.tcd", WRONG)
    assert _sign_in(client, "caolanh.tcd", DEMO_PASSWORD)[0]


def test_many_failures_from_one_address_lock_the_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "LOCKOUT_ADDRESS_FAILURES", 6)
    set_now(START)
    usernames = ["nguyen.an", "tran.binh", "le.cuong", "pham.dung", "hoang.em", "vo.giang"]
    for username in usernames[:-1]:
        _sign_in(client, username, WRONG)
    _signed_in, page = _sign_in(client, usernames[-1], WRONG)
    assert "từ máy này bị tạm khóa đến 08:15 09/03/2026" in page
    # A real account from that address is refused too, with the right password.
    assert not _sign_in(client, "laivung.tcd", DEMO_PASSWORD)[0]
    lockout = _entries(app, "lockout")[-1]
    assert lockout.table_name == "login_attempt"
    # Unknown usernames' failures are logged as well.
    failed = {entry.username for entry in _entries(app, "login_failed")}
    assert set(usernames) <= failed


def test_the_lock_is_kept_in_the_database_for_every_worker(app, client):
    set_now(START)
    for _ in range(5):
        _sign_in(client, "caolanh.tcd", WRONG)
    with app.app_context():
        locked = db.session.scalars(
            select(LoginAttempt).where(LoginAttempt.account_locked_until.is_not(None))
        ).all()
        assert [attempt.username for attempt in locked] == ["caolanh.tcd"]
        db.session.remove()
    # A fresh client (another browser, another worker) meets the same lock.
    assert not _sign_in(app.test_client(), "caolanh.tcd", DEMO_PASSWORD)[0]


def test_api_login_is_locked_too_and_says_so(app, client):
    set_now(START)
    payload = {"username": "caolanh.tcd", "password": WRONG, "provider": "db"}
    for _ in range(4):
        refused = client.post("/api/v1/security/login", json=payload)
        assert refused.status_code == 401
        assert refused.get_json() == {
            "code": "login_failed",
            "message": "Sai tên đăng nhập hoặc mật khẩu.",
        }
    locked = client.post("/api/v1/security/login", json=payload)
    assert locked.status_code == 429
    assert locked.get_json()["code"] == "login_locked"
    assert "tạm khóa đến 08:15 09/03/2026" in locked.get_json()["message"]
    right = client.post("/api/v1/security/login", json={**payload, "password": DEMO_PASSWORD})
    assert right.status_code == 429


@pytest.fixture(scope="module")
def limited_app(app) -> Iterator[Flask]:
    """Flask-Limiter on, as in production: counting in the database (the session app
    turns it off, and Flask-Limiter cannot be switched on after start-up)."""
    with second_app(
        app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="database://",
        AUTH_RATE_LIMIT="10 per minute",
    ) as limited:
        yield limited


def test_two_instances_count_one_callers_api_calls_together(limited_app, monkeypatch):
    """R23, more than one server: the counts are in the database, so a caller who spreads
    calls over two instances (or gunicorn workers) gets the allowance once, not twice."""
    limited_app.appbuilder.sm.limiter.reset()
    monkeypatch.setitem(limited_app.config, "API_RATE_LIMIT", "4 per minute")
    with second_app(
        limited_app, RATELIMIT_ENABLED=True, API_RATE_LIMIT="4 per minute"
    ) as other_instance:
        first, second = limited_app.test_client(), other_instance.test_client()
        lan = {"Authorization": f"Bearer {api_token(first, 'caolanh.tcd')}"}
        statuses = [
            client.get("/api/v1/petitions/", headers=lan).status_code
            for client in (first, second, first, second, first, second)
        ]
    assert statuses == [200, 200, 200, 200, 429, 429]


def test_the_sign_in_form_is_rate_limited_per_address(limited_app):
    limited_app.appbuilder.sm.limiter.reset()
    client = limited_app.test_client()
    statuses = [
        client.post("/login/", data={"username": f"khach{n}", "password": WRONG}).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
    refused = client.post("/login/", data={"username": "khach", "password": WRONG})
    assert "Quá nhiều lần đăng nhập từ máy này" in refused.get_data(as_text=True)


def test_the_api_login_is_rate_limited_per_address(limited_app):
    limited_app.appbuilder.sm.limiter.reset()
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/api/v1/security/login",
            json={"username": f"khach{n}", "password": WRONG, "provider": "db"},
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    refused = client.post(
        "/api/v1/security/login", json={"username": "khach", "password": WRONG, "provider": "db"}
    )
    assert refused.get_json()["code"] == "too_many_requests"


def test_each_api_is_rate_limited_per_account_then_per_address(limited_app, monkeypatch):
    """R23: API_RATE_LIMIT calls per caller; the next one is refused 429 in Vietnamese with
    the stable code; another account keeps its own allowance (clerks of an office share an
    address behind the proxy); a caller without a token is counted by address."""
    monkeypatch.setitem(limited_app.config, "API_RATE_LIMIT", "5 per minute")
    limited_app.appbuilder.sm.limiter.reset()
    client = limited_app.test_client()
    lan = {"Authorization": f"Bearer {api_token(client, 'caolanh.tcd')}"}
    lai_vung = {"Authorization": f"Bearer {api_token(client, 'laivung.tcd')}"}

    statuses = [client.get("/api/v1/petitions/", headers=lan).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    refused = client.get("/api/v1/petitions/", headers=lan)
    assert refused.get_json() == {
        "code": "too_many_requests",
        "message": "Quá nhiều yêu cầu: hãy chờ một lát rồi thử lại.",
    }
    assert client.get("/api/v1/petitions/", headers=lai_vung).status_code == 200

    anonymous = [client.get("/api/v1/petitions/").status_code for _ in range(6)]
    assert anonymous == [401] * 5 + [429]


def test_a_login_is_in_the_audit_log(app, client):
    _sign_in(client, "laivung.tcd", DEMO_PASSWORD)
    assert [entry.username for entry in _entries(app, "login")][-1] == "laivung.tcd"


def test_a_second_instance_sees_the_same_lockout_and_ended_sessions(app, limited_app):
    """Two app instances on one database (as two gunicorn workers or hosts): a lock made
    on one holds on the other, and a password changed on one ends sessions on the other."""
    limited_app.appbuilder.sm.limiter.reset()
    set_now(START)
    other = limited_app.test_client()
    login(other, "laivung.tcd")
    assert other.get("/resetmypassword/form").status_code == 200

    for _ in range(5):
        _sign_in(app.test_client(), "caolanh.tcd", WRONG)
    _signed_in, page = _sign_in(limited_app.test_client(), "caolanh.tcd", DEMO_PASSWORD)
    assert "tài khoản bị tạm khóa đến 08:15 09/03/2026" in page

    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username="laivung.tcd").id, "SongHau#QuytHong2026")
        db.session.remove()
    assert other.get("/resetmypassword/form").status_code == 302


def _attempts(app) -> list[tuple[str, dt.datetime]]:
    with app.app_context():
        rows = [
            (attempt.username, attempt.at)
            for attempt in db.session.scalars(select(LoginAttempt).order_by(LoginAttempt.id))
        ]
        db.session.remove()
    return rows


def _housekeeping(app) -> str:
    result = run_now(app, "housekeeping", trigger=CLI)
    assert result.status == "succeeded", result.error
    return result.outcome


def test_the_daily_housekeeping_removes_old_attempts_and_the_lockout_still_works(app, client):
    """R23: attempts older than the lockout windows (15 minutes) go, recent ones stay and
    still count: Lan's lockout of 08:00 ended at 08:15; at 08:20 the job removes it, keeps
    the four failures typed for laivung.tcd at 08:19, and the fifth locks that account."""
    set_now(START)
    for _ in range(5):
        _sign_in(client, "caolanh.tcd", WRONG)
    set_now(START + dt.timedelta(minutes=10))
    assert _housekeeping(app).startswith("Đã xóa 0 lượt đăng nhập cũ;")
    assert len(_attempts(app)) == 5

    set_now(START + dt.timedelta(minutes=19))
    for _ in range(4):
        _sign_in(client, "laivung.tcd", WRONG)
    set_now(START + dt.timedelta(minutes=20))
    assert _housekeeping(app).startswith("Đã xóa 5 lượt đăng nhập cũ;")
    assert {username for username, _at in _attempts(app)} == {"laivung.tcd"}

    signed_in, page = _sign_in(client, "laivung.tcd", WRONG)
    assert not signed_in
    assert "tài khoản bị tạm khóa đến 08:35 09/03/2026" in page
    assert _sign_in(app.test_client(), "caolanh.tcd", DEMO_PASSWORD)[0]


def test_a_lock_still_in_force_is_kept_however_old_its_attempt(app, client):
    """R23: a lock set under a longer window (the setting was shortened since) is kept
    until it ends."""
    with app.app_context():
        db.session.add(
            LoginAttempt(
                at=local_to_utc(START - dt.timedelta(hours=2)),
                username="caolanh.tcd",
                address="127.0.0.1",
                succeeded=False,
                account_locked_until=local_to_utc(START + dt.timedelta(minutes=30)),
            )
        )
        db.session.commit()
        db.session.remove()
    set_now(START)
    _housekeeping(app)
    assert len(_attempts(app)) == 1
    assert not _sign_in(client, "caolanh.tcd", DEMO_PASSWORD)[0]


def test_database_counts_restart_with_their_window_and_are_pruned_daily(app):
    """R23: the database storage of the rate limits counts up within a window, starts
    again once the window is over, and the daily housekeeping removes ended windows."""
    with app.app_context():
        storage = DatabaseStorage()
        storage.reset()
        key = "LIMITER/account:7/api.PetitionApi/300/1/minute"
        assert [storage.incr(key, 60) for _ in range(3)] == [1, 2, 3]
        assert storage.get(key) == 3
        assert storage.get_expiry(key) > time.time() + 50
        ended = "LIMITER/address:10.1.2.3/login/10/1/minute"
        storage.incr(ended, -1)  # a window already over
        assert storage.get(ended) == 0
        assert storage.incr(ended, -1) == 1  # a new window starts at 1, not 2
        db.session.remove()
    _housekeeping(app)
    with app.app_context():
        assert db.session.scalars(select(RateLimitCounter.counter_key)).all() == [key]
        DatabaseStorage().clear(key)
        assert DatabaseStorage().get(key) == 0
        db.session.remove()
