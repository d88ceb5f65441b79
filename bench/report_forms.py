"""Benchmark (issue 6, R21, R24): every report form for the whole province for one month,
as the monthly summary compiles it.

    .venv/bin/python bench/report_forms.py --database sqlite:////tmp/bench-reports.db \
        --petitions 1000000 --tasks 200000 --month 2026-10 [--explain]

An empty database gets the schema, the demo province, ``--petitions`` petitions
(app.demo.generate) and the oversight data (app.demo.generate_oversight: visits, dossiers,
decisions, enforcement, ``--tasks`` tasks); a database already holding petitions is reused
as it is. Then the path of the province's monthly summary (app.reports.summaries.
compile_summaries) is timed: one ``Batch`` as the scheduler reads for the Citizen
Reception Board (the whole province), every form in force for the month required at once
(one GROUP BY query per metric family, each timed), then each form's table laid out from
the batch, checked (MS row) and rendered as a workbook. ``--explain`` prints each family's
query plan (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN ANALYZE with buffers).
Target: total ≤ 10 s on SQLite and on PostgreSQL (exit status 1 above it;
docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

PASSWORD = "Bench@Reports2026"


def _url(url: str) -> str:
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _prepare(app, petitions: int, tasks: int) -> None:
    """Schema, demo province and generated data, unless the database already has them."""
    from app.core.actor import SYSTEM_ACTOR, acting_as
    from app.demo.generate import generate_petitions
    from app.demo.generate_oversight import generate_oversight
    from app.demo.loader import load_demo_province
    from app.extensions import db
    from app.petitions.models import Petition
    from app.reports.models import REPORT_INDEXES
    from app.security.sync import sync_roles_and_permissions
    from app.seeds import seed_reference_data

    with app.app_context():
        db.create_all()
        for index in REPORT_INDEXES:
            index.create(db.engine, checkfirst=True)
        if db.session.scalar(select(func.count(Petition.id))):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
            return
        with acting_as(SYSTEM_ACTOR):
            seed_reference_data(db.session)
            sync_roles_and_permissions(app.appbuilder)
            load_demo_province(app.appbuilder, db.session, PASSWORD)
        started = time.perf_counter()
        print(generate_petitions(db.session, petitions), flush=True)
        print(generate_oversight(db.session, tasks=tasks), flush=True)
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"data generated in {time.perf_counter() - started:.0f} s", flush=True)


class Explain(Executable, ClauseElement):
    """EXPLAIN of a query, executed with its parameters bound as the query itself is."""

    inherit_cache = False

    def __init__(self, statement):
        self.statement = statement


@compiles(Explain)
def _explain(element: Explain, compiler, **kw) -> str:
    prefix = (
        "EXPLAIN QUERY PLAN "
        if compiler.dialect.name == "sqlite"
        else "EXPLAIN (ANALYZE, BUFFERS) "
    )
    return prefix + compiler.process(element.statement, **kw)


def _explain_batch(session, batch, forms) -> None:
    """Print the plan of each family's query of the batch."""
    for name, query in batch.queries(forms).items():
        print(f"--- {name}")
        for row in session.execute(Explain(query)):
            print("   ", " ".join(str(part) for part in row))


def _machine(session) -> str:
    """Cores, RAM, Python, the database's version and the load average."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    if session.get_bind().dialect.name == "sqlite":
        database = "SQLite " + session.scalar(text("SELECT sqlite_version()"))
    else:
        database = session.scalar(text("SELECT version()")).split(" on ")[0]
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores {platform.machine()}, {memory:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {database}, load average {load}"
    )


def main() -> None:
    """Prepare the data if needed, then time the province's monthly summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--month", help="YYYY-MM (default: last month)")
    parser.add_argument("--explain", action="store_true", help="print each family's plan")
    args = parser.parse_args()
    if not args.database:
        parser.error("--database or DATABASE_URL is required")

    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": _url(args.database), "DEMO_PASSWORD": PASSWORD})
    _prepare(app, args.petitions, args.tasks)

    from app.extensions import db
    from app.petitions.models import Petition
    from app.reports.compute import Batch, compute_report, verify
    from app.reports.forms import forms_in_force, load_forms
    from app.reports.periods import periodic, previous_month
    from app.reports.summaries import DEFAULT_PLACE, PROVINCE_READER, province_root
    from app.reports.xlsx import render
    from app.tasks.models import Task

    with app.app_context():
        if args.month:
            year, month = (int(part) for part in args.month.split("-"))
            period = periodic("month", year, month)
        else:
            period = previous_month(dt.date.today())
        session = db.session
        root = province_root(session, period.end)
        counts = {
            "petitions": session.scalar(select(func.count(Petition.id))),
            "tasks": session.scalar(select(func.count(Task.id))),
        }
        forms, errors = load_forms()
        if errors:
            raise SystemExit("\n".join(str(error) for error in errors))
        forms = forms_in_force(forms, period.end)
        print(
            f"{session.get_bind().dialect.name} · {counts['petitions']:,} petitions · "
            f"{counts['tasks']:,} tasks · {period.start:%d/%m/%Y}–{period.end:%d/%m/%Y} · "
            f"{len(forms)} forms · {_machine(session)}"
        )

        started, cpu = time.perf_counter(), time.process_time()
        batch = Batch(session, period, root, PROVINCE_READER)
        scoped = time.perf_counter()
        batch.require(forms)
        required = time.perf_counter()
        print(f"agencies of the scope   {scoped - started:7.3f} s  ({len(batch.agencies)})")
        for name, seconds in batch.seconds.items():
            print(f"query {name:<18}{seconds:7.3f} s")
        print(f"metrics (all families)  {required - scoped:7.3f} s")
        for form in forms:
            begun = time.perf_counter()
            table = compute_report(session, form, period, root, PROVINCE_READER, batch)
            laid_out = time.perf_counter()
            verify(table)
            content = render([table], root.name, DEFAULT_PLACE)
            done = time.perf_counter()
            print(
                f"form {form.code:<10} {len(table.frame):>4} rows  layout "
                f"{laid_out - begun:6.3f} s  check+xlsx {done - laid_out:6.3f} s"
                f"  ({len(content) // 1024} KiB)"
            )
        total = time.perf_counter() - started
        print(
            f"ALL FORMS  {total:.3f} s  (CPU of this process {time.process_time() - cpu:.3f} s;"
            f" target ≤ 10 s: {'met' if total <= 10 else 'NOT met'})"
        )
        if args.explain:
            _explain_batch(session, batch, forms)
        raise SystemExit(0 if total <= 10 else 1)


if __name__ == "__main__":
    main()
