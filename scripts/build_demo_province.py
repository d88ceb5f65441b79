"""Builds the demo province files under app/demo/data/ from the shared Đồng Tháp data.

Run once when the shared data changes: ``python scripts/build_demo_province.py [SHARED_DATA_DIR]``.
The outputs are committed; the application never reads the shared folder.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "app" / "demo" / "data"
HEADER = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "receives_petitions",
    "assigns_tasks",
    "operating_office",
    "admin_unit_code",
    "valid_from",
    "valid_to",
    "status",
    "predecessors",
    "note",
]
REGULATION_DATE = "25/09/2017"
REFORM_DATE = "01/07/2025"
# The 2017 units left the GSO list when the 2025 reform took effect.
LAST_DAY_2017_UNITS = "30/06/2025"


def _md_rows(text: str, section: str) -> list[list[str]]:
    """Table rows (cells) of the markdown tables following the heading ``section``."""
    start = text.index(section)
    following = re.search(r"\n#", text[start + len(section) :])
    end = start + len(section) + following.start() if following else len(text)
    rows = []
    for line in text[start:end].splitlines():
        if not line.startswith("| ") or line.startswith("| code") or line.startswith("| old"):
            continue
        if set(line.replace("|", "").strip()) <= {"-", " "}:
            continue
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _short(name: str) -> str:
    replacements = [
        ("Ủy ban nhân dân", "UBND"),
        ("Văn phòng HĐND và UBND", "VP HĐND-UBND"),
        ("Văn phòng UBND", "VP UBND"),
        ("Ban Tiếp công dân", "Ban TCD"),
        ("Thanh tra Sở", "TT Sở"),
        (" tỉnh Đồng Tháp", ""),
    ]
    for old, new in replacements:
        name = name.replace(old, new)
    return name


def _row(**values: str) -> dict[str, str]:
    row = dict.fromkeys(HEADER, "")
    row.update(values)
    if not row["short_name"]:
        row["short_name"] = _short(row["name"])
    return row


def _office(kind: str, code: str, parent: str) -> str:
    if kind == "provincial_pc":
        return code.replace("UBT", "VPUB")
    if kind == "district_pc":
        return code.replace("-UB", "-VP")
    return ""


def build_2017(shared: Path) -> list[dict[str, str]]:
    """The 2017 tree the regulation names; left open-ended so the demo runs on it."""
    text = (shared / "dong-thap-agencies-2017.md").read_text(encoding="utf-8")
    rows = []
    for section in ("### Province level", "### Departments", "### District level"):
        for cells in _md_rows(text, section):
            code, name, kind, parent, status = cells[:5]
            admin_unit = (
                code.split("-")[1]
                if kind == "district_pc"
                else ("87" if kind == "provincial_pc" else "")
            )
            rows.append(
                _row(
                    code=code,
                    name=name,
                    kind=kind,
                    parent=parent,
                    operating_office=_office(kind, code, parent),
                    admin_unit_code=admin_unit,
                    valid_from=REGULATION_DATE,
                    status=status,
                )
            )
    with open(shared / "dong-thap-2017-units.csv", encoding="utf-8") as handle:
        for unit in csv.DictReader(handle):
            if unit["level"] != "commune":
                continue
            rows.append(
                _row(
                    code=f"DT17-{unit['code']}-UB",
                    name=f"Ủy ban nhân dân {unit['name']}",
                    kind="commune_pc",
                    parent=f"DT17-{unit['parent_code']}-UB",
                    admin_unit_code=unit["code"],
                    valid_from=REGULATION_DATE,
                    status="verified",
                )
            )
    return rows


def build_2025(shared: Path) -> list[dict[str, str]]:
    """Today's two-tier tree, each agency naming the 2017 agencies it succeeds."""
    text = (shared / "dong-thap-agencies-2017.md").read_text(encoding="utf-8")
    successions: dict[str, list[str]] = {}
    for cells in _md_rows(text, "### Succession 2017 → 2025"):
        old, new = cells[0], cells[1]
        if new and not old.startswith("DT17-<"):
            successions.setdefault(new, []).append(old)
    rows = []
    start = text.index("## 2025")
    for cells in _md_rows(text[start:], "## 2025"):
        if not cells[0].startswith("DT25-"):
            continue
        code, name, kind, parent, status = cells[:5]
        rows.append(
            _row(
                code=code,
                name=name,
                kind=kind,
                parent=parent,
                operating_office=_office(kind, code, parent),
                admin_unit_code="82" if kind == "provincial_pc" else "",
                valid_from=REFORM_DATE,
                status=status,
                predecessors=";".join(successions.get(code, [])),
            )
        )
    commune_predecessors: dict[str, list[str]] = {}
    with open(shared / "dong-thap-2017-to-2025-map.csv", encoding="utf-8") as handle:
        for link in csv.DictReader(handle):
            commune_predecessors.setdefault(link["new_code"], []).append(
                f"DT17-{link['code_2017']}-UB"
            )
    with open(shared / "dong-thap-2025-units.csv", encoding="utf-8") as handle:
        for unit in csv.DictReader(handle):
            if unit["level"] != "commune":
                continue
            rows.append(
                _row(
                    code=f"DT25-{unit['code']}-UB",
                    name=f"Ủy ban nhân dân {unit['name']}",
                    kind="commune_pc",
                    parent="DT25-UBT",
                    admin_unit_code=unit["code"],
                    valid_from=REFORM_DATE,
                    status="verified",
                    predecessors=";".join(sorted(set(commune_predecessors.get(unit["code"], [])))),
                )
            )
    return rows


def build_units(shared: Path) -> None:
    """The GSO unit lists with their validity periods (codes are reused over time)."""
    for year, source, valid_from, valid_to in (
        ("2017", "dong-thap-2017-units.csv", "15/10/2017", LAST_DAY_2017_UNITS),
        ("2025", "dong-thap-2025-units.csv", REFORM_DATE, ""),
    ):
        with open(shared / source, encoding="utf-8") as handle:
            units = list(csv.DictReader(handle))
        with open(OUT / f"dong-thap-{year}-units.csv", "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(
                ["code", "name", "level", "type", "parent_code", "valid_from", "valid_to"]
            )
            for unit in units:
                writer.writerow(
                    [
                        unit["code"],
                        " ".join(unit["name"].split()),
                        unit["level"],
                        unit["type"],
                        unit["parent_code"],
                        valid_from,
                        valid_to,
                    ]
                )


def _write(rows: list[dict[str, str]], name: str) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    OUT.mkdir(parents=True, exist_ok=True)
    _write(build_2017(shared), "dong-thap-2017-agencies.csv")
    _write(build_2025(shared), "dong-thap-2025-agencies.csv")
    build_units(shared)


if __name__ == "__main__":
    main()
