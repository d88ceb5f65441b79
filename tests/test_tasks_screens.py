"""The task page and its steps on screen (R15–R19): receipt, report, return with a reason,
report again, acceptance with its completion, extension, recall, refusals, optimistic
locking and the scope of the files."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from lxml import html as lxml_html
from sqlalchemy import func, select

from app.core.clock import set_now
from app.extensions import db
from app.files.models import StoredFile
from app.tasks.models import Task, TaskReport
from tests import sample_files
from tests import tasks_records as rec
from tests.conftest import login


@pytest.fixture
def task_ids(app) -> dict[str, int]:
    """The demo document entered on Monday 02/11/2026: the ids of its two tasks."""
    with app.app_context():
        document = rec.enter_document()
        ids = {
            code: rec.task_of(document, code).id for code in (rec.DEPARTMENT, rec.CITY_INSPECTORATE)
        }
        ids["document"] = document.id
        db.session.remove()
    return ids


def tree_of(response) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(response.get_data(as_text=True))


def text_of(response, element_id: str) -> str:
    found = tree_of(response).xpath(f'//*[@id="{element_id}"]')
    return " ".join(found[0].text_content().split()) if found else ""


def version(client, pk: int) -> str:
    """The task version the page carries in its forms."""
    return tree_of(client.get(f"/tasks/{pk}")).get_element_by_id("task-page").get("data-version")


def report_form(**changes) -> dict:
    form = {**rec.REPORT_FORM, **changes}
    form.setdefault(
        "report_file", (io.BytesIO(rec.signed_document("Bao cao 312")), "bao-cao-312.pdf")
    )
    return form


def send_report(client, pk: int, **changes):
    form = report_form(version_id=version(client, pk), **changes)
    return client.post(f"/tasks/{pk}/report", data=form, content_type="multipart/form-data")


def switch(client, username: str) -> None:
    client.get("/logout/")
    login(client, username)


def test_the_loop_on_screen_return_then_report_again_after_the_deadline_is_late(
    app, client, task_ids
):
    pk = task_ids[rec.DEPARTMENT]
    set_now(dt.datetime(2026, 11, 3, 8, 15))
    login(client, "stnmt.canbo")
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "task-status") == "Đã giao"
    response = client.post(f"/tasks/{pk}/acknowledge", data={"version_id": version(client, pk)})
    assert response.status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "task-status") == "Đơn vị đã nhận"
    assert "Đã nhận lúc 08:15 03/11/2026 — Huỳnh Thị Ngọc" in text_of(shown, "receipt-done")

    set_now(dt.datetime(2026, 11, 18, 14, 0))
    form = client.get(f"/tasks/{pk}/report")
    assert "Công văn 1250/UBND-HC" in text_of(form, "assigning-identity")
    assert rec.SUMMARY in text_of(form, "assigning-identity")
    response = send_report(client, pk)
    assert response.status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "task-status") == "Báo cáo chờ xem xét"
    assert "Gửi đúng hạn" in text_of(shown, "report-1")
    assert "14:00 18/11/2026" in text_of(shown, "report-1")

    switch(client, "vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 18, 16, 30))
    shown = client.get(f"/tasks/{pk}")
    assert "Phải xem xét chậm nhất ngày 18/11/2026" in text_of(shown, "review-due")
    reason = "Chưa nêu số vụ đã giải quyết dứt điểm và số vụ còn tồn đọng"
    response = client.post(
        f"/tasks/{pk}/return", data={"version_id": version(client, pk), "reason": reason}
    )
    assert response.status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "task-status") == "Chưa đạt, báo cáo lại"
    round_one = text_of(shown, "report-1")
    assert reason in round_one and "Xem xét đúng hạn" in round_one  # the day it arrived
    switch(client, "stnmt.canbo")
    set_now(dt.datetime(2026, 11, 23, 9, 0))
    shown = client.get(f"/tasks/{pk}")
    assert reason in text_of(shown, "returned-alert")
    # Past the deadline with a report returned: not "no report", but no satisfactory one.
    assert text_of(shown, "overdue-note") == "Đã quá thời hạn mà chưa có báo cáo đạt."
    assert send_report(client, pk, doc_number="325", doc_date="23/11/2026").status_code == 302

    switch(client, "vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 23, 10, 0))
    response = client.post(f"/tasks/{pk}/accept", data={"version_id": version(client, pk)})
    assert response.status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "task-status") == "Đã hoàn thành"
    assert text_of(shown, "completion-verdict") == "Trễ hạn"
    explanation = text_of(shown, "completion-explanation")
    assert "Thứ Sáu 20/11/2026" in explanation and "09:00 Thứ Hai 23/11/2026" in explanation
    assert "trễ hạn 3 ngày" in explanation
    history = text_of(shown, "task-steps")
    for step in (
        "Giao theo văn bản 1250/UBND-HC",
        "Đã xác nhận nhận nhiệm vụ",
        "Gửi báo cáo lần 1",
        "Xem xét báo cáo lần 1: Chưa đạt",
        "Gửi báo cáo lần 2",
        "Xem xét báo cáo lần 2: Đạt",
    ):
        assert step in history, step
    assert "Xem xét đúng hạn" in text_of(shown, "report-2")


def test_the_record_history_speaks_the_words_of_the_screens(app, client, task_ids):
    """Found by the browser walk: the change log of a task and of its document showed
    column names ("Receiving agency id") and codes ("assigned", "cong_van") (R9)."""
    pk = task_ids[rec.DEPARTMENT]
    set_now(dt.datetime(2026, 11, 3, 8, 15))
    login(client, "stnmt.canbo")
    client.post(f"/tasks/{pk}/acknowledge", data={"version_id": version(client, pk)})
    set_now(dt.datetime(2026, 11, 18, 9, 0))
    assert send_report(client, pk, doc_date="18/11/2026").status_code == 302
    switch(client, "vpub.nhiemvu")
    client.post(f"/tasks/{pk}/accept", data={"version_id": version(client, pk)})

    changes = " ".join(
        " ".join(item.text_content().split())
        for item in tree_of(client.get(f"/tasks/{pk}")).xpath(
            '//table[contains(@class, "audit-history-table")]//li'
        )
    )
    for text in (
        "Cơ quan nhận nhiệm vụ: — → Sở Tài nguyên và Môi trường tỉnh Đồng Tháp",
        "Vai trò: — → Cơ quan chủ trì",
        "Trạng thái: Đã giao → Đơn vị đã nhận",
        "Trạng thái: Báo cáo chờ xem xét → Đã hoàn thành",
        "Kết quả thực hiện: — → Trước hạn",
        "Xác nhận nhận lúc: — → 03/11/2026 08:15",
        "Người xác nhận nhận: — → Huỳnh Thị Ngọc",
    ):
        assert text in changes, text
    assert "Receiving agency id" not in changes and "assigned" not in changes

    document = tree_of(client.get(f"/tasks/documents/{task_ids['document']}"))
    logged = " ".join(
        document.xpath('//table[contains(@class, "audit-history-table")]')[0].text_content().split()
    )
    for text in (
        "Loại văn bản: — → Công văn",
        "Độ mật: — → Không mật",
        "Thời hạn cập nhật: — → Nhập đúng hạn",
        "Trạng thái: — → Đang có hiệu lực",
    ):
        assert text in logged, text


def test_a_report_before_the_deadline_day_is_early(app, client, task_ids):
    pk = task_ids[rec.CITY_INSPECTORATE]
    set_now(dt.datetime(2026, 11, 24, 16, 45))
    login(client, "caolanh.thanhtra")
    assert send_report(client, pk, doc_symbol="BC-TTr", doc_date="24/11/2026").status_code == 302
    switch(client, "vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 25, 8, 0))
    client.post(f"/tasks/{pk}/accept", data={"version_id": version(client, pk)})
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "completion-verdict") == "Trước hạn"
    assert "trước hạn 1 ngày" in text_of(shown, "completion-explanation")


def test_the_report_form_keeps_what_was_typed_and_saves_nothing_on_a_refusal(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    set_now(dt.datetime(2026, 11, 18, 14, 0))
    login(client, "stnmt.canbo")
    form = report_form(version_id=version(client, pk), doc_signer="", doc_date="18/13/2026")
    del form["report_file"]
    response = client.post(f"/tasks/{pk}/report", data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    tree = tree_of(response)
    assert tree.get_element_by_id("doc_signer-error").text_content() == (
        "Vui lòng nhập người ký văn bản báo cáo."
    )
    assert "dd/mm/yyyy" in tree.get_element_by_id("doc_date-error").text_content()
    assert tree.get_element_by_id("doc_number").get("value") == "312"
    assert tree.get_element_by_id("doc_date").get("value") == "18/13/2026"
    response = send_report(client, pk, report_file=(io.BytesIO(b""), ""))
    assert response.status_code == 200
    assert tree_of(response).get_element_by_id("report_file-error").text_content() == (
        "Đính kèm văn bản báo cáo (PDF có chữ ký số hoặc bản scan)."
    )
    with app.app_context():
        assert db.session.scalar(select(func.count(TaskReport.id))) == 0
        assert db.session.get(Task, pk).status == "assigned"


def test_a_scan_is_accepted_as_the_report_file(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    set_now(dt.datetime(2026, 11, 18, 14, 0))
    login(client, "stnmt.canbo")
    scan = (io.BytesIO(sample_files.png()), "bao-cao-scan.png")
    assert send_report(client, pk, report_file=scan).status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert "bao-cao-scan.png" in text_of(shown, "report-1-files")


def test_returning_a_report_needs_a_reason(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    with app.app_context():
        rec.send_report(db.session.get(Task, pk), dt.datetime(2026, 11, 18, 14, 0))
        db.session.remove()
    login(client, "vpub.nhiemvu")
    response = client.post(
        f"/tasks/{pk}/return", data={"version_id": version(client, pk), "reason": "  "}
    )
    assert response.status_code == 200
    tree = tree_of(response)
    assert (
        tree.get_element_by_id("return-reason-error").text_content()
        == "Vui lòng nhập lý do chưa đạt."
    )
    with app.app_context():
        assert db.session.get(Task, pk).status == "reported"


def test_steps_out_of_turn_or_of_the_other_side_are_refused(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    login(client, "vpub.nhiemvu")
    current = version(client, pk)
    response = client.post(f"/tasks/{pk}/accept", data={"version_id": current})
    assert response.status_code == 200
    assert "Không thể thực hiện khi nhiệm vụ đang ở trạng thái “Đã giao”." in response.get_data(
        as_text=True
    )
    assert client.post(f"/tasks/{pk}/acknowledge", data={"version_id": current}).status_code == 403
    switch(client, "stnmt.canbo")
    assert client.post(f"/tasks/{pk}/accept", data={"version_id": current}).status_code == 403
    assert (
        client.post(f"/tasks/{pk}/recall", data={"version_id": current, "reason": "x"}).status_code
        == 403
    )
    with app.app_context():
        assert db.session.get(Task, pk).status == "assigned"


def test_a_district_with_both_roles_cannot_review_the_provinces_task(app, client, task_ids):
    # caolanh.quantri holds the task officer and agency staff roles in Cao Lãnh city: the
    # city inspectorate's task is in its scope, but the province's office reviews it.
    pk = task_ids[rec.CITY_INSPECTORATE]
    with app.app_context():
        rec.send_report(
            db.session.get(Task, pk), dt.datetime(2026, 11, 18, 14, 0), username="caolanh.thanhtra"
        )
        db.session.remove()
    login(client, "caolanh.quantri")
    shown = client.get(f"/tasks/{pk}")
    assert shown.status_code == 200
    assert not tree_of(shown).xpath('//*[@id="accept"]')
    response = client.post(f"/tasks/{pk}/accept", data={"version_id": version(client, pk)})
    assert response.status_code == 403
    assert "Chỉ văn phòng của cơ quan giao nhiệm vụ" in response.get_data(as_text=True)
    assert client.get(f"/tasks/{task_ids[rec.DEPARTMENT]}").status_code == 404


def test_a_step_based_on_a_stale_page_gets_the_conflict_message(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    login(client, "vpub.nhiemvu")
    seen = version(client, pk)
    set_now(dt.datetime(2026, 11, 18, 15, 0))
    client.post(
        f"/tasks/{pk}/extend",
        data={"version_id": seen, "new_deadline": "27/11/2026", "reason": "Chờ ý kiến Sở Tư pháp"},
    )
    response = client.post(
        f"/tasks/{pk}/extend",
        data={"version_id": seen, "new_deadline": "04/12/2026", "reason": "Bổ sung hồ sơ"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Người khác đã cập nhật hồ sơ này trong lúc bạn thao tác" in page
    # Issue 7 "Nothing lost": the conflict message says what changed, by whom and when.
    assert (
        "Thay đổi trong lúc đó: 18/11/2026 15:00, vpub.nhiemvu đã sửa "
        "Thời hạn: 20/11/2026 → 27/11/2026." in page
    )
    with app.app_context():
        task = db.session.get(Task, pk)
        assert task.deadline == dt.date(2026, 11, 27) and len(task.extensions) == 1


def test_extensions_are_limited_and_logged_and_a_recall_closes_the_task(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    login(client, "vpub.nhiemvu")
    set_now(dt.datetime(2026, 11, 10, 9, 0))
    missing = client.post(
        f"/tasks/{pk}/extend",
        data={"version_id": version(client, pk), "new_deadline": "27/11/2026"},
    )
    assert missing.status_code == 200
    assert tree_of(missing).get_element_by_id("extend-reason-error").text_content() == (
        "Vui lòng nhập lý do gia hạn."
    )
    for deadline, reason in (
        ("27/11/2026", "Chờ ý kiến Sở Tư pháp"),
        ("04/12/2026", "Bổ sung hồ sơ đo đạc"),
    ):
        data = {"version_id": version(client, pk), "new_deadline": deadline, "reason": reason}
        assert client.post(f"/tasks/{pk}/extend", data=data).status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert "04/12/2026" in text_of(shown, "task-deadline")
    assert "Đã gia hạn 2/2 lần." in text_of(shown, "task-deadline")
    assert not tree_of(shown).xpath('//*[@id="extend-form"]')
    history = text_of(shown, "task-steps")
    assert "Gia hạn từ 20/11/2026 đến 27/11/2026" in history and "Bổ sung hồ sơ đo đạc" in history
    third = {"version_id": version(client, pk), "new_deadline": "11/12/2026", "reason": "Lần ba"}
    response = client.post(f"/tasks/{pk}/extend", data=third)
    assert response.status_code == 200
    assert "Mỗi nhiệm vụ chỉ được gia hạn tối đa 2 lần." in response.get_data(as_text=True)

    recall = {
        "version_id": version(client, pk),
        "reason": "Đã được thay thế bằng Công văn 1300/UBND-HC",
    }
    assert client.post(f"/tasks/{pk}/recall", data=recall).status_code == 302
    shown = client.get(f"/tasks/{pk}")
    assert text_of(shown, "task-status") == "Đã thu hồi"
    assert "Công văn 1300/UBND-HC" in text_of(shown, "recalled-alert")
    assert "Trần Thị Thu" in text_of(shown, "task-steps")
    switch(client, "stnmt.canbo")
    assert client.get(f"/tasks/{pk}/report").status_code == 302
    response = send_report(client, pk)
    assert response.status_code == 200
    assert "trạng thái “Đã thu hồi”" in response.get_data(as_text=True)


def test_files_reach_both_sides_of_a_task_and_nobody_else(app, client, task_ids):
    department, inspectorate = task_ids[rec.DEPARTMENT], task_ids[rec.CITY_INSPECTORATE]
    with app.app_context():
        rec.send_report(db.session.get(Task, department), dt.datetime(2026, 11, 18, 14, 0))
        files = {f.purpose: f.id for f in db.session.scalars(select(StoredFile))}
        db.session.remove()
    signed, report = files["signed_document"], files["report_document"]
    login(client, "caolanh.thanhtra")
    assert client.get(f"/tasks/files/{signed}").status_code == 200
    assert client.get(f"/tasks/files/{report}").status_code == 404
    assert client.get(f"/tasks/{department}").status_code == 404
    assert client.get(f"/tasks/{inspectorate}").status_code == 200
    switch(client, "vpub.nhiemvu")
    download = client.get(f"/tasks/files/{report}")
    assert download.status_code == 200
    assert download.data.startswith(b"%PDF")
    assert "attachment" in download.headers["Content-Disposition"]
    switch(client, "laivung.tcd")
    assert client.get(f"/tasks/files/{signed}").status_code == 403
    assert client.get(f"/tasks/{inspectorate}").status_code == 403
