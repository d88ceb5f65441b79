"""Production mode refuses to start with a default SECRET_KEY or the demo admin password (R23)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup
from werkzeug.security import check_password_hash

from config import DEFAULT_DEMO_PASSWORD, DEV_SECRET_KEY

NEW_PASSWORD = "Đổi-Mật-Khẩu@2026"


def production_settings(app: Flask, **extra: object) -> dict[str, object]:
    """Production mode on the test database with a proper secret key."""
    return {
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        **extra,
    }


@contextmanager
def production_app(app: Flask, **extra: object) -> Iterator[Flask]:
    """A second app in production mode; its database connections are closed afterwards."""
    from app import create_app
    from app.extensions import db

    started = create_app(production_settings(app, **extra))
    try:
        yield started
    finally:
        with started.app_context():
            db.session.remove()
            db.engine.dispose()


def set_admin_password(app: Flask, password: str) -> None:
    from app.extensions import db

    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username="admin").id, password)
        db.session.remove()


def admin_password_hash(app: Flask) -> str:
    from app.extensions import db

    with app.app_context():
        password_hash = app.appbuilder.sm.find_user(username="admin").password
        db.session.remove()
    return password_hash


def test_production_refuses_the_development_secret_key(app):
    from app import create_app
    from app.production import UnsafeProductionSettings

    for secret in (DEV_SECRET_KEY, ""):
        with pytest.raises(UnsafeProductionSettings, match="SECRET_KEY"):
            create_app(production_settings(app, SECRET_KEY=secret))


def test_production_refuses_the_demo_admin_password(app):
    from app.production import UnsafeProductionSettings

    set_admin_password(app, DEFAULT_DEMO_PASSWORD)
    with (
        pytest.raises(UnsafeProductionSettings, match="flask fab reset-password"),
        production_app(app),
    ):
        pass


def test_development_mode_accepts_the_demo_password(app):
    set_admin_password(app, DEFAULT_DEMO_PASSWORD)
    with production_app(app, APP_ENV="development") as started:
        assert started.test_client().get("/login/").status_code == 200


def test_reset_password_command_runs_in_production_and_then_the_app_starts(app):
    """The refusal message's remedy, `flask fab reset-password`, works in production mode."""
    from app import create_app
    from app.extensions import db

    set_admin_password(app, DEFAULT_DEMO_PASSWORD)
    built: list[Flask] = []

    def build() -> Flask:
        built.append(create_app(production_settings(app)))
        return built[-1]

    cli = FlaskGroup(create_app=build, load_dotenv=False)
    args = ["fab", "reset-password", "--username", "admin", "--password", NEW_PASSWORD]
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        for cli_app in built:
            with cli_app.app_context():
                db.session.remove()
                db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert check_password_hash(admin_password_hash(app), NEW_PASSWORD)

    with production_app(app) as started:
        login_page = started.test_client().get("/login/")
        assert login_page.status_code == 200
        assert "csrf_token" in login_page.get_data(as_text=True)
