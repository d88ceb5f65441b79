"""Production mode refuses to start with settings anyone could look up (R23: kept secure).

With ``APP_ENV=production`` the app does not start while SECRET_KEY is the development
default, nor while the ``admin`` account still has the demo password documented in the
README (config.DEFAULT_DEMO_PASSWORD). Flask commands other than ``flask run`` skip the
password check, so that an operator can still run ``flask fab reset-password``.
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import inspect, select
from werkzeug.security import check_password_hash

ADMIN_USERNAME = "admin"


class UnsafeProductionSettings(RuntimeError):
    """Production mode found a setting that must be changed before serving."""


def is_production(app: Flask) -> bool:
    """True when the app runs with ``APP_ENV=production``."""
    return app.config.get("APP_ENV") == "production"


def check_secret_key(app: Flask) -> None:
    """R23: refuse to start in production with an empty or the development SECRET_KEY."""
    from config import DEV_SECRET_KEY

    if is_production(app) and app.config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        raise UnsafeProductionSettings(
            "Refusing to start in production: SECRET_KEY is the development default. "
            "Set the SECRET_KEY environment variable to a long random value, e.g. "
            '`python -c "import secrets; print(secrets.token_hex(32))"`.'
        )


def check_admin_password(app: Flask) -> None:
    """R23: refuse to start in production while ``admin`` has the documented demo password.

    Needs an app context. Skipped before the first migration (no ``ab_user`` table) and
    under Flask commands other than ``flask run``.
    """
    if not is_production(app) or _running_a_flask_command():
        return
    from app.extensions import db
    from app.security.models import AppUser
    from config import DEFAULT_DEMO_PASSWORD

    if not inspect(db.engine).has_table(AppUser.__tablename__):
        return
    password_hash = db.session.scalar(
        select(AppUser.password).where(AppUser.username == ADMIN_USERNAME)
    )
    if password_hash and check_password_hash(password_hash, DEFAULT_DEMO_PASSWORD):
        raise UnsafeProductionSettings(
            f"Refusing to start in production: the account '{ADMIN_USERNAME}' still has "
            "the demo password documented in the README. Change it first with "
            f"`flask fab reset-password --username {ADMIN_USERNAME}` "
            "(run with the same APP_ENV, SECRET_KEY and DATABASE_URL)."
        )


def _running_a_flask_command() -> bool:
    """True when a ``flask`` command other than ``flask run`` is building the app."""
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name != "run"
