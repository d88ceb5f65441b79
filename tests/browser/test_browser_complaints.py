"""Browser walk (issue 4): the provincial inspectorate receives a land complaint forwarded by
the Cao Lãnh reception board, accepts it for resolution, marks it complex, suspends and
resumes it, and records a first-instance decision "partly right" with money returned —
checking the deadline the dossier page shows at each step.

The clock is set at fixed dates of the real 2026 calendar; every expected date is counted
by hand below (start day not counted, Civil Code Art. 147; a last day that is not a
working day moves to the next working day, Art. 148(5)).
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.core.clock import now_utc, set_now
from app.extensions import db
from app.petitions.events import record_event
from app.petitions.transfers import create_transfer
from tests.browser.conftest import login_ui
from tests.petitions_processing_records import (
    CAO_LANH_BOARD,
    PROVINCIAL_INSPECTORATE,
    agency,
    received_petition,
    user,
)
from tests.sample_files import signed_pdf, signing_identity

pytestmark = pytest.mark.browser


def _forward_complaint_from_cao_lanh() -> None:
    """Mon 02/11/2026: the Cao Lãnh reception board receives Mr Hùng's land complaint at
    08:30 and forwards it to the provincial inspectorate at 10:00 (the transfer service
    of petition processing: the inspectorate's inbox, its users notified)."""
    set_now(dt.datetime(2026, 11, 2, 8, 30))
    petition = received_petition(CAO_LANH_BOARD, received_at=dt.datetime(2026, 11, 2, 8, 30))
    set_now(dt.datetime(2026, 11, 2, 10, 0))
    board_clerk = user("caolanh.tcd")
    note = "Quyết định bị khiếu nại do UBND tỉnh ban hành; chuyển Thanh tra tỉnh tham mưu."
    petition.eligible, petition.competent, petition.status = True, False, "forwarded"
    petition.processed_at, petition.processed_by_id = now_utc(), board_clerk.id
    petition.outcome_note, petition.outcome_doc_number = note, "95/PC-BTCD"
    record_event(
        db.session,
        petition,
        board_clerk,
        "processed",
        from_status="received",
        to_status="forwarded",
        note=note,
    )
    target = agency(PROVINCIAL_INSPECTORATE)
    create_transfer(
        db.session, petition, target, doc_number="95/PC-BTCD", note=note, user=board_clerk
    )
    db.session.commit()


def _signed_decision(folder: Path) -> Path:
    """The decision as a PDF signed by the chairman (pyHanko signs through asyncio, which
    cannot run on the thread Playwright's event loop runs on: a worker thread signs)."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        signer, _certificate = signing_identity("Trần Văn Bình", "Ủy ban nhân dân tỉnh Đồng Tháp")
        content = worker.submit(signed_pdf, signer, "Quyet dinh 120/QD-UBND").result()
    path = folder / "qd-120-qd-ubnd.pdf"
    path.write_bytes(content)
    return path


def _open_tab(page: Page, name: str) -> None:
    page.locator(f"#tab-{name}").click()
    expect(page.locator(f"#pane-{name}")).to_be_visible()


def _at(page: Page, moment: dt.datetime) -> None:
    set_now(moment)
    page.reload()


def test_inspectorate_resolves_a_forwarded_complaint(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path, tmp_path: Path
):
    with app.app_context():
        _forward_complaint_from_cao_lanh()
        db.session.remove()
    decision_pdf = _signed_decision(tmp_path)

    # Tue 03/11/2026 09:00: the inspectorate receives the forwarded complaint.
    set_now(dt.datetime(2026, 11, 3, 9, 0))
    login_ui(page, live_server, "ttt.chuyenvien")
    page.goto(f"{live_server}/petitions/inbox/")
    page.locator("#inbox-pending").get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã tiếp nhận đơn chuyển đến")

    # Accepted for resolution through petition processing: the dossier opens.
    form = page.locator("#process-form")
    form.get_by_label("Đủ điều kiện xử lý", exact=True).check()
    form.get_by_label("Thuộc thẩm quyền", exact=True).check()
    page.select_option("#outcome", "accepted")
    reasons = page.locator("#reason_id option[data-outcome]")
    page.select_option("#reason_id", label=reasons.first.inner_text())
    page.fill("#note", "Khiếu nại quyết định hành chính của UBND tỉnh, thuộc thẩm quyền tham mưu.")
    page.click("#process-submit")
    expect(page.locator(".alert-success")).to_be_visible()
    page.get_by_role("link", name="Hồ sơ giải quyết khiếu nại lần 1").click()

    # Received Tue 03/11/2026, after 01/07/2026: 7 working days — 04, 05, 06, 09, 10,
    # 11, 12/11 → Thursday 12/11/2026. The resolution clock has not started.
    expect(page.locator("h1")).to_contain_text("Hồ sơ giải quyết khiếu nại lần đầu")
    expect(page.locator("#dossier-status")).to_have_text("Chờ thụ lý")
    expect(page.locator("#clock-acceptance-due")).to_have_text("12/11/2026")
    expect(page.locator("#clock-acceptance-explanation")).to_contain_text(
        "7 ngày làm việc, tính từ ngày sau Thứ Ba 03/11/2026"
    )
    expect(page.locator("#clock-resolution-state")).to_have_text("Chưa bắt đầu")
    expect(page.locator("#dossier-timeline")).to_contain_text(
        "Ban Tiếp công dân thành phố Cao Lãnh"
    )
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_awaiting.png"), full_page=True)

    # Fri 06/11/2026: accepted — first a notice number forgotten, refused next to the field.
    _at(page, dt.datetime(2026, 11, 6, 10, 0))
    _open_tab(page, "accept")
    page.fill("#accept-accepted_on", "06/11/2026")
    page.locator("#form-accept button[type=submit]").click()
    expect(page.locator("#accept-notice_number-error")).to_have_text(
        "Vui lòng nhập số thông báo thụ lý."
    )
    expect(page.locator("#accept-accepted_on")).to_have_value("06/11/2026")
    expect(page.locator("#dossier-status")).to_have_text("Chờ thụ lý")
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_refused.png"), full_page=True)
    page.fill("#accept-notice_number", "15/TB-TTT")
    page.locator("#form-accept button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("07/12/2026")
    # 30 days from Fri 06/11/2026 → Sun 06/12/2026, not a working day → Mon 07/12/2026.
    expect(page.locator("#dossier-status")).to_have_text("Đã thụ lý, đang giải quyết")
    expect(page.locator("#clock-resolution-due")).to_have_text("07/12/2026")
    expect(page.locator("#clock-resolution-explanation")).to_contain_text("Chủ nhật 06/12/2026")
    expect(page.locator("#clock-acceptance-state")).to_have_text("Đúng hạn")
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_accepted.png"), full_page=True)

    # Wed 11/11/2026: decision 20/QĐ-TTT marks the case complex: 45 days from 06/11 →
    # Mon 21/12/2026.
    _at(page, dt.datetime(2026, 11, 11, 9, 0))
    _open_tab(page, "flags")
    page.locator("#flags-complex_case").check()
    page.fill("#flags-doc_number", "20/QĐ-TTT")
    page.locator("#form-flags button[type=submit]").click()
    expect(page.locator("#clock-resolution-due")).to_have_text("21/12/2026")
    expect(page.locator("#dossier-flag-complex")).to_have_text("Có")
    expect(page.locator("#dossier-flag-decisions")).to_contain_text("20/QĐ-TTT")
    expect(page.locator("#dossier-changes-table")).to_contain_text(
        "Quyết định 20/QĐ-TTT: vụ việc phức tạp"
    )
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_complex.png"), full_page=True)

    # Mon 16/11/2026: suspended awaiting a land survey. 10 days counted (07–16/11),
    # 35 left; the clock stops.
    _at(page, dt.datetime(2026, 11, 16, 9, 0))
    _open_tab(page, "suspend")
    page.fill("#suspend-doc_number", "22/QĐ-TTT")
    page.fill(
        "#suspend-note", "Chờ kết quả đo đạc hiện trạng thửa đất của Văn phòng đăng ký đất đai."
    )
    page.locator("#form-suspend button[type=submit]").click()
    expect(page.locator("#dossier-status")).to_have_text("Tạm đình chỉ")
    expect(page.locator("#clock-resolution-state")).to_have_text("Đang dừng tính")
    suspended = page.locator("#clock-resolution-suspended")
    expect(suspended).to_contain_text("Đã tính trước khi tạm đình chỉ: 10 ngày")
    expect(suspended).to_contain_text("Còn lại khi tiếp tục: 35 ngày")
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_suspended.png"), full_page=True)

    # Fri 27/11/2026: resumed. 35 days from the day after 27/11 → Fri 01/01/2027, New
    # Year's Day, then the weekend → Mon 04/01/2027.
    _at(page, dt.datetime(2026, 11, 27, 9, 0))
    expect(suspended).to_contain_text("Đã dừng 11 ngày")
    _open_tab(page, "resume")
    page.fill("#resume-doc_number", "25/QĐ-TTT")
    page.locator("#form-resume button[type=submit]").click()
    expect(page.locator("#dossier-status")).to_have_text("Đã thụ lý, đang giải quyết")
    expect(page.locator("#clock-resolution-due")).to_have_text("04/01/2027")
    explanation = page.locator("#clock-resolution-explanation")
    expect(explanation).to_contain_text("tạm đình chỉ")
    expect(explanation).to_contain_text("Tết Dương lịch")
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_resumed.png"), full_page=True)

    # Wed 16/12/2026: first-instance decision 120/QĐ-UBND, partly right, 85,5 million VND
    # returned to Mr Hùng, sent to the parties the same day; within the time limit.
    _at(page, dt.datetime(2026, 12, 16, 15, 0))
    _open_tab(page, "decide")
    page.fill("#decide-number", "120/QĐ-UBND")
    page.fill("#decide-signer", "Trần Văn Bình")
    page.locator("#decide-result-partly_right").check()
    page.fill("#decide-money_to_individuals", "85,5")
    page.fill("#decide-individuals_restored", "1")
    page.fill("#decide-sent_to_parties_on", "16/12/2026")
    page.screenshot(path=str(artifacts_dir / "complaint_decision_form.png"), full_page=True)
    page.locator("#form-decide button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("giải quyết đúng thời hạn")
    expect(page.locator("#dossier-status")).to_have_text("Đã giải quyết bằng quyết định")
    expect(page.locator("#dossier-result")).to_have_text("Khiếu nại đúng một phần")
    expect(page.locator("#dossier-in-time")).to_contain_text("Có")
    expect(page.locator("#dossier-results")).to_contain_text("85,5")
    expect(page.locator("#clock-resolution-state")).to_have_text("Đúng hạn")

    page.set_input_files("#dossier-files-input", str(decision_pdf))
    page.locator("#dossier-upload button[type=submit]").click()
    expect(page.locator("#dossier-files")).to_contain_text("qd-120-qd-ubnd.pdf")
    expect(page.locator("#dossier-files")).to_contain_text("Trần Văn Bình")
    timeline = page.locator("#dossier-timeline")
    for text in (
        "Đơn số",
        "chuyển đến Thanh tra tỉnh Đồng Tháp",
        "Thụ lý giải quyết khiếu nại",
        "Tạm đình chỉ",
        "Quyết định giải quyết số 120/QĐ-UBND",
    ):
        expect(timeline).to_contain_text(text)
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_decided.png"), full_page=True)

    page.goto(f"{live_server}/complaints/dossiers/?reset=1")
    row = page.locator("#dossier-table tbody tr").first
    expect(row).to_contain_text("Thanh tra tỉnh Đồng Tháp")
    expect(row).to_contain_text("Khiếu nại đúng một phần")
    expect(row).to_contain_text("Đúng hạn")
    page.screenshot(path=str(artifacts_dir / "complaint_dossier_list.png"), full_page=True)
