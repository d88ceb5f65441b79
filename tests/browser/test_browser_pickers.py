"""Every select2 picker takes the keyboard when it opens, FAB's own included (issue 8):
on the account form the administrator opens the role and agency pickers with the
keyboard, types, and Enter chooses."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import login_ui


def test_fab_pickers_on_the_account_form_are_used_with_the_keyboard(page: Page, live_server: str):
    login_ui(page, live_server, "admin")
    page.goto(f"{live_server}/users/add")

    roles = page.locator("#roles + .select2 .select2-search__field")
    roles.focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".select2-results")).to_be_visible()
    page.keyboard.type("xử lý đơn")
    expect(page.locator(".select2-results__option--highlighted")).to_have_text(
        "Chuyên viên xử lý đơn"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#roles + .select2 .select2-selection__choice")).to_contain_text(
        "Chuyên viên xử lý đơn"
    )

    agency = page.locator("#agency + .select2 .select2-selection")
    agency.focus()
    page.keyboard.press("Enter")
    search = page.locator(".select2-container--open .select2-search__field")
    expect(search).to_be_focused()
    page.keyboard.type("Thanh tra tỉnh")
    expect(page.locator(".select2-results__option--highlighted")).to_contain_text("Thanh tra tỉnh")
    page.keyboard.press("Enter")
    expect(agency).to_contain_text("Thanh tra tỉnh")
