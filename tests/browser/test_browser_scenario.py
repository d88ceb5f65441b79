"""The whole regulation in one browser walk (issue 8; Article 5 of the regulation, R22,
R23): each step signs in as the right person of the demo province, in Vietnamese, and
does only what that person sees and clicks. The clock is moved with the test hook
(app.core.clock.set_now), never a sleep; the scheduler's jobs run as the scheduler runs
them (app.jobs.runner.run_scheduled).

1. The system administrator creates an administrator for Cao Lãnh city, who creates a
   clerk for the city reception board (R10); both choose their own password at the
   first sign-in (R23).
2. The new clerk finds a citizen's complaint already at the provincial inspectorate and
   records the repeat submission (R6); enters a second citizen's new recommendation,
   prints the receipt and forwards it to the provincial inspectorate (R2, R12). (A
   complaint outside the board's competence is guided, never forwarded: TT 07/2014
   Art. 8(1), app.petitions.processing; so the forwarded petition is a recommendation.)
3. The inspectorate receives it and accepts it for resolution: the petition shows its
   legal deadline and how it was counted; it accepts Mrs Loan's complaint too, whose
   dossier shows the acceptance deadline and how it was counted.
4. The task officer of the Provincial PC Office enters an assignment document with a
   signed PDF for two agencies; marked "Mật" and without a deadline it is refused (R20).
5. The department reports, is returned, reports again after the deadline and is
   accepted: late; the city inspectorate reports before its deadline day: early
   (R16–R19). Step 6 falls inside it, on the day after the deadline:
6. the scheduler's daily job flags the department's task overdue; its bell shows it.
7. The scheduler compiles November; the reception board's monitor opens the summary and
   downloads form 01/XLD, the task form and the ranking, checked against the steps (R21,
   R24, R26).
8. A clerk of Lai Vung district sees none of it: lists, addresses, exports, API (R10).

Every page is checked for English framework labels (tests/test_i18n_pages.py) and server
errors; the page fixture fails the test on any console error. Screenshots:
tests/artifacts/scenario_<step>_<what>.png (the user guide draws on them).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from flask import Flask
from playwright.sync_api import Locator, Page, Response, expect

from app.core.clock import set_now
from app.jobs.runner import run_scheduled
from tests import sample_files
from tests.browser.conftest import login_ui
from tests.conftest import DEMO_PASSWORD
from tests.test_i18n_pages import english_leftovers

pytestmark = pytest.mark.browser

PROVINCE = "Ủy ban nhân dân tỉnh Đồng Tháp"
CITY = "Ủy ban nhân dân thành phố Cao Lãnh"
CITY_BOARD = "Ban Tiếp công dân thành phố Cao Lãnh"
INSPECTORATE = "Thanh tra tỉnh Đồng Tháp"
DEPARTMENT = "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp"
CITY_INSPECTORATE = "Thanh tra thành phố Cao Lãnh"
REFERENCE = "1375/UBND-HC"
TASK_SUMMARY = "Về việc rà soát, giải quyết dứt điểm các vụ khiếu nại đông người về đất đai"
RECOMMENDATION = (
    "Kiến nghị xem xét chính sách hỗ trợ tái định cư cho các hộ bị thu hồi đất tại ấp "
    "Tịnh Long để mở rộng đường Phạm Hữu Lầu"
)
ADMIN = ("caolanh.qtv", "Lê Thanh", "Tùng", "TamThoi#QuanTri2026", "SenHong@ThanhPho2026")
CLERK = ("caolanh.tiepdan", "Huỳnh Thị Mỹ", "Linh", "TamThoi#BienNhan2026", "BenNinhKieu@Moi2026")


class Walk:
    """The browser walk's page, its server and where its screenshots go; every page
    it screenshots is checked for English labels and server errors."""

    def __init__(self, page: Page, live_server: str, artifacts: Path) -> None:
        self.page, self.live_server, self.artifacts = page, live_server, artifacts
        self.server_errors: list[str] = []
        page.on("response", self._watch)

    def _watch(self, response: Response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.url}")

    def check(self) -> None:
        """No server error so far; no English framework label on the page."""
        assert not self.server_errors, self.server_errors
        leftovers = english_leftovers(self.page.content())
        assert not leftovers, f"English labels on {self.page.url}: {leftovers}"

    def shot(self, step: int, what: str) -> None:
        """Check the page and save its screenshot as scenario_<step>_<what>.png."""
        self.check()
        path = self.artifacts / f"scenario_{step}_{what}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def go(self, path: str) -> None:
        """Open ``path`` (typed in the address bar) and check the page."""
        self.page.goto(f"{self.live_server}{path}")
        self.check()

    def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Sign out whoever is signed in, then sign in as ``username``."""
        self.page.goto(f"{self.live_server}/logout/")
        login_ui(self.page, self.live_server, username, password)

    def first_sign_in(self, username: str, temporary: str, own: str) -> None:
        """R23: signed in with the temporary password, led to choose one's own."""
        self.sign_in(username, temporary)
        expect(self.page).to_have_url(f"{self.live_server}/resetmypassword/form")
        expect(self.page.locator(".alert")).to_contain_text("Mật khẩu của bạn do quản trị viên đặt")
        self.check()
        self.page.fill("#current_password", temporary)
        self.page.fill("#password", own)
        self.page.fill("#conf_password", own)
        self.page.locator("form [type=submit]").first.click()
        expect(self.page.locator(".alert-info")).to_contain_text("Đã đổi mật khẩu của bạn")


