"""Province agency files (issue 2, R1–R3): the 2025 file on top of 2017, re-imports, bad
files refused whole with line-numbered errors, and ``flask agencies import``."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.agencies.importer import AgencyImportError, import_agencies
from app.agencies.models import Agency, AgencySuccession
from app.demo.loader import DATA_DIR
from app.extensions import db

FILE_2025 = DATA_DIR / "dong-thap-2025-agencies.csv"
HEADER = "code,name,kind,parent,valid_from,predecessors\n"
GOOD_ROW = "DT17-866-TEST,Tổ thử nghiệm,district_inspectorate,DT17-866-UB,01/01/2026,\n"


def counts() -> tuple[int, int]:
    agencies = db.session.scalar(select(func.count(Agency.id)))
    successions = db.session.scalar(select(func.count(AgencySuccession.id)))
    return agencies, successions


def test_the_2025_file_adds_the_two_tier_structure_and_its_successions(app_ctx):
    report = import_agencies(FILE_2025, db.session)
    db.session.commit()
    assert report.created == 116
    assert counts() == (227 + 116, report.successions)
    assert report.successions == 163 + 3  # every 2017 predecessor, split communes twice
    merged = db.session.scalar(select(Agency).where(Agency.code == "DT25-SNNMT"))
    assert merged.path == "/DT25-UBT/DT25-SNNMT/"


def test_importing_the_same_file_twice_creates_nothing_twice(app_ctx):
    import_agencies(FILE_2025, db.session)
    db.session.commit()
    before = counts()
    again = import_agencies(FILE_2025, db.session)
    db.session.commit()
    assert (again.created, again.updated, again.successions) == (0, 0, 0)
    assert again.unchanged == 116
    assert counts() == before


BAD_FILES = {
    "unknown kind": (
        HEADER + GOOD_ROW + "DT17-866-X,Cơ quan lạ,ministry,DT17-866-UB,,\n",
        "Dòng 3: loại cơ quan “ministry” không tồn tại",
    ),
    "unknown parent": (
        HEADER + GOOD_ROW + "DT17-866-X,Cơ quan X,district_inspectorate,DT99-NOPE,,\n",
        "Dòng 3: parent “DT99-NOPE” không có trong tệp hay cơ sở dữ liệu",
    ),
    "cycle": (
        HEADER
        + GOOD_ROW
        + "DT17-A,Cơ quan A,department,DT17-B,,\n"
        + "DT17-B,Cơ quan B,department,DT17-A,,\n",
        "Dòng 3: quan hệ cấp trên tạo thành vòng lặp",
    ),
    "cycle through the database": (
        HEADER + GOOD_ROW + "DT17-UBT,Ủy ban nhân dân tỉnh Đồng Tháp,provincial_pc,DT17-866-UB,,\n",
        "Dòng 3: quan hệ cấp trên tạo thành vòng lặp",
    ),
    "duplicate code": (
        HEADER + GOOD_ROW + GOOD_ROW.replace("Tổ thử nghiệm", "Tổ trùng mã"),
        "Dòng 3: mã “DT17-866-TEST” trùng với dòng 2",
    ),
    "bad date": (
        HEADER + GOOD_ROW + "DT17-866-X,Cơ quan X,district_inspectorate,DT17-866-UB,31/02/2026,\n",
        "Dòng 3: cột valid_from: ngày “31/02/2026” không đúng dạng dd/mm/yyyy",
    ),
    "missing column": (
        "code,name,parent\nDT17-866-X,Cơ quan X,DT17-866-UB\n",
        "Dòng 1: thiếu cột bắt buộc kind",
    ),
    "unknown predecessor": (
        HEADER + GOOD_ROW + "DT25-X,Cơ quan X,department,DT17-UBT,01/07/2025,DT17-NOPE\n",
        "Dòng 3: cơ quan tiền nhiệm “DT17-NOPE” không tồn tại",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_whole_with_line_numbers(app_ctx, case):
    text, expected = BAD_FILES[case]
    before = counts()
    with pytest.raises(AgencyImportError) as refused:
        import_agencies(io.StringIO(text), db.session)
    assert any(error.startswith(expected) for error in refused.value.errors), refused.value.errors
    db.session.rollback()
    assert counts() == before
    assert db.session.scalar(select(Agency).where(Agency.code == "DT17-866-TEST")) is None


def test_every_bad_row_is_reported_at_once(app_ctx):
    text = (
        HEADER
        + "DT17-X1,Cơ quan 1,ministry,DT17-UBT,,\n"
        + GOOD_ROW
        + "DT17-X2,Cơ quan 2,department,DT17-UBT,hôm qua,\n"
    )
    with pytest.raises(AgencyImportError) as refused:
        import_agencies(io.StringIO(text), db.session)
    lines = [error.split(":")[0] for error in refused.value.errors]
    assert lines == ["Dòng 2", "Dòng 4"]


def test_flask_agencies_import_loads_a_file(app: Flask):
    result = app.test_cli_runner().invoke(args=["agencies", "import", str(FILE_2025)])
    assert result.exit_code == 0, result.output
    assert "Đã nhập: 116 mới" in result.output
    with app.app_context():
        assert db.session.scalar(select(Agency).where(Agency.code == "DT25-SNNMT")) is not None
        db.session.remove()


def test_flask_agencies_import_refuses_a_bad_file_and_saves_nothing(app: Flask, tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD_FILES["unknown kind"][0], encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["agencies", "import", str(bad)])
    assert result.exit_code != 0
    assert "Dòng 3: loại cơ quan “ministry” không tồn tại" in result.output
    assert "chưa lưu gì" in result.output
    with app.app_context():
        assert db.session.scalar(select(Agency).where(Agency.code == "DT17-866-TEST")) is None
        db.session.remove()
