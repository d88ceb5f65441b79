"""The clerk records a citizen reception visit in the browser, in Vietnamese: a known
citizen found as they type, a new one typed in, the L136 warning when a reception by the
head is delegated after 01/07/2026, then the visit in the book and on its page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from app.core.clock import set_now
from app.extensions import db
from tests import petition_records as records
from tests.browser.conftest import login_ui

pytestmark = pytest.mark.browser


def test_clerk_records_a_visit_with_a_known_and_a_new_citizen(app, page: Page, live_server):
    set_now(dt.datetime(2026, 11, 27, 15, 0))
    with app.app_context():
        records.citizen()
        db.session.commit()
        db.session.remove()
    login_ui(page, live_server, "caolanh.tcd")
    page.goto(f"{live_server}/reception/new")
    expect(page.locator("h1")).to_have_text("Ghi lượt tiếp công dân")

    page.fill("#citizen_search", "nguyen hung")
    page.locator("#citizen_search-list [role=option]").first.click()
    chosen = page.locator(".reception-visitor").first
    expect(chosen.locator("[data-slot=label]")).to_have_text("Nguyễn Văn Hùng")
    expect(chosen.locator("[data-slot=hint]")).to_contain_text("087078001234")

    page.click("#add-visitor")
    new = page.locator(".reception-visitor").nth(1)
    new.locator("input[name$='-full_name']").fill("Trần Thị Lan")
    new.locator("input[name$='-id_number']").fill("087185004321")
    new.locator("input[name$='-commune_label']").fill("my ngai")
    new.locator("[role=option]").first.click()
    new.locator("input[name$='-address_detail']").fill("Ấp 3")

    page.select_option("#reception_type", "leader_adhoc")
    page.fill("#official_name", "Trần Văn Bình")
    warning = page.locator("#delegation-warning")
    expect(warning).to_be_hidden()
    page.check("#delegated")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Luật số 136/2025/QH15")

    page.fill("#matter_summary", "Hai hộ dân khiếu nại mức bồi thường khi thu hồi đất khóm 3")
    page.select_option("#outcome", "petition_received")
    page.click("#reception-form [type=submit]")

    expect(page.locator(".alert-success")).to_contain_text("Đã ghi lượt tiếp vào sổ")
    citizens = page.locator("#visit-citizens")
    expect(citizens).to_contain_text("Nguyễn Văn Hùng")
    expect(citizens).to_contain_text("Trần Thị Lan")
    expect(citizens).to_contain_text("Ấp 3, Phường Mỹ Ngãi")
    expect(page.locator("#receive-from-visit")).to_have_text("Tiếp nhận đơn từ lượt tiếp này")

    page.goto(f"{live_server}/reception/book/")
    book = page.locator("#reception-book")
    expect(book).to_contain_text("Trần Văn Bình (được Thủ trưởng ủy quyền tiếp)")
    expect(book).to_contain_text("Tiếp nhận đơn — tiếp lần đầu")
