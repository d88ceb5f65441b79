"""scripts/merge_i18n.py: drop files are read, kept in the template and applied."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "merge_i18n.py"
PYBABEL = Path(sys.executable).parent / "pybabel"

_spec = importlib.util.spec_from_file_location("merge_i18n", SCRIPT)
merge_i18n = sys.modules.setdefault("merge_i18n", importlib.util.module_from_spec(_spec))
_spec.loader.exec_module(merge_i18n)


def write_drop(root: Path, package: str, text: str) -> None:
    folder = root / "app" / package
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "i18n_vi.txt").write_text(text, encoding="utf-8")


def write_catalog(path: Path, messages: dict[str, str], locale: str | None = None) -> None:
    catalog = Catalog(locale=locale, fuzzy=False)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr, locations=[("src.py", 1)])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog)


def read_catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id}


def test_read_drops_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    write_drop(tmp_path, "petitions", "# nhận đơn\n\nReceived on\tNgày tiếp nhận\n")
    write_drop(tmp_path, "agencies", "Agency\tCơ quan\n")
    drops = merge_i18n.read_drops(tmp_path)
    assert [(d.msgid, d.msgstr, d.path, d.lineno) for d in drops] == [
        ("Agency", "Cơ quan", "app/agencies/i18n_vi.txt", 1),
        ("Received on", "Ngày tiếp nhận", "app/petitions/i18n_vi.txt", 3),
    ]


@pytest.mark.parametrize("line", ["Received on Ngày tiếp nhận", "Received on\t", "\tNgày"])
def test_read_drops_names_the_malformed_line(tmp_path: Path, line: str) -> None:
    write_drop(tmp_path, "petitions", f"Agency\tCơ quan\n{line}\n")
    with pytest.raises(ValueError, match=r"app/petitions/i18n_vi.txt:2"):
        merge_i18n.read_drops(tmp_path)


def test_apply_drops_sets_texts_and_reports_disagreeing_drops(tmp_path: Path) -> None:
    write_drop(tmp_path, "agencies", "Status\tTình trạng\nAgency\tCơ quan\n")
    write_drop(tmp_path, "calendar", "Status\tTrạng thái\n")
    catalog = Catalog(locale="vi")
    catalog.add("Agency", "Đơn vị")
    changed, conflicts = merge_i18n.apply_drops(catalog, merge_i18n.read_drops(tmp_path))
    assert changed == 2
    assert catalog["Agency"].string == "Cơ quan"
    assert catalog["Status"].string == "Tình trạng"
    assert conflicts == [
        "app/calendar/i18n_vi.txt:1: 'Status' ignored, "
        "app/agencies/i18n_vi.txt:1 gives 'Tình trạng'"
    ]


def test_catalog_update_keeps_framework_and_drop_msgids(tmp_path: Path) -> None:
    """The make catalog sequence: msgids missing from our sources are not made obsolete."""
    write_drop(tmp_path, "calendar", "Sunday\tChủ nhật\n")
    app_pot, fab_pot = tmp_path / "messages.pot", tmp_path / "flask_appbuilder.pot"
    write_catalog(app_pot, {"Agency list": ""})
    write_catalog(fab_pot, {"Record Count": ""})
    po = tmp_path / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    write_catalog(po, {"Record Count": "Tổng số bản ghi", "Agency list": "Danh sách cơ quan"}, "vi")
    template = tmp_path / "all.pot"

    def run(*args: str | Path) -> None:
        subprocess.run([*map(str, args)], check=True, capture_output=True)

    run(sys.executable, SCRIPT, "--root", tmp_path, "template", template, app_pot, fab_pot)
    run(
        PYBABEL,
        "update",
        "-N",
        "--ignore-obsolete",
        "-l",
        "vi",
        "-i",
        template,
        "-d",
        po.parents[2],
    )
    run(sys.executable, SCRIPT, "--root", tmp_path, "apply", po)

    assert read_catalog(po) == {
        "Agency list": "Danh sách cơ quan",
        "Record Count": "Tổng số bản ghi",
        "Sunday": "Chủ nhật",
    }
