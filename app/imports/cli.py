"""``flask import petitions FILE [--dry-run] [--user NAME]`` and ``flask import tasks FILE``.

The command checks the file as the web dry run does (every bad row with its line, column
and reason; exit status 1 when there is one), and without ``--dry-run`` imports it in one
transaction, recorded as an import batch in the audit log (R9). It acts as ``--user``
(default: the first active system administrator), whose data scope decides which
agencies' rows may be imported (R11).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.actor import Actor, acting_as
from app.extensions import db
from app.imports.models import DONE
from app.imports.service import PETITIONS, TASKS, dry_run, keep_batch, queue, run_import
from app.security.models import AppUser
from app.security.roles import SYSADMIN

import_cli = AppGroup("import", help="Bulk import of petitions and tasks from Excel or CSV.")


def _user(username: str | None) -> AppUser:
    if username:
        user = current_app.appbuilder.sm.find_user(username=username)
    else:
        user = next(
            (
                user
                for user in db.session.scalars(
                    select(AppUser).where(AppUser.active.is_(True)).order_by(AppUser.id)
                )
                if any(role.name == SYSADMIN for role in user.roles)
            ),
            None,
        )
    if user is None:
        raise click.ClickException("Không tìm thấy tài khoản để thực hiện việc nhập.")
    return user


def _run(kind: str, path: str, check_only: bool, username: str | None) -> None:
    user = _user(username)
    data = Path(path).read_bytes()
    name = Path(path).name
    with acting_as(Actor(user.id, user.username, user.agency_id)):
        started = time.perf_counter()
        result = dry_run(db.session, kind, name, data, user)
        checked = time.perf_counter() - started
        db.session.rollback()
        for error in result.errors:
            click.echo(f"Dòng {error['line']}, cột “{error['column']}”: {error['message']}")
        click.echo(
            f"{result.rows_total} dòng: {len(result.new)} dòng mới, {result.existing} dòng đã "
            f"nhập trước đây, {len(result.errors)} lỗi (kiểm tra {checked:.1f} giây)."
        )
        if result.errors:
            sys.exit(1)
        if check_only:
            return
        batch = keep_batch(db.session, kind, name, data, user, result)
        queue(db.session, batch)
        db.session.commit()
        batch = run_import(db.session, batch.id, user, checked=result)
        elapsed = time.perf_counter() - started
        if batch.status != DONE:
            click.echo(f"Không nhập được, không có gì được lưu: {batch.error}")
            sys.exit(1)
        click.echo(
            f"Đã nhập {batch.rows_created} dòng (lần nhập số {batch.id}, SHA-256 "
            f"{batch.sha256}) trong {elapsed:.1f} giây."
        )


@import_cli.command("petitions")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file; change nothing.")
@click.option("--user", "username", help="Act as this account (default: a system admin).")
def petitions_command(path: str, dry_run: bool, username: str | None) -> None:
    """Import the petitions of an Excel (.xlsx) or CSV (UTF-8) file."""
    _run(PETITIONS, path, dry_run, username)


@import_cli.command("tasks")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check the file; change nothing.")
@click.option("--user", "username", help="Act as this account (default: a system admin).")
def tasks_command(path: str, dry_run: bool, username: str | None) -> None:
    """Import the assignment documents and tasks of an Excel (.xlsx) or CSV (UTF-8) file."""
    _run(TASKS, path, dry_run, username)
