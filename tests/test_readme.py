"""The README tells a new user the truth: demo accounts, their roles and agencies, password."""

import csv
import re
from pathlib import Path

from app.demo.accounts import DEMO_ACCOUNTS
from app.demo.loader import DATA_DIR
from config import DEFAULT_DEMO_PASSWORD

README = Path(__file__).resolve().parent.parent / "README.md"
ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$")


def test_readme_lists_every_demo_account_with_its_role_and_agency():
    with (DATA_DIR / "dong-thap-2017-agencies.csv").open(encoding="utf-8") as handle:
        names = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    expected = [
        (account.username, ", ".join(account.all_roles), names[account.agency_code])
        for account in DEMO_ACCOUNTS
    ]
    section = README.read_text(encoding="utf-8").split("## Demo accounts")[1].split("\n## ")[0]
    rows = [ROW.match(line) for line in section.splitlines()]
    listed = [tuple(part.strip() for part in row.groups()) for row in rows if row]
    assert listed == expected


def test_readme_gives_the_default_demo_password():
    assert f"`{DEFAULT_DEMO_PASSWORD}`" in README.read_text(encoding="utf-8")
