"""Latency of the duplicate lookup at scale (issue 3: p95 ≤ 100 ms with 1,000,000
petitions, on SQLite and on PostgreSQL).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/donthu_bench \\
        .venv/bin/python bench/lookup_latency.py [--petitions 1000000] [--per-class 45]

The database (default ``sqlite:///instance/bench.db``) gets the demo province and
``--petitions`` synthetic petitions the first time (app.demo.generate; later runs reuse
it and top it up). The queries are those of the quality benchmark (bench/lookup_quality.py:
every variant class, namesakes, new citizens — 13 classes × ``--per-class``), each timed
around one ``lookup()`` call as the intake page makes it (limit 10, default threshold),
after a warm-up. Prints p50, p95, p99 and max wall-clock milliseconds, the mean CPU time
of this process (the lookup's own work, and on SQLite the database's) and the load.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text

from app.extensions import db
from app.petitions.lookup import lookup
from bench.database import bench_app, ensure_base_data, ensure_petitions, sqlite_url
from bench.lookup_quality import build_cases

DEFAULT_DATABASE = sqlite_url("bench.db")
TARGET_P95_MS = 100.0
WARM_UP = 30


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def database_version() -> str:
    """The database engine and its version."""
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(text("SHOW server_version")).scalar_one().split()[0]
    return f"SQLite {sqlite3.sqlite_version}"


def main() -> int:
    """Load (or reuse) the data, time the lookups, print the figures; exit 1 over target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--per-class", type=int, default=45)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    app = bench_app(DEFAULT_DATABASE)
    ensure_base_data(app)
    petitions, load_seconds = ensure_petitions(app, args.petitions, seed=1122)
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="caolanh.tcd")
        cases = build_cases(db.session, random.Random(args.seed), args.per_class)
        random.Random(args.seed).shuffle(cases)
        for case in cases[:WARM_UP]:
            lookup(db.session, case.query, user)
        timings, cpu = [], []
        for case in cases:
            started, started_cpu = time.perf_counter(), time.process_time()
            lookup(db.session, case.query, user)
            timings.append(1000 * (time.perf_counter() - started))
            cpu.append(1000 * (time.process_time() - started_cpu))
            db.session.rollback()
        engine = f"{db.engine.dialect.name} ({database_version()})"
        db.session.remove()
    p95 = percentile(timings, 0.95)
    print(f"\nLookup latency — {petitions:,} petitions, {engine}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, load {load}")
    if load_seconds is not None:
        print(f"generated the petitions in {load_seconds / 60:.1f} min")
    print(f"lookups timed: {len(timings)} (after {WARM_UP} warm-up)")
    print(
        f"p50 {percentile(timings, 0.5):.1f} ms   p95 {p95:.1f} ms   "
        f"p99 {percentile(timings, 0.99):.1f} ms   max {max(timings):.1f} ms   "
        f"mean {statistics.fmean(timings):.1f} ms"
    )
    print(f"CPU time of this process per lookup: mean {statistics.fmean(cpu):.1f} ms")
    print(f"target p95 ≤ {TARGET_P95_MS:g} ms: {'met' if p95 <= TARGET_P95_MS else 'NOT met'}")
    return 0 if p95 <= TARGET_P95_MS else 1


if __name__ == "__main__":
    sys.exit(main())
