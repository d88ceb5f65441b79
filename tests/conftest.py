"""Shared fixtures: one app per test session (FAB 5), demo province loaded once, and the
database restored to that state before every test that uses it.

``DATABASE_URL`` selects the database (the suite wipes it!); by default a temporary
SQLite file is used. CI runs the suite on both (see .ci/run).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.dbreset import Snapshot

DEMO_PASSWORD = "Demo@Test2026"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def _test_database_url(tmp_dir: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    return f"sqlite:///{Path(tmp_dir) / 'test.db'}"


# The demo petitions are dated back from the day they are loaded ("45 days ago"): the
# base data is always loaded as on this day, so the tests' dates hold on any day.
BASE_DATA_LOADED_AT = dt.datetime(2026, 11, 28, 7, 30)


def build_schema_and_base_data(app: Flask) -> None:
    """Fresh schema, roles and permissions, the demo province and the demo accounts, as
    loaded on ``BASE_DATA_LOADED_AT``."""
    from app.core.actor import SYSTEM_ACTOR, acting_as
    from app.core.clock import set_now
    from app.demo.loader import load_demo_province
    from app.extensions import db
    from app.security.sync import sync_roles_and_permissions
    from app.seeds import seed_reference_data

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        else:
            db.drop_all()
        db.create_all()
        set_now(BASE_DATA_LOADED_AT)
        try:
            with acting_as(SYSTEM_ACTOR):
                seed_reference_data(db.session)
                sync_roles_and_permissions(app.appbuilder)
                load_demo_province(app.appbuilder, db.session, DEMO_PASSWORD)
            for hook in app.config.get("TEST_BASE_DATA_HOOKS", []):
                hook(app)
        finally:
            set_now(None)
        db.session.remove()


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """The application, on a test database holding the demo province."""
    from app import create_app
    from app.extensions import db

    with tempfile.TemporaryDirectory() as tmp_dir:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": _test_database_url(tmp_dir),
                "WTF_CSRF_ENABLED": False,
                "DEMO_PASSWORD": DEMO_PASSWORD,
                "UPLOAD_FOLDER": str(Path(tmp_dir) / "uploads"),
                "RATELIMIT_ENABLED": False,
                # Figures counted afresh on each page; tests/test_figures_cache.py turns
                # the cache on.
                "FIGURE_CACHE_SECONDS": 0,
            }
        )
        build_schema_and_base_data(app)
        with app.app_context():
            app.extensions["test_snapshot"] = Snapshot(db.engine, db.metadata)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextlib.contextmanager
def second_app(app: Flask, **settings) -> Iterator[Flask]:
    """Another app on the session app's test database, with ``settings`` as production
    has them (CSRF, Flask-Limiter): switched on in the session app they would leak into
    other tests, or cannot be switched on after start-up."""
    from app import create_app
    from app.extensions import db

    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            **settings,
        }
    )
    try:
        yield other
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def _reset_database(request: pytest.FixtureRequest) -> None:
    """Before each test that uses the app, put the database back to the base data."""
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    app.extensions["test_snapshot"].restore()
    from app.core.clock import set_now

    set_now(None)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client (no app context kept pushed: FAB 5 trap)."""
    return app.test_client()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[Flask]:
    """An app context for calling services directly (don't mix with client requests)."""
    from app.extensions import db

    with app.app_context():
        yield app
        db.session.rollback()
        db.session.remove()


def login(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log the client in through the login form; fails the test if refused."""
    response = client.post(
        "/login/", data={"username": username, "password": password}, follow_redirects=False
    )
    assert response.status_code == 302, f"login of {username} refused"
    assert "/login" not in response.headers.get("Location", ""), f"login of {username} refused"


def api_token(client: FlaskClient, username: str, password: str = DEMO_PASSWORD) -> str:
    """A JWT access token for the REST API."""
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["access_token"]


@pytest.fixture
def artifacts_dir() -> Path:
    """tests/artifacts (git-ignored): screenshots and downloaded files."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