def _select2(page: Page, field: str, label: str) -> None:
    """Pick ``label`` in the searchable picker of ``field``, by typing it. (The picker's
    search box does not take the focus by itself on FAB's screens: clicked first.)"""
    page.locator(f"#{field} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").first.click()
    page.keyboard.type(label)
    page.locator(".select2-results__option", has_text=label).first.click()


def _new_account(walk: Walk, account: tuple[str, ...], agency: str, roles: list[str]) -> None:
    """Open the new-account form from the account list and fill it (temporary password)."""
    username, family, given, temporary, _own = account
    page = walk.page
    walk.go("/users/list/")
    page.locator("a[href*='/users/add']").first.click()
    walk.check()
    page.fill("#first_name", family)
    page.fill("#last_name", given)
    page.fill("#username", username)
    page.fill("#email", f"{username}@dongthap.gov.vn")
    _select2(page, "agency", agency)
    for role in roles:
        _select2(page, "roles", role)
    page.fill("#password", temporary)
    page.fill("#conf_password", temporary)


def test_the_whole_regulation_end_to_end(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path, tmp_path: Path
):
    walk = Walk(page, live_server, artifacts_dir)

    files = _signed_files(tmp_path)

    # 1. Mon 02/11/2026 07:30: the system administrator creates the city's administrator,
    # who may grant only the roles they hold (R10).
    set_now(dt.datetime(2026, 11, 2, 7, 30))
    walk.sign_in("admin")
    _new_account(walk, ADMIN, CITY, ["Quản trị cơ quan", "Chuyên viên xử lý đơn"])
    walk.shot(1, "admin_creates_agency_admin")
    page.locator("form [type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("tr", has_text=ADMIN[0])).to_contain_text(CITY)
    walk.shot(1, "account_list")

    # 07:45: the new administrator chooses a password, then creates the board's clerk.
    set_now(dt.datetime(2026, 11, 2, 7, 45))
    walk.first_sign_in(ADMIN[0], ADMIN[3], ADMIN[4])
    _new_account(walk, CLERK, CITY_BOARD, ["Chuyên viên xử lý đơn"])
    walk.shot(1, "agency_admin_creates_clerk")
    page.locator("form [type=submit]").first.click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("tr", has_text=CLERK[0])).to_contain_text(CITY_BOARD)
    expect(page.locator("body")).not_to_contain_text("laivung.tcd")  # R10: the city only

    # 2. 08:30: the new clerk's first sign-in; a citizen comes to the reception board.
    set_now(dt.datetime(2026, 11, 2, 8, 30))
    walk.first_sign_in(CLERK[0], CLERK[3], CLERK[4])
    walk.shot(2, "clerk_first_password")
    walk.go("/petitions/intake/")
    page.keyboard.type("Võ Thị Kim Loan")
    page.keyboard.press("Tab")
    page.keyboard.type("087186002468")
    match = page.locator(".intake-match").first
    expect(match).to_contain_text(INSPECTORATE)
    walk.shot(2, "lookup_finds_repeat")
    match.get_by_role("button", name="Ghi nhận đơn trùng vào vụ việc này").click()
    page.locator("#repeat_kind-0").check()
    page.locator("#kind-0").check()
    page.locator("#subject_area").select_option(label=LAND)
    page.locator("#summary").fill("Khiếu nại bồi thường đất, đơn đã gửi Thanh tra tỉnh")
    page.locator("#save-petition").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã ghi nhận đơn trùng số")
    walk.shot(2, "repeat_recorded")

    # 09:10: a second citizen's recommendation is new.
    set_now(dt.datetime(2026, 11, 2, 9, 10))
    walk.go("/petitions/intake/")
    page.keyboard.type("Trần Văn Sáu")
    page.keyboard.press("Tab")
    page.keyboard.type("087066004321")
    expect(page.locator("#no-match")).to_be_visible()
    page.locator("#pick-new").click()
    page.locator("#kind-1").check()
    page.locator("#subject_area").select_option(label="Chế độ, chính sách")
    page.locator("#summary").fill(RECOMMENDATION)
    page.locator("#save-petition").click()
    expect(page).to_have_url(re.compile(r"/petitions/\d+$"))
    expect(page.locator("#petition-status")).to_have_text("Đã tiếp nhận")
    petition_url = page.url
    with page.expect_download() as download_info:
        page.locator("#petition-document-links a", has_text="Giấy biên nhận").click()
    receipt = _docx_text(download_info.value.path().read_bytes())
    for text in ("GIẤY BIÊN NHẬN", "Vào hồi 09 giờ 10 phút, ngày 02 tháng 11 năm 2026",
                 "Ông Trần Văn Sáu", "087066004321", "Tịnh Long"):  # fmt: skip
        assert text in receipt, text
    walk.shot(2, "new_petition_receipt")

    form = page.locator("#process-form")
    form.get_by_label("Đủ điều kiện xử lý", exact=True).check()
    form.get_by_label("Không thuộc thẩm quyền", exact=True).check()
    page.select_option("#outcome", "forwarded")
    reasons = page.locator("#reason_id option[data-outcome]")
    page.select_option("#reason_id", label=reasons.first.inner_text())
    page.locator("#process-target .select2-selection").click()
    expect(page.locator(".select2-container--open .select2-search__field")).to_be_focused()
    page.keyboard.type("thanh tra tinh")
    expect(page.locator(".select2-results__option", has_text=INSPECTORATE)).to_be_visible()
    page.keyboard.press("Enter")
    page.fill("#doc_number", "95/PC-BTCD")
    page.fill("#note", "Chính sách hỗ trợ tái định cư do tỉnh quyết định; chuyển Thanh tra tỉnh.")
    page.click("#process-submit")
    expect(page.locator("#petition-status")).to_have_text("Đã chuyển đơn")
    walk.shot(2, "forwarded")

    # 3. Tue 03/11/2026 09:00: the provincial inspectorate receives it and accepts it.
    set_now(dt.datetime(2026, 11, 3, 9, 0))
    walk.sign_in("ttt.chuyenvien")
    walk.go("/petitions/inbox/")
    inbox = page.locator("#inbox-pending")
    expect(inbox).to_contain_text("Tịnh Long")
    walk.shot(3, "inspectorate_inbox")
    inbox.locator("li, tr", has_text="Tịnh Long").get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận đơn chuyển đến")
    expect(page.locator("#petition-chain")).to_contain_text(CITY_BOARD)
    inspectorate_petition_url = page.url
    form = page.locator("#process-form")
    form.get_by_label("Đủ điều kiện xử lý", exact=True).check()
    form.get_by_label("Thuộc thẩm quyền", exact=True).check()
    page.select_option("#outcome", "accepted")
    reasons = page.locator("#reason_id option[data-outcome]")
    page.select_option("#reason_id", label=reasons.first.inner_text())
    page.fill(
        "#note", "Chính sách hỗ trợ tái định cư thuộc thẩm quyền tham mưu của Thanh tra tỉnh."
    )
    page.click("#process-submit")
    expect(page.locator(".alert-success")).to_be_visible()
    # R2: processed within 10 working days from the day after receipt, weekends not
    # counted: 04–06, 09–13, 16–17/11 → Tue 17/11/2026; the page says how it was counted.
    expect(page.locator("#petition-status")).to_have_text("Đã thụ lý")
    explanation = page.locator("#petition-explanation")
    expect(explanation).to_contain_text("10 ngày làm việc, tính từ ngày sau Thứ Ba 03/11/2026")
    expect(explanation).to_contain_text("hạn Thứ Ba 17/11/2026")
    walk.shot(3, "accepted_with_deadline")

    # Mrs Loan's complaint, filed at the inspectorate and repeated at the city board, is
    # accepted for resolution: its dossier shows the acceptance deadline and its count.
    walk.go("/petitions/list/?reset=1&q=kim+loan")
    loan = page.locator("#petition-table tbody tr", has_text="Võ Thị Kim Loan")
    loan.get_by_role("link").first.click()
    form = page.locator("#process-form")
    form.get_by_label("Đủ điều kiện xử lý", exact=True).check()
    form.get_by_label("Thuộc thẩm quyền", exact=True).check()
    page.select_option("#outcome", "accepted")
    page.select_option("#reason_id", label=reasons.first.inner_text())
    page.fill("#note", "Khiếu nại quyết định thu hồi đất của UBND tỉnh, thuộc thẩm quyền tham mưu.")
    page.click("#process-submit")
    page.get_by_role("link", name="Hồ sơ giải quyết khiếu nại lần 1").click()
    expect(page.locator("#dossier-status")).to_have_text("Chờ thụ lý")
    # Received Wed 14/10/2026: 7 working days, weekend 17–18/10 not counted → Fri
    # 23/10/2026, already past: the screen says so.
    expect(page.locator("#clock-acceptance-due")).to_have_text("23/10/2026")
    expect(page.locator("#clock-acceptance-explanation")).to_contain_text(
        "7 ngày làm việc, tính từ ngày sau Thứ Tư 14/10/2026"
    )
    walk.shot(3, "complaint_dossier")

    # 4. 10:00: the officer enters document 1375/UBND-HC issued at 09:30 for two agencies.
    set_now(dt.datetime(2026, 11, 3, 10, 0))
    walk.sign_in("vpub.nhiemvu")
    walk.go("/tasks/documents/new")
    page.fill("#number", "1375")
    page.fill("#symbol", "UBND-HC")
    page.fill("#issued_at", "03/11/2026 09:30")
    page.fill("#summary", TASK_SUMMARY)
    page.fill("#director_name", "Phạm Thiện Nghĩa")
    page.fill("#signer_name", "Đoàn Tấn Bửu")
    page.fill("#drafter_name", "Trần Thị Thu")
    page.locator("#secrecy_grade-1").check()  # "Mật": refused below
    _pick(page, page.locator("#receivers-0-agency_label"), "tai nguyen", DEPARTMENT)
    page.locator("#add-receiver").click()
    _pick(
        page,
        page.locator("#receivers-1-agency_label"),
        "thanh tra thanh pho cao lanh",
        CITY_INSPECTORATE,
    )
    page.select_option("#receivers-1-role", label="Cơ quan phối hợp")
    page.fill("#receivers-1-deadline", "25/11/2026")
    page.set_input_files("#signed_file", str(files["cv-1375-ubnd-hc.pdf"]))
    page.locator("#save-document").click()
    expect(page.locator("#secrecy_grade-0-error")).to_contain_text(
        "Văn bản có độ mật (Mật) không được cập nhật vào phần mềm"
    )
    expect(page.locator("#default_deadline-error")).to_contain_text(
        "Nhiệm vụ không có thời hạn thực hiện không được cập nhật vào phần mềm"
    )
    expect(page.locator("#summary")).to_have_value(TASK_SUMMARY)
    walk.shot(4, "document_refused")
    page.locator("#secrecy_grade-0").check()
    page.fill("#default_deadline", "20/11/2026")
    page.set_input_files("#signed_file", str(files["cv-1375-ubnd-hc.pdf"]))
    page.locator("#save-document").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Đã lưu văn bản {REFERENCE}: giao 2 nhiệm vụ, nhập đúng hạn"
    )
    expect(page.locator("#signed-files")).to_contain_text("Đoàn Tấn Bửu")
    tasks = page.locator("#document-tasks tbody tr")
    expect(tasks.filter(has_text=DEPARTMENT)).to_contain_text("20/11/2026")
    expect(tasks.filter(has_text=CITY_INSPECTORATE)).to_contain_text("25/11/2026")
    document_url = page.url
    walk.shot(4, "document_saved")

    # 5. Wed 04/11/2026 08:15: the department acknowledges; Wed 18/11 it reports.
    set_now(dt.datetime(2026, 11, 4, 8, 15))
    walk.sign_in("stnmt.canbo")
    walk.go("/tasks/inbox/")
    _task_row(page, PROVINCE).get_by_role("link", name=REFERENCE).click()
    page.locator("#acknowledge").click()
    expect(page.locator("#task-status")).to_have_text("Đơn vị đã nhận")
    task_url = page.url
    set_now(dt.datetime(2026, 11, 18, 9, 0))
    page.reload()
    _report(page, files["bc-312-stnmt.pdf"], ("312", "BC-STNMT", "18/11/2026"), "Nguyễn Văn Bình")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo lần 1")
    walk.shot(5, "department_reports")

    # Thu 19/11/2026 10:00: the officer returns it with a reason.
    set_now(dt.datetime(2026, 11, 19, 10, 0))
    walk.sign_in("vpub.nhiemvu")
    walk.go("/tasks/review/")
    _task_row(page, DEPARTMENT).get_by_role("link", name=REFERENCE).click()
    reason = "Chưa nêu kết quả giải quyết 3 vụ tại huyện Tháp Mười; bổ sung danh sách kèm theo."
    page.locator("#return-reason").fill(reason)
    page.locator("#return").click()
    expect(page.locator("#task-status")).to_have_text("Chưa đạt, báo cáo lại")
    walk.shot(5, "report_returned")

    # 6. Sat 21/11/2026 00:30, the day after the deadline: the scheduler's daily job flags
    # the department's task overdue (returned, no accepted report) and notifies it.
    set_now(dt.datetime(2026, 11, 21, 0, 30))
    result = run_scheduled(app, "daily-flags")
    assert result.status == "succeeded", result.error
    set_now(dt.datetime(2026, 11, 23, 8, 30))
    walk.sign_in("stnmt.canbo")
    bell = page.locator("#notification-bell")
    expect(bell.locator(".notification-count")).to_be_visible()
    walk.shot(6, "overdue_bell")
    bell.click()
    expect(page.locator(".notification-list")).to_contain_text(f"Nhiệm vụ quá hạn: {REFERENCE}")
    walk.shot(6, "overdue_notification")
    page.goto(task_url)
    expect(page.locator("#task-overdue")).to_have_text("Quá hạn")

    # 5 (end). Mon 23/11/2026 09:00: the department reports again, after the deadline.
    set_now(dt.datetime(2026, 11, 23, 9, 0))
    page.reload()
    _report(page, files["bc-340-stnmt.pdf"], ("340", "BC-STNMT", "23/11/2026"), "Nguyễn Văn Bình")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo lần 2")
    # 10:30: the city inspectorate reports before its deadline day (Wed 25/11).
    set_now(dt.datetime(2026, 11, 23, 10, 30))
    walk.sign_in("caolanh.thanhtra")
    walk.go("/tasks/inbox/")
    _task_row(page, PROVINCE).get_by_role("link", name=REFERENCE).click()
    _report(page, files["bc-85-tt.pdf"], ("85", "BC-TT", "23/11/2026"), "Lê Hoàng Phúc")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi báo cáo lần 1")
    # 14:00: the officer accepts both.
    set_now(dt.datetime(2026, 11, 23, 14, 0))
    walk.sign_in("vpub.nhiemvu")
    page.goto(document_url)
    tasks.filter(has_text=DEPARTMENT).get_by_role("link").click()
    page.locator("#accept").click()
    expect(page.locator("#task-completion")).to_have_text("Trễ hạn")
    walk.shot(5, "accepted_late")
    page.goto(document_url)
    tasks.filter(has_text=CITY_INSPECTORATE).get_by_role("link").click()
    page.locator("#accept").click()
    expect(page.locator("#task-completion")).to_have_text("Trước hạn")
    page.goto(document_url)
    expect(tasks.filter(has_text=DEPARTMENT)).to_contain_text("Trễ hạn")
    expect(tasks.filter(has_text=CITY_INSPECTORATE)).to_contain_text("Trước hạn")
    walk.shot(5, "document_late_and_early")

    # 7. Tue 01/12/2026 01:00: the scheduler compiles November; the monitor reads it.
    set_now(dt.datetime(2026, 12, 1, 1, 0, 20))
    result = run_scheduled(app, "monthly-summaries")
    assert result.status == "succeeded", result.error
    set_now(dt.datetime(2026, 12, 1, 8, 0))
    walk.sign_in("btcd.giamsat")
    page.get_by_role("link", name="Báo cáo, thống kê").click()
    page.locator(".dropdown-menu a", has_text="Tổng hợp báo cáo").click()
    row = page.locator("#summaries tbody tr", has_text=PROVINCE).filter(has_text="Tháng 11/2026")
    expect(row).to_contain_text("Hệ thống (lập lịch)")
    walk.shot(7, "summaries")
    row.get_by_role("link", name="Mở").click()
    expect(page.locator("#summary-title")).to_have_text("Tổng hợp tháng — Tháng 11/2026")
    walk.shot(7, "summary_november")
    books = {}
    for form_code in ("01/XLD", "XH-01"):
        form_row = page.locator("#summary-files tbody tr", has_text=form_code)
        with page.expect_download() as download_info:
            form_row.locator(".summary-download").click()
        saved = artifacts_dir / f"scenario_7_{form_code.replace('/', '-')}_11-2026.xlsx"
        download_info.value.save_as(saved)
        books[form_code] = openpyxl.load_workbook(saved).active
    # November as the scenario made it: the city board received two petitions and
    # processed both (the repeat filed, the recommendation forwarded); the inspectorate
    # received the forwarded one and processed two: it and Mrs Loan's complaint (R21).
    xld = books["01/XLD"]
    board = _row_values(xld, CITY_BOARD)
    assert {ms: board[ms] for ms in ("1", "2", "3", "4", "5")} == {
        "1": 2, "2": 0, "3": 2, "4": 2, "5": 0
    }  # fmt: skip
    inspectorate = _row_values(xld, INSPECTORATE)
    assert (inspectorate["3"], inspectorate["4"]) == (1, 2)
    # Tasks (XH-01): assigned (1), to carry out (2), completed (3), early (4), late (6).
    task_form = books["XH-01"]
    department = _row_values(task_form, DEPARTMENT)
    city_inspectorate = _row_values(task_form, CITY_INSPECTORATE)
    assert [department[ms] for ms in ("1", "2", "3", "4", "6")] == [1, 1, 1, 0, 1]
    assert [city_inspectorate[ms] for ms in ("1", "2", "3", "4", "6")] == [1, 1, 1, 1, 0]

    page.get_by_role("link", name="Báo cáo, thống kê").click()
    page.locator(".dropdown-menu a", has_text="Xếp hạng cơ quan").click()
    expect(page.locator(".reports-lead")).to_contain_text("01/11/2026 – 30/11/2026")
    walk.shot(7, "ranking")
    with page.expect_download() as download_info:
        page.click("#ranking-export")
    saved = artifacts_dir / "scenario_7_ranking_11-2026.xlsx"
    download_info.value.save_as(saved)
    scored, figures = openpyxl.load_workbook(saved).worksheets
    # R26: one task each is too few to rank; their figures are still shown.
    names = [cell.value for cell in scored["A"]]
    assert f"{DEPARTMENT} — chưa đủ số liệu để xếp hạng" in names
    assert f"{CITY_INSPECTORATE} — chưa đủ số liệu để xếp hạng" in names
    assert _row_values(figures, DEPARTMENT)["6"] == 1
    assert _row_values(figures, CITY_INSPECTORATE)["4"] == 1
    assert [_row_values(figures, "Tổng cộng")[ms] for ms in ("1", "2", "3")] == [2, 2, 2]

    # 8. A clerk of Lai Vung district sees none of it (R10): not in the lists, not by
    # address, not in the Excel export, not through the API.
    walk.sign_in("laivung.tcd")
    walk.go("/petitions/list/?reset=1")
    body = page.locator("body")
    for text in ("Trần Văn Sáu", "Tịnh Long", "Võ Thị Kim Loan"):
        expect(body).not_to_contain_text(text)
    walk.shot(8, "other_district_list")
    with page.expect_download() as download_info:
        page.locator("#export-xlsx").click()
    saved = artifacts_dir / "scenario_8_other_district_export.xlsx"
    download_info.value.save_as(saved)
    export = openpyxl.load_workbook(saved).active
    cells = " ".join(str(c) for row in export.iter_rows(values_only=True) for c in row if c)
    assert "Trần Văn Sáu" not in cells and "Tịnh Long" not in cells
    walk.go("/petitions/inbox/")
    expect(body).not_to_contain_text("Tịnh Long")
    for url in (petition_url, inspectorate_petition_url):
        assert page.request.get(url).status == 404, url
    for url in (task_url, document_url):
        response = page.request.get(url)
        assert response.status in (403, 404) and REFERENCE not in response.text(), url
    login = page.request.post(
        "/api/v1/security/login",
        data={"username": "laivung.tcd", "password": DEMO_PASSWORD, "provider": "db"},
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    listed = page.request.get("/api/v1/petitions/", headers=headers)
    assert listed.status == 200 and "Tịnh Long" not in listed.text()
    for url in (petition_url, inspectorate_petition_url):
        petition_id = url.rsplit("/", 1)[-1]
        api = page.request.get(f"/api/v1/petitions/{petition_id}", headers=headers)
        assert api.status == 404, api.text()
    task_id = task_url.rsplit("/", 1)[-1]
    api = page.request.get(f"/api/v1/tasks/{task_id}", headers=headers)
    assert api.status in (403, 404) and REFERENCE not in api.text()


LAND = "Đất đai (thu hồi, bồi thường, giải tỏa, tranh chấp)"


def _signed_files(folder: Path) -> dict[str, Path]:
    """The assignment document and the two agencies' reports, signed PDFs."""
    made = {
        "cv-1375-ubnd-hc.pdf": ("Đoàn Tấn Bửu", PROVINCE, "Cong van 1375"),
        "bc-312-stnmt.pdf": ("Nguyễn Văn Bình", DEPARTMENT, "Bao cao 312/BC-STNMT"),
        "bc-340-stnmt.pdf": ("Nguyễn Văn Bình", DEPARTMENT, "Bao cao 340/BC-STNMT"),
        "bc-85-tt.pdf": ("Lê Hoàng Phúc", CITY_INSPECTORATE, "Bao cao 85/BC-TT"),
    }
    paths = {}
    for name, (signer_name, organisation, text) in made.items():
        signer, _certificate = sample_files.signing_identity(signer_name, organisation)
        paths[name] = folder / name
        paths[name].write_bytes(sample_files.signed_pdf(signer, text))
    return paths


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _pick(page: Page, combo: Locator, typed: str, label: str) -> None:
    combo.click()
    page.keyboard.type(typed)
    expect(combo.locator("xpath=..").locator("[role=option].active")).to_contain_text(label)
    page.keyboard.press("Enter")
    expect(combo).to_have_value(label)


def _task_row(page: Page, agency: str) -> Locator:
    return page.locator("#task-table tbody tr", has_text=REFERENCE).filter(has_text=agency)


def _report(page: Page, file: Path, reference: tuple[str, str, str], signer: str) -> None:
    page.locator("#open-report-form").click()
    expect(page.locator("#doc_name")).to_be_focused()
    page.keyboard.type("Báo cáo kết quả rà soát các vụ khiếu nại đông người về đất đai")
    summary = "Kết quả rà soát các vụ khiếu nại đông người về đất đai"
    for value in (*reference, summary, signer):
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    page.set_input_files("#report_file", str(file))
    page.keyboard.press("Control+Enter")


def _row_values(sheet, label: str) -> dict[str, object]:
    ms_row = next(row for row in sheet.iter_rows() if row[0].value == "MS")
    numbers = {cell.column: str(cell.value).split("=")[0] for cell in ms_row[1:]}
    for row in sheet.iter_rows(min_row=ms_row[0].row + 1):
        if row[0].value == label:
            return {numbers[c.column]: c.value for c in row[1:] if c.column in numbers}
    raise AssertionError(f"no row {label!r} in {sheet.title}")
