"""The "Báo cáo, thống kê" page (R21, R24): the forms in force for the period, the data
scope, a form dropped in the template folder downloaded without code, refusals."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.reports.forms import DEFAULT_FOLDER
from tests.conftest import login

MONTH = {"kind": "month", "year": "2025", "number": "10", "rule": "calendar"}


def _workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data))


def _first_column(sheet) -> list[str]:
    return [str(cell.value) for cell in sheet["A"] if cell.value is not None]


@pytest.fixture
def template_folder(app: Flask, tmp_path: Path):
    """A template folder of our own, holding a copy of the shipped forms."""
    folder = tmp_path / "forms"
    shutil.copytree(DEFAULT_FOLDER, folder)
    app.config["REPORT_TEMPLATES_FOLDER"] = str(folder)
    yield folder
    app.config.pop("REPORT_TEMPLATES_FOLDER")


def test_monitor_sees_the_page_with_the_forms_in_force(client: FlaskClient) -> None:
    login(client, "btcd.giamsat")
    page = client.get("/reports/", query_string=MONTH).get_data(as_text=True)
    assert "Báo cáo, thống kê" in page
    assert "01/XLD — TỔNG HỢP KẾT QUẢ XỬ LÝ ĐƠN" in page
    assert 'value="tt03-2013-2b"' not in page
    old = client.get("/reports/forms", query_string={**MONTH, "year": "2023"}).get_json()
    assert {form["code"] for form in old["forms"]} >= {"2a/TCD", "2b/XLD", "2c/KQGQ"}
    assert "01/XLD" not in {form["code"] for form in old["forms"]}


def test_quarter_under_tt03_cut_off_reaches_back_to_december(client: FlaskClient) -> None:
    login(client, "btcd.giamsat")
    answer = client.get(
        "/reports/forms",
        query_string={"kind": "quarter", "number": "1", "year": "2024", "rule": "tt03_2013"},
    ).get_json()
    assert (answer["start"], answer["end"]) == ("16/12/2023", "15/03/2024")
    assert "01/XLD" in {form["code"] for form in answer["forms"]}


def test_monitor_downloads_the_province_with_district_subtotals(client: FlaskClient) -> None:
    login(client, "btcd.giamsat")
    book = _workbook(
        client.get("/reports/download", query_string={**MONTH, "form": "tt01-2024-01-xld"})
    )
    sheet = book["01-XLD"]
    labels = _first_column(sheet)
    assert "Ủy ban nhân dân thành phố Sa Đéc" in labels
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in labels
    assert labels[-1] != "Tổng cộng"
    assert "Tổng cộng" in labels
    assert "Số liệu tính từ ngày 01/10/2025 đến ngày 31/10/2025" in [
        cell.value for cell in sheet[5]
    ]
    assert sheet.page_setup.orientation == "landscape"


def test_district_admin_gets_only_their_subtree(client: FlaskClient) -> None:
    login(client, "caolanh.quantri")
    book = _workbook(
        client.get("/reports/download", query_string={**MONTH, "form": "tt01-2024-01-xld"})
    )
    labels = _first_column(book.active)
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in labels
    assert not any("Sa Đéc" in label for label in labels)
    page = client.get("/reports/", query_string=MONTH).get_data(as_text=True)
    assert "Sa Đéc" not in page


def test_a_scope_outside_the_data_scope_is_refused(app: Flask, client: FlaskClient) -> None:
    from sqlalchemy import select

    from app.agencies.models import Agency
    from app.extensions import db

    with app.app_context():
        sa_dec = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-867-UB"))
    login(client, "caolanh.quantri")
    response = client.get(
        "/reports/download", query_string={**MONTH, "form": "tt01-2024-01-xld", "scope": sa_dec}
    )
    assert response.status_code == 400
    assert "ngoài phạm vi dữ liệu" in response.get_data(as_text=True)


def test_a_form_out_of_force_for_the_period_is_refused_naming_the_one_in_force(
    client: FlaskClient,
) -> None:
    login(client, "btcd.giamsat")
    response = client.get("/reports/download", query_string={**MONTH, "form": "tt03-2013-2b"})
    assert response.status_code == 400
    assert "2b/XLD" in response.get_data(as_text=True)
    assert "01/XLD" in response.get_data(as_text=True)


def test_a_clerk_without_the_reports_role_cannot_open_the_page(client: FlaskClient) -> None:
    login(client, "caolanh.tcd")
    assert client.get("/reports/").status_code in (302, 403)


NEW_FORM = """
code: TK-99
series: test
title: SỐ ĐƠN TIẾP NHẬN THEO LOẠI
legal_basis: Biểu mẫu thêm bởi đơn vị quản lý
valid_from: 2020-01-01
rows: {per: agency, agencies: petition_receivers}
columns:
  - label: Đơn tiếp nhận
    children:
      - {label: Tổng số, ms: 1, metric: "petitions_received"}
      - {label: Khiếu nại, ms: 2, metric: "petitions_received{kind=complaint}"}
checks: ["1=2"]
"""


def test_a_form_dropped_in_the_folder_is_downloaded_without_code(
    client: FlaskClient, template_folder: Path
) -> None:
    (template_folder / "tk-99.yaml").write_text(NEW_FORM, encoding="utf-8")
    login(client, "btcd.giamsat")
    assert "TK-99" in client.get("/reports/", query_string=MONTH).get_data(as_text=True)
    book = _workbook(client.get("/reports/download", query_string={**MONTH, "form": "tk-99"}))
    sheet = book["TK-99"]
    assert sheet["A4"].value == "SỐ ĐƠN TIẾP NHẬN THEO LOẠI"
    assert [cell.value for cell in sheet[9][:3]] == ["MS", "1=2", "2"]


def test_a_form_naming_an_unknown_metric_is_refused_naming_it(
    client: FlaskClient, template_folder: Path
) -> None:
    text = NEW_FORM.replace(
        "petitions_received{kind=complaint}", "petitions_recieved{kind=complaint}"
    )
    (template_folder / "tk-99.yaml").write_text(text, encoding="utf-8")
    login(client, "btcd.giamsat")
    page = client.get("/reports/", query_string=MONTH).get_data(as_text=True)
    assert "tk-99.yaml" in page and "petitions_recieved" in page
    response = client.get("/reports/download", query_string={**MONTH, "form": "tk-99"})
    assert response.status_code == 400
    assert "petitions_recieved" in response.get_data(as_text=True)
