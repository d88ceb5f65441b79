"""In-app help (R22): from a screen, the Help link opens that screen's section of the
user guide, with its pictures."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import login_ui


def test_the_help_link_opens_the_section_of_the_screen(
    page: Page, live_server: str, artifacts_dir: Path
):
    login_ui(page, live_server, "caolanh.tcd")
    page.goto(f"{live_server}/petitions/intake/")
    page.locator("#help-link").click()
    expect(page).to_have_url(f"{live_server}/guide/tiep-nhan-xu-ly-don#tiep-nhan-don-moi")
    section = page.locator("#tiep-nhan-don-moi")
    expect(section).to_have_text("Tiếp nhận đơn mới")
    expect(section).to_be_in_viewport()
    pictures = page.locator("#guide-page img")
    expect(pictures.first).to_be_visible()
    assert all(
        picture.evaluate("img => img.complete && img.naturalWidth > 0")
        for picture in pictures.all()
    )
    page.screenshot(path=str(artifacts_dir / "guide_help_link.png"))
