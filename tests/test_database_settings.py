"""Settings the app puts on its database connections (config.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.extensions import db


def test_postgresql_connections_do_not_jit_compile_queries(app_ctx):
    """A scoped list on a million petitions cost 300 ms of JIT compilation for a 50 ms
    query (docs/benchmarks.md): the app's connections turn JIT off."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    assert db.session.scalar(text("SHOW jit")) == "off"
