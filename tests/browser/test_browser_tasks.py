"""Browser walk of the task loop (issue 5, R13–R20), in Vietnamese and through the screens
only: the task officer of the Provincial PC Office enters assignment document
1375/UBND-HC for two agencies with the keyboard — first marked "Mật" and without a
deadline, refused (R20) — then as it should be; the Department of Natural Resources and
Environment acknowledges, reports, is returned with a reason, reports again after the
deadline and is accepted: late (R18, R19). The Cao Lãnh city inspectorate, supporting
with its own later deadline, reports before its deadline day: early.

The clock is set at fixed moments of November 2026 (Tuesday 24/11 is a day off, Vietnamese
Culture Day, so the agencies report on Monday 23/11); the documents are signed PDFs made in
the test with throwaway certificates.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from app.core.clock import set_now
from tests import sample_files
from tests.browser.conftest import login_ui

pytestmark = pytest.mark.browser

SUMMARY = "Về việc rà soát, giải quyết dứt điểm các vụ khiếu nại đông người kéo dài về đất đai"
DEPARTMENT = "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp"
CITY_INSPECTORATE = "Thanh tra thành phố Cao Lãnh"
REFERENCE = "1375/UBND-HC"


def _signed_files(folder: Path) -> dict[str, Path]:
    """The assignment document signed by the vice-chairman, and the two agencies' reports
    signed by their heads (each identity a fresh self-signed certificate)."""
    made = {
        "cv-1375-ubnd-hc.pdf": ("Đoàn Tấn Bửu", "Ủy ban nhân dân tỉnh Đồng Tháp", "Cong van 1375"),
        "bc-312-stnmt.pdf": ("Nguyễn Văn Bình", DEPARTMENT, "Bao cao 312/BC-STNMT"),
        "bc-340-stnmt.pdf": ("Nguyễn Văn Bình", DEPARTMENT, "Bao cao 340/BC-STNMT"),
        "bc-85-tt.pdf": ("Lê Hoàng Phúc", CITY_INSPECTORATE, "Bao cao 85/BC-TT"),
    }
    paths = {}
    for name, (signer_name, organisation, text) in made.items():
        signer, _certificate = sample_files.signing_identity(signer_name, organisation)
        path = folder / name
        path.write_bytes(sample_files.signed_pdf(signer, text))
        paths[name] = path
    return paths


def _shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"tasks_{name}.png"), full_page=True)


def _switch(page: Page, live_server: str, username: str) -> None:
    page.goto(f"{live_server}/logout/")
    login_ui(page, live_server, username)


def _open_menu(page: Page, href: str, title: str) -> None:
    """Open a page of the "Nhiệm vụ" menu as a person would."""
    menu = page.locator(f"li.dropdown:has(a[href='{href}'])")
    menu.locator("> a.dropdown-toggle").click()
    menu.locator(f"a[href='{href}']").click()
    expect(page.locator("h1")).to_contain_text(title)


def _pick(page: Page, combo: Locator, typed: str, label: str) -> None:
    """Type into an agency picker once it has the focus; the first match is highlighted
    and Enter takes it."""
    expect(combo).to_be_focused()
    page.keyboard.type(typed)
    expect(combo.locator("xpath=..").locator("[role=option].active")).to_contain_text(label)
    page.keyboard.press("Enter")
    expect(combo).to_have_value(label)


def _task_row(page: Page, agency: str) -> Locator:
    return page.locator("#task-table tbody tr", has_text=REFERENCE).filter(has_text=agency)


def _expect_task(page: Page, status: str, deadline: str, completion: str | None = None) -> None:
    """What the task page shows: its status, its deadline and (once done) its completion."""
    expect(page.locator("#task-status")).to_have_text(status)
    expect(page.locator("#task-deadline .task-deadline")).to_have_text(deadline)
    if completion is None:
        expect(page.locator("#task-completion")).to_have_count(0)
    else:
        expect(page.locator("#task-completion")).to_have_text(completion)
        expect(page.locator("#completion-verdict")).to_have_text(completion)


def _fill_report(page: Page, reference: tuple[str, str, str], summary: str, signer: str) -> None:
    """Type a report document by keyboard: name, number, symbol, date (``reference``),
    summary, signer — the assigning document's identity is already shown."""
    expect(page.locator("#assigning-identity")).to_contain_text(REFERENCE)
    expect(page.locator("#doc_name")).to_be_focused()
    keyboard = page.keyboard
    keyboard.type("Báo cáo kết quả rà soát các vụ khiếu nại đông người về đất đai")
    for value in (*reference, summary, signer):
        keyboard.press("Tab")
        keyboard.type(value)


