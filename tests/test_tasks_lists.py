"""Task lists per role (issue 5): who sees which tasks (R11), filters, colours, the review
queue, overdue tasks, the Excel export and the landing page's cards."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from lxml import html as lxml_html
from openpyxl import load_workbook

from app.core.clock import set_now
from app.extensions import db
from app.tasks import actions
from app.tasks.models import Task
from tests import tasks_records as rec
from tests.conftest import login


@pytest.fixture
def loop(app) -> dict[str, int]:
    """The demo document for the department and the city inspectorate; the department
    reported on 18/11 and was returned; the inspectorate has not acknowledged."""
    with app.app_context():
        document = rec.enter_document()
        department = rec.task_of(document, rec.DEPARTMENT)
        rec.send_report(department, dt.datetime(2026, 11, 18, 14, 0))
        set_now(dt.datetime(2026, 11, 18, 16, 0))
        with actions.saving(db.session):
            actions.return_report(
                db.session,
                department,
                department.version_id,
                "Chưa nêu số vụ còn tồn đọng",
                rec.user("vpub.nhiemvu"),
            )
        ids = {
            rec.DEPARTMENT: department.id,
            rec.CITY_INSPECTORATE: rec.task_of(document, rec.CITY_INSPECTORATE).id,
        }
        db.session.remove()
    return ids


def rows(response) -> dict[int, str]:
    """The listed tasks: id → row class."""
    tree = lxml_html.fromstring(response.get_data(as_text=True))
    return {int(tr.get("data-task")): tr.get("class") for tr in tree.xpath("//tr[@data-task]")}


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        ("vpub.nhiemvu", "/tasks/assigned/", {rec.DEPARTMENT, rec.CITY_INSPECTORATE}),
        ("btcd.giamsat", "/tasks/assigned/", {rec.DEPARTMENT, rec.CITY_INSPECTORATE}),
        ("stnmt.canbo", "/tasks/inbox/", {rec.DEPARTMENT}),
        ("caolanh.thanhtra", "/tasks/inbox/", {rec.CITY_INSPECTORATE}),
        ("caolanh.quantri", "/tasks/inbox/", {rec.CITY_INSPECTORATE}),
        ("caolanh.quantri", "/tasks/assigned/", set()),
    ],
)
def test_each_role_lists_only_the_tasks_of_its_scope(app, client, loop, username, url, expected):
    set_now(dt.datetime(2026, 11, 19, 9, 0))
    login(client, username)
    response = client.get(url)
    assert response.status_code == 200
    assert set(rows(response)) == {loop[code] for code in expected}


def test_an_agency_never_opens_another_agencys_task(app, client, loop):
    login(client, "stnmt.canbo")
    assert client.get(f"/tasks/{loop[rec.CITY_INSPECTORATE]}").status_code == 404
    assert client.get(f"/tasks/{loop[rec.DEPARTMENT]}").status_code == 200


def test_another_district_sees_nothing_of_it(app, client, loop):
    login(client, "laivung.tcd")
    for url in (
        "/tasks/assigned/",
        "/tasks/inbox/",
        "/tasks/overdue/",
        "/tasks/review/",
        "/tasks/assigned/export",
        f"/tasks/{loop[rec.DEPARTMENT]}",
        "/tasks/documents/1",
    ):
        assert client.get(url).status_code == 403, url
    assert "Nhiệm vụ" not in client.get("/").get_data(as_text=True)


def test_filters_colours_and_counts(app, client, loop):
    set_now(dt.datetime(2026, 11, 23, 9, 0))
    login(client, "vpub.nhiemvu")
    listed = rows(client.get("/tasks/assigned/"))
    assert "task-row-returned" in listed[loop[rec.DEPARTMENT]]
    assert "task-row-overdue" in listed[loop[rec.DEPARTMENT]]  # deadline 20/11 passed
    assert "task-row-overdue" not in listed[loop[rec.CITY_INSPECTORATE]]  # until 25/11
    page = client.get("/tasks/assigned/?status=returned")
    assert set(rows(page)) == {loop[rec.DEPARTMENT]}
    tree = lxml_html.fromstring(page.get_data(as_text=True))
    assert " ".join(tree.get_element_by_id("chip-assigned").text_content().split()) == "Đã giao 1"
    with app.app_context():
        inspectorate = rec.agency(rec.CITY_INSPECTORATE).id
        db.session.remove()
    assert set(rows(client.get(f"/tasks/assigned/?agency={inspectorate}"))) == {
        loop[rec.CITY_INSPECTORATE]
    }
    assert rows(client.get("/tasks/assigned/?q=khiếu nại đông người"))
    assert not rows(client.get("/tasks/assigned/?q=xây dựng nông thôn mới"))
    assert set(rows(client.get("/tasks/assigned/?deadline_from=21/11/2026"))) == {
        loop[rec.CITY_INSPECTORATE]
    }
    remembered = client.get("/tasks/assigned/")
    assert set(rows(remembered)) == {loop[rec.CITY_INSPECTORATE]}, "filters are remembered"
    assert len(rows(client.get("/tasks/assigned/?reset=1"))) == 2


def test_overdue_tasks_are_listed_for_both_sides_from_the_day_after_the_deadline(app, client, loop):
    login(client, "stnmt.canbo")
    set_now(dt.datetime(2026, 11, 20, 16, 0))
    assert rows(client.get("/tasks/overdue/")) == {}
    set_now(dt.datetime(2026, 11, 21, 0, 1))
    assert set(rows(client.get("/tasks/overdue/"))) == {loop[rec.DEPARTMENT]}
    client.get("/logout/")
    login(client, "vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 26, 8, 0))
    assert set(rows(client.get("/tasks/overdue/"))) == set(loop.values())


def test_the_review_queue_shows_reports_waiting_with_their_review_day(app, client, loop):
    with app.app_context():
        rec.send_report(
            db.session.get(Task, loop[rec.CITY_INSPECTORATE]),
            dt.datetime(2026, 11, 20, 15, 30),
            username="caolanh.thanhtra",
        )
        db.session.remove()
    set_now(dt.datetime(2026, 11, 20, 16, 0))
    login(client, "vpub.nhiemvu")
    response = client.get("/tasks/review/")
    assert set(rows(response)) == {loop[rec.CITY_INSPECTORATE]}
    table = " ".join(
        lxml_html.fromstring(response.get_data(as_text=True))
        .get_element_by_id("task-table")
        .text_content()
        .split()
    )
    # sent Friday after 15:00: reviewed by the next working day, Monday 23/11
    assert "15:30 20/11/2026" in table and "23/11/2026" in table


def test_the_excel_export_holds_the_filtered_list_with_vietnamese_titles(app, client, loop):
    set_now(dt.datetime(2026, 11, 23, 9, 0))
    login(client, "vpub.nhiemvu")
    client.get("/tasks/assigned/?status=returned")
    response = client.get("/tasks/assigned/export")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value.startswith("Nhiệm vụ đã giao — xuất ngày 23/11/2026")
    headers = [cell.value for cell in sheet[3]]
    assert headers == [
        "STT",
        "Văn bản giao nhiệm vụ",
        "Loại văn bản",
        "Ngày ban hành",
        "Trích yếu",
        "Cơ quan giao nhiệm vụ",
        "Cơ quan nhận nhiệm vụ",
        "Vai trò",
        "Thời hạn",
        "Trạng thái",
        "Đã xác nhận nhận nhiệm vụ",
        "Số lần báo cáo",
        "Số lần chưa đạt",
        "Gửi báo cáo gần nhất",
        "Kết quả thực hiện",
        "Quá hạn",
    ]
    data = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert len(data) == 1
    row = dict(zip(headers, data[0], strict=True))
    assert row["Văn bản giao nhiệm vụ"] == "1250/UBND-HC"
    assert row["Loại văn bản"] == "Công văn"
    assert row["Ngày ban hành"] == dt.datetime(2026, 11, 2)
    assert row["Cơ quan nhận nhiệm vụ"] == "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp"
    assert row["Vai trò"] == "Cơ quan chủ trì"
    assert row["Thời hạn"] == dt.datetime(2026, 11, 20)
    assert row["Trạng thái"] == "Chưa đạt, báo cáo lại"
    assert row["Số lần báo cáo"] == 1 and row["Số lần chưa đạt"] == 1
    assert row["Gửi báo cáo gần nhất"] == dt.datetime(2026, 11, 18, 14, 0)
    assert row["Quá hạn"] == "Có"


def cards(client) -> str:
    tree = lxml_html.fromstring(client.get("/").get_data(as_text=True))
    return " ".join(tree.text_content().split())


def test_landing_page_cards_for_each_side(app, client, loop):
    set_now(dt.datetime(2026, 11, 19, 9, 0))
    login(client, "stnmt.canbo")
    text = cards(client)
    assert "Báo cáo chưa đạt: cần báo cáo lại" in text
    assert "Nhiệm vụ đến hạn trong 3 ngày làm việc" in text
    client.get("/logout/")
    login(client, "caolanh.thanhtra")
    assert "Nhiệm vụ mới cần xác nhận đã nhận" in cards(client)
    client.get("/logout/")
    with app.app_context():
        rec.send_report(
            db.session.get(Task, loop[rec.DEPARTMENT]), dt.datetime(2026, 11, 19, 9, 30)
        )
        db.session.remove()
    login(client, "vpub.nhiemvu")
    text = cards(client)
    assert "Báo cáo chờ xem xét" in text and "1250/UBND-HC" in text
