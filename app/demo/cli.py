"""``flask demo load``: the demo province and accounts, printed as a table."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.actor import SYSTEM_ACTOR, acting_as
from app.demo.loader import STRUCTURES, load_demo_province
from app.extensions import db

demo_cli = AppGroup("demo", help="Demo province for trying the system.")


@demo_cli.command("load")
@click.option("--structure", type=click.Choice(sorted(STRUCTURES)), default="2017")
def load_command(structure: str) -> None:
    """Load the demo province (idempotent) and print the demo accounts."""
    password = current_app.config["DEMO_PASSWORD"]
    with acting_as(SYSTEM_ACTOR):
        accounts = load_demo_province(current_app.appbuilder, db.session, password, structure)
    click.echo(f"Tài khoản demo (mật khẩu: {password}):")
    for account in accounts:
        click.echo(f"  {account.username:<18} {account.role:<36} {account.agency_code}")


@demo_cli.command("generate")
@click.option("--petitions", "count", type=click.IntRange(min=1), required=True)
@click.option("--seed", type=int, default=1122, show_default=True)
def generate_command(count: int, seed: int) -> None:
    """Add COUNT synthetic petitions (citizens, cases, repeats) to the demo province."""
    from app.demo.generate import generate_petitions

    def progress(made: int) -> None:
        click.echo(f"  {made:,} / {count:,} đơn".replace(",", "."))

    counts = generate_petitions(db.session, count, seed, progress=progress)
    click.echo(
        "Đã thêm {petitions} đơn, {cases} vụ việc, {citizens} công dân, "
        "{signatories} người ký đơn.".format(**counts)
    )
