"""Command-line entry points: ``flask app init`` and the domain command groups."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app.core.actor import SYSTEM_ACTOR, acting_as

app_cli = AppGroup("app", help="Set-up of the application after migrating.")


@app_cli.command("init")
def init_command() -> None:
    """Sync roles and permissions and seed reference tables (idempotent)."""
    from app.extensions import db
    from app.security.sync import sync_roles_and_permissions
    from app.seeds import seed_reference_data

    with acting_as(SYSTEM_ACTOR):
        seed_reference_data(db.session)
        counts = sync_roles_and_permissions(current_app.appbuilder)
    for role, count in counts.items():
        click.echo(f"{role}: {count} quyền")


def register_commands(app: Flask) -> None:
    """Attach every command group to the app."""
    from app.agencies.cli import agencies_cli
    from app.audit.cli import audit_cli
    from app.backup.cli import backup_command, restore_command
    from app.calendar.cli import calendar_cli
    from app.demo.cli import demo_cli
    from app.files.cli import files_cli
    from app.imports.cli import import_cli
    from app.jobs.cli import jobs_cli
    from app.outbox.cli import outbox_cli

    app.cli.add_command(app_cli)
    app.cli.add_command(agencies_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(files_cli)
    app.cli.add_command(import_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(outbox_cli)
