"""Loads the demo province (idempotent): kinds, agencies, units, the demo accounts and a
few petitions (app.petitions.demo)."""

from __future__ import annotations

from pathlib import Path

from flask_appbuilder import AppBuilder
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agencies.importer import import_agencies
from app.agencies.kinds import seed_agency_kinds
from app.agencies.models import Agency
from app.demo.accounts import DEMO_ACCOUNTS, DemoAccount
from app.geography.importer import import_admin_units
from app.petitions.demo import load_demo_petitions

DATA_DIR = Path(__file__).resolve().parent / "data"
STRUCTURES = {
    "2017": ["dong-thap-2017-agencies.csv"],
    "2025": ["dong-thap-2017-agencies.csv", "dong-thap-2025-agencies.csv"],
}


def load_demo_province(
    appbuilder: AppBuilder, session: Session, password: str, structure: str = "2017"
) -> list[DemoAccount]:
    """Import the demo agencies and units, create the demo accounts that are missing and,
    in a province without petitions, the demo petitions."""
    seed_agency_kinds(session)
    for name in STRUCTURES[structure]:
        import_agencies(DATA_DIR / name, session)
    for name in ("dong-thap-2017-units.csv", "dong-thap-2025-units.csv"):
        import_admin_units(DATA_DIR / name, session)
    session.commit()
    for account in DEMO_ACCOUNTS:
        ensure_account(appbuilder, session, account, password)
    session.commit()
    load_demo_petitions(appbuilder, session)
    return DEMO_ACCOUNTS


def ensure_account(
    appbuilder: AppBuilder, session: Session, account: DemoAccount, password: str
) -> None:
    """Create the account if its username is free; existing accounts are left as they are."""
    sm = appbuilder.sm
    if sm.find_user(username=account.username) is not None:
        return
    agency = session.scalar(select(Agency).where(Agency.code == account.agency_code))
    account_roles = [sm.find_role(name) for name in account.all_roles]
    user = sm.add_user(
        username=account.username,
        first_name=account.family_and_middle_name,
        last_name=account.given_name,
        email=f"{account.username}@dongthap.example.vn",
        role=account_roles,
        password=password,
    )
    user.agency = agency
    session.commit()