def test_the_task_loop_late_after_a_return_and_early_for_the_supporting_agency(
    page: Page, live_server: str, artifacts_dir: Path, tmp_path: Path
):
    files = _signed_files(tmp_path)

    # Mon 02/11/2026 10:00: the officer enters the document issued at 09:30 the same day,
    # with the keyboard: Tab moves on, the pickers open as one types.
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    login_ui(page, live_server, "vpub.nhiemvu")
    _open_menu(page, "/tasks/documents/new", "Nhập văn bản giao nhiệm vụ")
    expect(page.locator("#assigning_agency_id option:checked")).to_have_text(
        "Ủy ban nhân dân tỉnh Đồng Tháp"
    )
    keyboard = page.keyboard
    expect(page.locator("#number")).to_be_focused()
    keyboard.type("1375")
    keyboard.press("Tab")
    keyboard.type("UBND-HC")
    keyboard.press("Tab")
    keyboard.type("02/11/2026 09:30")
    keyboard.press("Tab")
    keyboard.type(SUMMARY)
    for name in ("Phạm Thiện Nghĩa", "Đoàn Tấn Bửu", "Trần Thị Thu"):
        keyboard.press("Tab")
        keyboard.type(name)
    keyboard.press("Tab")
    expect(page.locator("#secrecy_grade-0")).to_be_focused()
    keyboard.press("ArrowDown")  # "Mật": refused below
    expect(page.locator("#secrecy_grade-1")).to_be_checked()
    keyboard.press("Tab")
    expect(page.locator("#default_deadline")).to_be_focused()  # left empty: refused below
    keyboard.press("Tab")
    _pick(page, page.locator("#receivers-0-agency_label"), "tai nguyen", DEPARTMENT)
    page.locator("#add-receiver").focus()
    keyboard.press("Enter")
    _pick(
        page,
        page.locator("#receivers-1-agency_label"),
        "thanh tra thanh pho cao lanh",
        CITY_INSPECTORATE,
    )
    keyboard.press("Tab")
    expect(page.locator("#receivers-1-role")).to_be_focused()
    keyboard.press("ArrowDown")
    expect(page.locator("#receivers-1-role option:checked")).to_have_text("Cơ quan phối hợp")
    keyboard.press("Tab")
    keyboard.type("25/11/2026")
    page.set_input_files("#signed_file", str(files["cv-1375-ubnd-hc.pdf"]))
    _shot(page, artifacts_dir, "entry_form")
    page.locator("#receivers-1-deadline").focus()
    keyboard.press("Control+Enter")

    # R20: a document under a secrecy grade and a task without a deadline: refused,
    # nothing saved, everything typed kept.
    expect(page.locator(".alert-danger").first).to_contain_text("Chưa lưu được")
    expect(page.locator("#secrecy_grade-0-error")).to_contain_text(
        "Văn bản có độ mật (Mật) không được cập nhật vào phần mềm"
    )
    expect(page.locator("#default_deadline-error")).to_contain_text(
        "Nhiệm vụ không có thời hạn thực hiện không được cập nhật vào phần mềm"
    )
    expect(page.locator("#summary")).to_have_value(SUMMARY)
    expect(page.locator("#receivers-0-agency_label")).to_have_value(DEPARTMENT)
    expect(page.locator("#receivers-1-deadline")).to_have_value("25/11/2026")
    expect(page.locator("#secrecy_grade-0")).to_be_focused()
    expect(page.locator("#receivers-body .task-receiver-number")).to_have_text(["1", "2"])
    _shot(page, artifacts_dir, "entry_refused")
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server}/tasks/assigned/?reset=1")
    expect(other_tab.locator("h1")).to_contain_text("Nhiệm vụ đã giao")
    expect(other_tab.locator("#task-list")).not_to_contain_text(REFERENCE)
    other_tab.close()

    # Corrected: not classified (Space on the focused choice), deadline Fri 20/11/2026
    # for the lead agency.
    keyboard.press("Space")
    expect(page.locator("#secrecy_grade-0")).to_be_checked()
    keyboard.press("Tab")
    keyboard.type("20/11/2026")
    page.set_input_files("#signed_file", str(files["cv-1375-ubnd-hc.pdf"]))
    keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/tasks/documents/\d+$"))
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã lưu văn bản {REFERENCE}: giao 2 nhiệm vụ, nhập đúng hạn"
    )
    expect(page.locator("#document-entry-state")).to_have_text("Nhập đúng hạn")
    expect(page.locator("#signed-files")).to_contain_text("Đoàn Tấn Bửu")
    tasks = page.locator("#document-tasks tbody tr")
    expect(tasks.filter(has_text=DEPARTMENT)).to_contain_text("20/11/2026")
    expect(tasks.filter(has_text=CITY_INSPECTORATE)).to_contain_text("25/11/2026")
    expect(tasks.filter(has_text=CITY_INSPECTORATE)).to_contain_text("Cơ quan phối hợp")
    expect(tasks.filter(has_text="Đã giao")).to_have_count(2)
    document_url = page.url
    _shot(page, artifacts_dir, "document")

    # Tue 03/11/2026 08:15: the department's staff find the task in their list and
    # acknowledge it.
    set_now(dt.datetime(2026, 11, 3, 8, 15))
    _switch(page, live_server, "stnmt.canbo")
    _open_menu(page, "/tasks/inbox/", "Nhiệm vụ của cơ quan")
    expect(_task_row(page, "Ủy ban nhân dân tỉnh Đồng Tháp")).to_contain_text("20/11/2026")
    _shot(page, artifacts_dir, "agency_inbox")
    _task_row(page, "Ủy ban nhân dân tỉnh Đồng Tháp").get_by_role("link", name=REFERENCE).click()
    _expect_task(page, "Đã giao", "20/11/2026")
    page.locator("#acknowledge").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã xác nhận nhận nhiệm vụ")
    _expect_task(page, "Đơn vị đã nhận", "20/11/2026")
    department_task = page.url

    # Wed 18/11/2026 09:00: report 312/BC-STNMT, two days before the deadline day.
    set_now(dt.datetime(2026, 11, 18, 9, 0))
    page.reload()
    page.locator("#open-report-form").click()
    _fill_report(
        page,
        ("312", "BC-STNMT", "18/11/2026"),
        "Kết quả rà soát 14 vụ khiếu nại đông người về đất đai trên địa bàn tỉnh",
        "Nguyễn Văn Bình",
    )
    page.set_input_files("#report_file", str(files["bc-312-stnmt.pdf"]))
    _shot(page, artifacts_dir, "report_form")
    keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text(
        "Đã gửi báo cáo lần 1 lúc 09:00 18/11/2026"
    )
    _expect_task(page, "Báo cáo chờ xem xét", "20/11/2026")
    expect(page.locator("#report-1-files")).to_contain_text("Nguyễn Văn Bình")
    expect(page.locator("#report-1-entry")).to_have_text("Gửi đúng hạn")  # R16: on its date

    # Thu 19/11/2026 10:00: the officer returns it — first without a reason (refused).
    set_now(dt.datetime(2026, 11, 19, 10, 0))
    _switch(page, live_server, "vpub.nhiemvu")
    _open_menu(page, "/tasks/review/", "Báo cáo chờ xem xét")
    _task_row(page, DEPARTMENT).get_by_role("link", name=REFERENCE).click()
    _expect_task(page, "Báo cáo chờ xem xét", "20/11/2026")
    page.locator("#return").click()
    expect(page.locator("#return-reason-error")).to_have_text("Vui lòng nhập lý do chưa đạt.")
    expect(page.locator("#return-reason")).to_be_focused()
    _expect_task(page, "Báo cáo chờ xem xét", "20/11/2026")
    reason = "Chưa nêu kết quả giải quyết 3 vụ tại huyện Tháp Mười; bổ sung danh sách kèm theo."
    page.locator("#return-reason").fill(reason)
    page.locator("#return").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã thông báo báo cáo chưa đạt")
    _expect_task(page, "Chưa đạt, báo cáo lại", "20/11/2026")
    expect(page.locator("#report-1")).to_contain_text(reason)
    # R17: reviewed the working day after the report arrived (before 15:00): late review.
    expect(page.locator("#report-1-review")).to_have_text("Xem xét trễ hạn")
    _shot(page, artifacts_dir, "returned")

    # Mon 23/11/2026 09:00: the department reports again, after the deadline (overdue).
    set_now(dt.datetime(2026, 11, 23, 9, 0))
    _switch(page, live_server, "stnmt.canbo")
    page.goto(department_task)
    _expect_task(page, "Chưa đạt, báo cáo lại", "20/11/2026")
    expect(page.locator("#task-overdue")).to_have_text("Quá hạn")
    expect(page.locator("#overdue-note")).to_have_text("Đã quá thời hạn mà chưa có báo cáo đạt.")
    expect(page.locator("#returned-alert")).to_contain_text(reason)
    _shot(page, artifacts_dir, "returned_overdue")
    page.locator("#open-report-form").click()
    expect(page.locator("#returned-reason")).to_contain_text(reason)
    expect(page.locator(".alert-danger")).to_contain_text("20/11/2026")
    _fill_report(
        page,
        ("340", "BC-STNMT", "23/11/2026"),
        "Kết quả rà soát 17 vụ khiếu nại đông người, bổ sung 3 vụ tại huyện Tháp Mười",
        "Nguyễn Văn Bình",
    )
    page.set_input_files("#report_file", str(files["bc-340-stnmt.pdf"]))
    keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo lần 2")
    _expect_task(page, "Báo cáo chờ xem xét", "20/11/2026")
    expect(page.locator("#report-2-entry")).to_have_text("Gửi đúng hạn")
    expect(page.locator("#task-overdue")).to_have_count(0)  # reported: owed a review now

    # The Cao Lãnh city inspectorate reports the same morning, before its deadline day.
    set_now(dt.datetime(2026, 11, 23, 10, 30))
    _switch(page, live_server, "caolanh.thanhtra")
    _open_menu(page, "/tasks/inbox/", "Nhiệm vụ của cơ quan")
    _task_row(page, "Ủy ban nhân dân tỉnh Đồng Tháp").get_by_role("link", name=REFERENCE).click()
    _expect_task(page, "Đã giao", "25/11/2026")
    page.locator("#open-report-form").click()
    _fill_report(
        page,
        ("85", "BC-TT", "23/11/2026"),
        "Kết quả phối hợp rà soát các vụ khiếu nại đông người trên địa bàn thành phố",
        "Lê Hoàng Phúc",
    )
    page.set_input_files("#report_file", str(files["bc-85-tt.pdf"]))
    keyboard.press("Control+Enter")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo lần 1")
    _expect_task(page, "Báo cáo chờ xem xét", "25/11/2026")

    # Mon 23/11/2026 14:00: the officer accepts both: the department late (its accepted
    # report was sent after the deadline day), the inspectorate early.
    set_now(dt.datetime(2026, 11, 23, 14, 0))
    _switch(page, live_server, "vpub.nhiemvu")
    _open_menu(page, "/tasks/review/", "Báo cáo chờ xem xét")
    expect(_task_row(page, DEPARTMENT)).to_contain_text("09:00 23/11/2026")
    # The deadline filters are wide enough to show a whole date at 1366×768.
    for field in ("#deadline_from", "#deadline_to"):
        assert page.locator(field).bounding_box()["width"] >= 120
    _shot(page, artifacts_dir, "review_queue")
    _task_row(page, DEPARTMENT).get_by_role("link", name=REFERENCE).click()
    expect(page.locator("#report-2")).to_contain_text("340/BC-STNMT")
    page.locator("#accept").click()
    expect(page.locator(".alert-success")).to_contain_text("Trễ hạn")
    _expect_task(page, "Đã hoàn thành", "20/11/2026", "Trễ hạn")
    explanation = page.locator("#completion-explanation")
    expect(explanation).to_contain_text("Hạn Thứ Sáu 20/11/2026")
    expect(explanation).to_contain_text("09:00 Thứ Hai 23/11/2026; trễ hạn 3 ngày")
    expect(page.locator("#report-2-review")).to_have_text("Xem xét đúng hạn")
    expect(page.locator(".audit-history-table")).to_contain_text("Kết quả thực hiện: — → Trễ hạn")
    expect(page.locator("#task-overdue")).to_have_count(0)
    _shot(page, artifacts_dir, "accepted_late")

    page.goto(document_url)
    tasks.filter(has_text=CITY_INSPECTORATE).get_by_role("link").click()
    _expect_task(page, "Báo cáo chờ xem xét", "25/11/2026")
    page.locator("#accept").click()
    _expect_task(page, "Đã hoàn thành", "25/11/2026", "Trước hạn")
    expect(page.locator("#completion-explanation")).to_contain_text("trước hạn 2 ngày")
    _shot(page, artifacts_dir, "accepted_early")

    page.goto(document_url)
    expect(tasks.filter(has_text=DEPARTMENT)).to_contain_text("Trễ hạn")
    expect(tasks.filter(has_text=CITY_INSPECTORATE)).to_contain_text("Trước hạn")
    _shot(page, artifacts_dir, "document_done")
    _open_menu(page, "/tasks/assigned/", "Nhiệm vụ đã giao")
    expect(_task_row(page, DEPARTMENT)).to_contain_text("Trễ hạn")
    expect(_task_row(page, CITY_INSPECTORATE)).to_contain_text("Trước hạn")
    _shot(page, artifacts_dir, "assigned_list")
