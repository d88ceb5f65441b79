"""A benchmark database: the schema, reference data and the demo province, then the
synthetic petitions of app.demo.generate, created once and reused by later runs.

The schema is built from the models (``create_all`` with the DDL events the models
attach: SQLite's FTS5 table and triggers, PostgreSQL's full-text index), as the tests do,
so a benchmark runs on any empty database named by ``DATABASE_URL``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import func, inspect, select, text

INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def sqlite_url(name: str) -> str:
    """A SQLite file of the project's instance folder."""
    return f"sqlite:///{INSTANCE / name}"


def database_url(default: str) -> str:
    """``DATABASE_URL`` (PostgreSQL URLs mapped to psycopg 3), else ``default``."""
    url = os.environ.get("DATABASE_URL") or default
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def bench_app(default_url: str) -> Flask:
    """The application on the benchmark database (``DATABASE_URL`` or ``default_url``)."""
    from app import create_app

    INSTANCE.mkdir(exist_ok=True)
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url(default_url), "TESTING": True})


def ensure_base_data(app: Flask) -> None:
    """Create the schema, roles, reference data and the demo province when missing."""
    from app.core.actor import SYSTEM_ACTOR, acting_as
    from app.demo.loader import load_demo_province
    from app.extensions import db
    from app.security.sync import sync_roles_and_permissions
    from app.seeds import seed_reference_data

    with app.app_context():
        if inspect(db.engine).has_table("petition"):
            return
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        db.create_all()
        with acting_as(SYSTEM_ACTOR):
            seed_reference_data(db.session)
            sync_roles_and_permissions(app.appbuilder)
            load_demo_province(app.appbuilder, db.session, app.config["DEMO_PASSWORD"])
        db.session.remove()


def ensure_petitions(app: Flask, wanted: int, seed: int) -> tuple[int, float | None]:
    """Top the database up to ``wanted`` petitions; return the count and the seconds the
    generator took (None when nothing was added)."""
    from app.demo.generate import generate_petitions
    from app.extensions import db
    from app.petitions.models import Petition

    with app.app_context():
        present = db.session.scalar(select(func.count(Petition.id))) or 0
        if present >= wanted:
            return present, None
        started = time.perf_counter()

        def progress(made: int) -> None:
            print(f"  generated {present + made:,} / {wanted:,} petitions", flush=True)

        generate_petitions(db.session, wanted - present, seed, progress=progress)
        elapsed = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        db.session.remove()
        return wanted, elapsed


def machine_speed() -> float:
    """Seconds this machine takes for a fixed piece of pure Python (30 million additions):
    machines of the same kind differ up to threefold, and one machine from hour to hour,
    so each run prints it beside its figures (lower is faster)."""
    started = time.perf_counter()
    total = 0
    for number in range(30_000_000):
        total += number
    return round(time.perf_counter() - started, 2)
