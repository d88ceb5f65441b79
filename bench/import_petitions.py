"""Bulk import of 100,000 petition rows (issue 7): dry run, import, re-import.

Builds a CSV of ``--rows`` valid petitions of the demo province's receiving agencies —
synthetic citizens with CCCD numbers, phones, communes — and runs it through the steps of
the import page: the dry run of the upload (every row through the intake's checks), then
the import the importer confirms (the rows checked again, chunk by chunk, each chunk
inserted while the next is checked, in one transaction), then the same file again (every
row already imported: nothing created). With ``--xlsx`` the same rows go first as an Excel
workbook typed as a clerk's is (dates and numbers as such), then the CSV finds them all.
Prints the wall-clock seconds of each and the CPU seconds of this process (SQLite works
inside it; PostgreSQL's server CPU is not counted): on a shared machine the difference is
time spent waiting for a core.

    .venv/bin/python bench/import_petitions.py [--rows 100000] [--xlsx]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/<db> \
        .venv/bin/python bench/import_petitions.py

Default database ``instance/bench-import.db`` (SQLite), rebuilt on each run (``--keep``
reuses it: register numbers then continue after those already imported).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook
from sqlalchemy import func, select, text

from bench.database import INSTANCE, bench_app, ensure_base_data, machine_speed, sqlite_url

KINDS = (("Khiếu nại", "kn_dat_dai"), ("Kiến nghị", None), ("Phản ánh", None))
CHANNELS = ("Trực tiếp tại nơi tiếp công dân", "Qua bưu chính", "Trực tuyến")


def build_rows(app, count: int, seed: int) -> tuple[list[str], list[list[str]]]:
    """``count`` valid rows over the receiving agencies, numbered after the last one."""
    from app.agencies.models import Agency
    from app.demo import synthetic
    from app.extensions import db
    from app.geography.models import AdminUnit
    from app.imports.petitions import COLUMNS
    from app.petitions.models import Petition, SubjectArea

    rng = random.Random(seed)
    with app.app_context():
        agencies = db.session.scalars(
            select(Agency.code).where(Agency.receives_petitions.is_(True), Agency.active.is_(True))
        ).all()
        communes = db.session.scalars(
            select(AdminUnit.code).where(AdminUnit.level == "commune", AdminUnit.valid_to.is_(None))
        ).all() or [None]
        areas = {
            applies: db.session.scalars(
                select(SubjectArea.code).where(SubjectArea.applies_to.in_((applies, "any")))
            ).all()
            for applies in ("complaint", "recommendation")
        }
        start = (db.session.scalar(select(func.max(Petition.register_number))) or 0) + 1
    headers = [column.header for column in COLUMNS]
    rows = []
    taken: set[str] = set()
    for index in range(count):
        kind, _ = rng.choice(KINDS)
        applies = "complaint" if kind == "Khiếu nại" else "recommendation"
        person = synthetic.person(rng, rng.random() < 0.3, taken)
        day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025"
        matter = synthetic.matter(
            rng, {"Khiếu nại": "complaint"}.get(kind, "recommendation"), person.hamlet, 2025
        )
        values = {
            "agency": rng.choice(agencies),
            "register_number": str(start + index),
            "received_at": day,
            "channel": rng.choice(CHANNELS),
            "kind": kind,
            "subject_area": rng.choice(areas[applies]),
            "summary": matter.summary[:500],
            "content": matter.summary,
            "contested_act": matter.contested_act or "",
            "full_name": person.full_name,
            "id_number": person.id_number or "",
            "birth_year": str(person.birth_year),
            "sex": "Nam" if person.sex == "male" else "Nữ",
            "phone": person.phone or "",
            "commune": rng.choice(communes) or "",
            "address_detail": person.hamlet,
            "signatory_count": "1",
        }
        rows.append([values[column.key] for column in COLUMNS])
    return headers, rows


def as_csv(headers: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _typed(value: str) -> object:
    """A cell as a clerk's Excel stores it: dates as dates, plain numbers as numbers (ID
    numbers and phones keep their leading zero as text)."""
    if len(value) == 10 and value[2] == "/" and value[5] == "/":
        return dt.datetime.strptime(value, "%d/%m/%Y")
    if value.isdigit() and not value.startswith("0"):
        return int(value)
    return value


def as_xlsx(headers: list[str], rows: list[list[str]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append([_typed(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed_import(app, name: str, data: bytes) -> dict[str, float | int]:
    """The upload's dry run, then the confirmed import, as the import page runs them;
    seconds and counts."""
    from app.core.actor import Actor, acting_as
    from app.extensions import db
    from app.imports import service
    from app.imports.service import PETITIONS, dry_run, keep_batch, queue

    with app.app_context():
        user = app.appbuilder.sm.find_user(username="admin")
        with acting_as(Actor(user.id, user.username, user.agency_id)):
            started, cpu_started = time.perf_counter(), time.process_time()
            result = dry_run(db.session, PETITIONS, name, data, user)
            checked = time.perf_counter() - started
            checked_cpu = time.process_time() - cpu_started
            db.session.rollback()
            assert result.ok, result.errors[:5]
            batch = keep_batch(db.session, PETITIONS, name, data, user, result)
            queue(db.session, batch)
            db.session.commit()
            before, cpu_before = time.perf_counter(), time.process_time()
            batch = service.run_import(db.session, batch.id, user)
            imported = time.perf_counter() - before
            imported_cpu = time.process_time() - cpu_before
            assert batch.status == "done", batch.error
            figures = {
                "dry run (s)": round(checked, 1),
                "dry run, CPU of this process (s)": round(checked_cpu, 1),
                "import: checked again and inserted (s)": round(imported, 1),
                "import, CPU of this process (s)": round(imported_cpu, 1),
                "total (s)": round(time.perf_counter() - started, 1),
                "load average": round(os.getloadavg()[0], 1),
                "created": batch.rows_created,
                "already there": batch.rows_existing,
            }
        db.session.remove()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--xlsx", action="store_true", help="Import an Excel workbook first, then the CSV."
    )
    parser.add_argument("--keep", action="store_true", help="Reuse the benchmark database.")
    args = parser.parse_args()
    default = sqlite_url("bench-import.db")
    if not args.keep and not os.environ.get("DATABASE_URL"):
        (INSTANCE / "bench-import.db").unlink(missing_ok=True)
    app = bench_app(default)
    ensure_base_data(app)
    from app.extensions import db

    with app.app_context():
        print(
            f"database: {db.engine.dialect.name} {db.engine.url.database}; "
            f"load average {os.getloadavg()[0]:.1f}; "
            f"machine speed {machine_speed()} s (30 million additions in Python)",
            flush=True,
        )
        if db.engine.dialect.name == "postgresql" and not args.keep:
            with db.engine.begin() as conn:
                conn.execute(
                    text(
                        "TRUNCATE petition_event, petition_signatory, petition, "
                        "petition_case, citizen, import_batch RESTART IDENTITY CASCADE"
                    )
                )
    started = time.perf_counter()
    headers, rows = build_rows(app, args.rows, args.seed)
    files = [("petitions.csv", as_csv(headers, rows))]
    if args.xlsx:
        files.append(("petitions.xlsx", as_xlsx(headers, rows)))
    print(
        f"built {len(rows):,} rows in {time.perf_counter() - started:.1f} s "
        f"({len(files[0][1]) / 1e6:.1f} MB CSV)",
        flush=True,
    )
    first, other = files[-1], files[0]
    print(f"first import ({first[0]}):", timed_import(app, *first), flush=True)
    print("same file again:", timed_import(app, *first), flush=True)
    if args.xlsx:
        # the CSV holds the same rows: all already there
        print("same rows as CSV:", timed_import(app, *other), flush=True)
    print(f"machine speed after: {machine_speed()} s", flush=True)


if __name__ == "__main__":
    main()
