"""``flask jobs list | run NAME [--date dd/mm/yyyy] | run-scheduler``."""

from __future__ import annotations

import datetime as dt
import signal
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.clock import now_local, to_local
from app.extensions import db
from app.jobs.models import CLI, FAILED, STATUS_LABELS, JobRun
from app.jobs.registry import JOBS
from app.jobs.runner import SKIPPED, run_now
from app.jobs.scheduler import build_scheduler

jobs_cli = AppGroup("jobs", help="Scheduled jobs: list them, run one now, run the scheduler.")


def parse_day(value: str) -> dt.date:
    """A day typed as dd/mm/yyyy (or yyyy-mm-dd)."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r}: nhập ngày theo dạng dd/mm/yyyy")


@jobs_cli.command("list")
def list_command() -> None:
    """Each job with its schedule, last run and next run."""
    now = now_local()
    for job in JOBS.values():
        last = db.session.scalar(
            select(JobRun).where(JobRun.job == job.name).order_by(JobRun.started_at.desc())
        )
        next_run = job.next_fire_time(current_app.config, now)
        click.echo(f"{job.name}: {job.title} — {job.schedule_text(current_app.config)}")
        if last is None:
            click.echo("  lần chạy gần nhất: chưa có")
        else:
            started = to_local(last.started_at)
            click.echo(
                f"  lần chạy gần nhất: {started:%d/%m/%Y %H:%M} {STATUS_LABELS[last.status]}"
            )
            click.echo(f"  kết quả: {last.outcome or last.error or ''}")
        click.echo(f"  lần chạy tới: {next_run:%d/%m/%Y %H:%M}")


@jobs_cli.command("run")
@click.argument("name", type=click.Choice(sorted(JOBS)))
@click.option("--date", "day", help="The day to run for, dd/mm/yyyy (default: today).")
def run_command(name: str, day: str | None) -> None:
    """Run job NAME now (recorded as run from the command line)."""
    run_date = parse_day(day) if day else None
    app = current_app._get_current_object()
    result = run_now(app, name, trigger=CLI, run_date=run_date)
    if result.status == SKIPPED:
        click.echo(f"{name}: đang có một lần chạy khác, không chạy lại.", err=True)
        sys.exit(1)
    if result.status == FAILED:
        click.echo(f"{name}: lỗi — {result.error}", err=True)
        sys.exit(1)
    click.echo(f"{name}: {result.outcome}")


@jobs_cli.command("run-scheduler")
def run_scheduler_command() -> None:
    """Run the scheduler in this process until stopped (catches up missed runs first)."""
    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)
    signal.signal(signal.SIGTERM, lambda *_: scheduler.shutdown(wait=False))
    click.echo("Bộ lập lịch đang chạy (Ctrl+C để dừng).")
    try:
        scheduler.start()
    except KeyboardInterrupt:
        scheduler.shutdown(wait=False)
