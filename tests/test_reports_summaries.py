"""Monthly and ad hoc summaries (R24): the scheduler compiles last month once for the
province and for each assigning agency; the Board lists and downloads them; a frozen
month keeps what was reported and a later compilation lists the cells that changed; ad
hoc summaries run in the background with their progress in the database; every page
keeps to THE data scope."""

from __future__ import annotations

import datetime as dt
import io
import time

import openpyxl
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.core.clock import local_to_utc, set_now
from tests.conftest import login

# The scheduler's run on the 1st of March 2025 compiles February 2025 (TT 03/2013 agencies:
# the province and its twelve districts, before the 2025 reform).
FIRST_OF_MARCH = dt.datetime(2025, 3, 1, 1, 0)
FEBRUARY = (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
DISTRICTS = 12
FORMS_IN_FORCE = 8


def generate_province(app: Flask, petitions: int = 1200, tasks: int = 900) -> None:
    """Petitions, visits, dossiers and tasks from 2024 to the 1st of March 2025."""
    from app.demo.generate import generate_petitions
    from app.demo.generate_oversight import generate_oversight
    from app.extensions import db

    set_now(FIRST_OF_MARCH)
    with app.app_context():
        generate_petitions(db.session, petitions, seed=11)
        generate_oversight(db.session, tasks=tasks, seed=11, today=FIRST_OF_MARCH.date())
        db.session.remove()


def run_monthly_job(app: Flask, by_hand: bool = False):
    """The monthly job as the scheduler (or an administrator) runs it, through app/jobs."""
    from app.jobs.models import CLI
    from app.jobs.runner import run_now, run_scheduled

    if by_hand:
        return run_now(app, "monthly-summaries", trigger=CLI)
    return run_scheduled(app, "monthly-summaries")


def received_in_february(app: Flask, agency_code: str | None = None) -> int:
    """Petitions received in February 2025 (local days), counted straight from the table."""
    from app.agencies.models import Agency
    from app.extensions import db
    from app.petitions.models import Petition

    start = local_to_utc(dt.datetime(2025, 2, 1))
    end = local_to_utc(dt.datetime(2025, 3, 1))
    with app.app_context():
        query = select(func.count(Petition.id)).where(
            Petition.received_at >= start, Petition.received_at < end, Petition.deleted_at.is_(None)
        )
        if agency_code:
            query = query.join(Agency, Agency.id == Petition.agency_id).where(
                Agency.code == agency_code
            )
        return db.session.scalar(query)


def summaries(app: Flask) -> list[tuple]:
    """(id, scope code, version, status, number of files) of every stored summary."""
    from app.agencies.models import Agency
    from app.extensions import db
    from app.reports.models import Summary, SummaryFile

    with app.app_context():
        files = (
            select(func.count(SummaryFile.id))
            .where(SummaryFile.summary_id == Summary.id)
            .scalar_subquery()
        )
        query = (
            select(Summary.id, Agency.code, Summary.version, Summary.status, files)
            .join(Agency, Agency.id == Summary.agency_id)
            .order_by(Summary.id)
        )
        return [tuple(row) for row in db.session.execute(query)]


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.get_data(as_text=True)[:1500]
    return openpyxl.load_workbook(io.BytesIO(response.data))


def row_values(sheet, label: str) -> dict[str, object]:
    """The cells of the row labelled ``label``, by column number (MS row)."""
    ms_row = next(row for row in sheet.iter_rows() if row[0].value == "MS")
    numbers = {cell.column: str(cell.value).split("=")[0] for cell in ms_row[1:]}
    for row in sheet.iter_rows(min_row=ms_row[0].row + 1):
        if row[0].value == label:
            return {numbers[c.column]: c.value for c in row[1:] if c.column in numbers}
    raise AssertionError(f"no row {label!r}")


def file_link(page: str, code: str) -> str:
    """The download address of form ``code`` on a summary page."""
    marker = page.index(f"<strong>{code}</strong>")
    start = page.index('href="', marker) + len('href="')
    return page[start : page.index('"', start)]


def province_summary_id(app: Flask) -> int:
    return next(row[0] for row in summaries(app) if row[1] == "DT17-UBT")


def test_the_scheduler_compiles_last_month_once_for_the_province_and_each_district(
    app: Flask, client: FlaskClient
):
    generate_province(app)
    first = run_monthly_job(app)
    assert first.status == "succeeded", first.error
    assert first.outcome == f"Đã tổng hợp báo cáo tháng 02/2025: {1 + DISTRICTS} bản."
    stored = summaries(app)
    assert len(stored) == 1 + DISTRICTS
    assert {row[2:] for row in stored} == {(1, "draft", FORMS_IN_FORCE)}
    assert stored[0][1] == "DT17-UBT"

    again = run_monthly_job(app, by_hand=True)
    assert again.status == "succeeded", again.error
    assert [row[:3] for row in summaries(app)] == [row[:3] for row in stored]

    login(client, "btcd.giamsat")
    listing = client.get("/reports/summaries/").get_data(as_text=True)
    assert "Tháng 02/2025" in listing and "Hệ thống (lập lịch)" in listing
    page = client.get(f"/reports/summaries/{stored[0][0]}").get_data(as_text=True)
    sheet = workbook(client.get(file_link(page, "01/XLD"))).active
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"
    assert "từ ngày 01/02/2025 đến ngày 28/02/2025" in sheet["A5"].value
    assert row_values(sheet, "Tổng cộng")["3"] == received_in_february(app)


def test_a_district_sees_and_downloads_only_its_own_summaries(app: Flask, client: FlaskClient):
    generate_province(app, petitions=600, tasks=300)
    assert run_monthly_job(app).status == "succeeded"
    stored = summaries(app)
    cao_lanh = next(row[0] for row in stored if row[1] == "DT17-866-UB")
    province = province_summary_id(app)
    login(client, "btcd.giamsat")
    province_page = client.get(f"/reports/summaries/{province}").get_data(as_text=True)
    province_file = file_link(province_page, "01/XLD")
    client.get("/logout/")

    login(client, "caolanh.quantri")
    listing = client.get("/reports/summaries/").get_data(as_text=True)
    assert "Ủy ban nhân dân thành phố Cao Lãnh" in listing
    assert "Sa Đéc" not in listing and "Ủy ban nhân dân tỉnh Đồng Tháp" not in listing
    assert client.get(f"/reports/summaries/{province}").status_code == 404
    assert client.get(province_file).status_code == 404
    page = client.get(f"/reports/summaries/{cao_lanh}").get_data(as_text=True)
    sheet = workbook(client.get(file_link(page, "01/XLD"))).active
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN THÀNH PHỐ CAO LÃNH"
    labels = [cell.value for cell in sheet["A"] if cell.value]
    assert not any("Sa Đéc" in str(label) for label in labels)
    assert 'id="freeze"' not in page
    assert client.post(f"/reports/summaries/{cao_lanh}/freeze").status_code in (302, 403)
    assert summaries(app)[1][3] == "draft"


def _move_a_january_petition_into_february(app: Flask) -> str:
    """A late correction: a petition recorded in January was in fact received in February.
    Returns the name of its agency."""
    from app.agencies.models import Agency
    from app.extensions import db
    from app.petitions.models import Petition

    with app.app_context():
        petition = db.session.scalar(
            select(Petition)
            .where(
                Petition.received_at >= local_to_utc(dt.datetime(2025, 1, 10)),
                Petition.received_at < local_to_utc(dt.datetime(2025, 1, 31)),
                Petition.processed_at.is_(None),
            )
            .order_by(Petition.id)
            .limit(1)
        )
        petition.received_at = local_to_utc(dt.datetime(2025, 2, 3, 9, 0))
        name = db.session.get(Agency, petition.agency_id).name
        db.session.commit()
        db.session.remove()
    return name


def test_a_frozen_month_keeps_what_was_reported_and_a_recompile_lists_the_differences(
    app: Flask, client: FlaskClient
):
    generate_province(app, petitions=900, tasks=300)
    assert run_monthly_job(app).status == "succeeded"
    province = province_summary_id(app)
    reported = received_in_february(app)
    login(client, "btcd.giamsat")
    page = client.get(f"/reports/summaries/{province}").get_data(as_text=True)
    assert 'id="freeze"' in page
    frozen_file = file_link(page, "01/XLD")
    response = client.post(f"/reports/summaries/{province}/freeze", follow_redirects=True)
    assert "Đã chốt" in response.get_data(as_text=True)

    agency = _move_a_january_petition_into_february(app)
    assert run_monthly_job(app, by_hand=True).status == "succeeded"

    versions = [row for row in summaries(app) if row[1] == "DT17-UBT"]
    assert [(row[2], row[3]) for row in versions] == [(1, "frozen"), (2, "draft")]
    assert len(summaries(app)) == 2 + DISTRICTS
    frozen_sheet = workbook(client.get(frozen_file)).active
    assert row_values(frozen_sheet, "Tổng cộng")["3"] == reported

    new_page = client.get(f"/reports/summaries/{versions[1][0]}").get_data(as_text=True)
    assert "Khác biệt so với phiên bản 1 đã chốt" in new_page
    new_sheet = workbook(client.get(file_link(new_page, "01/XLD"))).active
    assert row_values(new_sheet, "Tổng cộng")["3"] == reported + 1
    differences = new_page[new_page.index('id="summary-differences"') :]
    assert agency in differences
    assert "(3) Tiếp nhận trong kỳ" in differences
    assert f"<strong>{reported + 1:,}".replace(",", ".") in differences


def _wait_until_finished(client: FlaskClient, summary_path: str) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        response = client.get(f"{summary_path}/progress")
        assert response.status_code == 200
        if response.headers.get("HX-Refresh") == "true":
            return client.get(summary_path).get_data(as_text=True)
        assert 'hx-trigger="every 1s"' in response.get_data(as_text=True)
        time.sleep(0.2)
    raise AssertionError("the ad hoc summary did not finish")


def test_an_ad_hoc_summary_runs_in_the_background_and_is_downloaded(
    app: Flask, client: FlaskClient
):
    generate_province(app, petitions=600, tasks=300)
    from app.agencies.models import Agency
    from app.extensions import db

    with app.app_context():
        cao_lanh = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-866-UB"))
    login(client, "caolanh.quantri")
    response = client.post(
        "/reports/summaries/request",
        data={
            "kind": "quarter",
            "number": "4",
            "year": "2024",
            "rule": "tt03_2013",
            "scope": cao_lanh,
        },
    )
    assert response.status_code == 302
    path = response.headers["Location"]
    page = _wait_until_finished(client, path)
    assert "Tổng hợp đột xuất" in page
    assert "16/09/2024 – 15/12/2024" in page
    assert page.count("summary-download") == FORMS_IN_FORCE
    sheet = workbook(client.get(file_link(page, "NV-01"))).active
    assert sheet["A1"].value == "ỦY BAN NHÂN DÂN THÀNH PHỐ CAO LÃNH"
    assert "từ ngày 16/09/2024 đến ngày 15/12/2024" in sheet["A5"].value


def test_an_ad_hoc_summary_outside_the_data_scope_is_refused(app: Flask, client: FlaskClient):
    from app.agencies.models import Agency
    from app.extensions import db

    with app.app_context():
        sa_dec = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-867-UB"))
    login(client, "caolanh.quantri")
    response = client.post(
        "/reports/summaries/request",
        data={"kind": "month", "number": "1", "year": "2025", "rule": "calendar", "scope": sa_dec},
    )
    assert response.status_code == 400
    assert "ngoài phạm vi dữ liệu" in response.get_data(as_text=True)
    assert summaries(app) == []


def test_a_compilation_whose_process_stopped_is_shown_as_interrupted(
    app: Flask, client: FlaskClient
):
    from app.agencies.models import Agency
    from app.extensions import db
    from app.reports.models import RUNNING, Summary

    set_now(dt.datetime(2025, 3, 1, 9, 0))
    with app.app_context():
        province = db.session.scalar(select(Agency).where(Agency.code == "DT17-UBT"))
        summary = Summary(
            kind="adhoc",
            series="adhoc:stopped",
            period_start=FEBRUARY[0],
            period_end=FEBRUARY[1],
            agency_id=province.id,
            status=RUNNING,
            progress_done=3,
            progress_total=9,
        )
        db.session.add(summary)
        db.session.commit()
        pk = summary.id
        db.session.remove()
    login(client, "btcd.giamsat")
    assert "Đang tổng hợp: 3/9 bước" in client.get(f"/reports/summaries/{pk}").get_data(
        as_text=True
    )
    set_now(dt.datetime(2025, 3, 1, 11, 0))
    page = client.get(f"/reports/summaries/{pk}").get_data(as_text=True)
    assert "Tổng hợp không thành công" in page and "bị gián đoạn" in page
