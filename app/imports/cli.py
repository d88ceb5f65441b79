"""``flask import petitions FILE [--dry-run] [--user NAME]`` and ``flask import tasks FILE``.

With ``--dry-run`` the command checks the file as the web dry run does (every bad row
with its line, column and reason; exit status 1 when there is one). Without it, it checks
and imports in one pass and one transaction — each chunk of rows inserted while the next
is checked — and a bad row anywhere leaves nothing saved and every bad row listed; the
import is recorded as an import batch in the audit log (R9). It acts as ``--user``
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
from app.imports.service import PETITIONS, TASKS, dry_run, queue_unchecked, run_import
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


def _echo_errors(errors: list[dict]) -> None:
    for error in errors:
        click.echo(f"Dòng {error['line']}, cột “{error['column']}”: {error['message']}")


def _check(kind: str, name: str, data: bytes, user: AppUser) -> None:
    """The dry run: every bad row, then the counts; exit status 1 when a row is bad."""
    started = time.perf_counter()
    result = dry_run(db.session, kind, name, data, user)
    db.session.rollback()
    _echo_errors(result.errors)
    click.echo(
        f"{result.rows_total} dòng: {result.new_count} dòng mới, {result.existing} dòng đã "
        f"nhập trước đây, {len(result.errors)} lỗi (kiểm tra "
        f"{time.perf_counter() - started:.1f} giây)."
    )
    if result.errors:
        sys.exit(1)


def _import(kind: str, name: str, data: bytes, user: AppUser) -> None:
    """One pass: every row checked and, while no row has failed, inserted; a bad row
    anywhere leaves nothing saved and every bad row is listed."""
    started = time.perf_counter()
    batch = queue_unchecked(db.session, kind, name, data, user)
    db.session.commit()
    batch = run_import(db.session, batch.id, user)
    elapsed = time.perf_counter() - started
    if batch.status != DONE:
        _echo_errors(batch.errors or [])
        click.echo(f"Không nhập được, không có gì được lưu: {batch.error}")
        sys.exit(1)
    click.echo(
        f"Đã nhập {batch.rows_created} dòng, bỏ qua {batch.rows_existing} dòng đã nhập trước "
        f"đây (lần nhập số {batch.id}, SHA-256 {batch.sha256}) trong {elapsed:.1f} giây."
    )


def _run(kind: str, path: str, check_only: bool, username: str | None) -> None:
    user = _user(username)
    data = Path(path).read_bytes()
    name = Path(path).name
    with acting_as(Actor(user.id, user.username, user.agency_id)):
        if check_only:
            _check(kind, name, data, user)
        else:
            _import(kind, name, data, user)


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
