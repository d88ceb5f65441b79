"""Browser checks of the security controls (issue 7, R11, R23).

- An administrator resets a clerk's password; the clerk signs in with it and is led to
  choose their own password before anything else, then works on.
- Five wrong passwords lock the account: the sign-in page says until when, in Vietnamese.

Every page visited must satisfy the content security policy: the page fixture fails the
test on any console error, which is how the browser reports a blocked script.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.core.clock import set_now
from tests.browser.conftest import login_ui
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

TEMPORARY = "TamThoi#SenHong2026"
OWN = "CauCaoLanh@Moi2026"


def _account_id(app, username: str) -> int:
    from app.extensions import db

    with app.app_context():
        user_id = app.appbuilder.sm.find_user(username=username).id
        db.session.remove()
    return user_id


def test_a_password_reset_by_the_admin_must_be_changed_at_the_next_sign_in(
    app, page: Page, live_server: str, artifacts_dir: Path
):
    clerk_id = _account_id(app, "ttt.chuyenvien")
    login_ui(page, live_server, "admin")
    page.goto(f"{live_server}/resetpassword/form?pk={clerk_id}")
    page.fill("#password", TEMPORARY)
    page.fill("#conf_password", TEMPORARY)
    page.locator("form [type=submit]").first.click()
    expect(page.locator(".alert")).to_contain_text("người dùng phải tự đặt mật khẩu mới")
    page.goto(f"{live_server}/logout/")

    login_ui(page, live_server, "ttt.chuyenvien", TEMPORARY)
    expect(page).to_have_url(f"{live_server}/resetmypassword/form")
    expect(page.locator(".alert")).to_contain_text("Mật khẩu của bạn do quản trị viên đặt")
    page.goto(f"{live_server}/petitions/list/")
    expect(page).to_have_url(f"{live_server}/resetmypassword/form")
    page.screenshot(path=str(artifacts_dir / "security_forced_password_change.png"), full_page=True)

    page.fill("#current_password", TEMPORARY)
    page.fill("#password", "ttt.chuyenvien2026")
    page.fill("#conf_password", "ttt.chuyenvien2026")
    page.locator("form [type=submit]").first.click()
    expect(page.locator("form")).to_contain_text("Mật khẩu không được chứa tên đăng nhập")

    page.fill("#current_password", TEMPORARY)
    page.fill("#password", OWN)
    page.fill("#conf_password", OWN)
    page.locator("form [type=submit]").first.click()
    expect(page.locator(".alert-info")).to_contain_text("Đã đổi mật khẩu của bạn")
    page.goto(f"{live_server}/petitions/list/")
    expect(page).to_have_url(f"{live_server}/petitions/list/")


def test_five_wrong_passwords_show_the_lockout_message(
    page: Page, live_server: str, artifacts_dir: Path
):
    set_now(dt.datetime(2026, 3, 9, 8, 0))
    page.goto(f"{live_server}/login/")
    for _ in range(5):
        page.fill("#username", "caolanh.tcd")
        page.fill("#password", "SaiMatKhau@2026")
        page.click("form[name=login] [type=submit]")
        page.wait_for_load_state("domcontentloaded")
    alert = page.locator(".alert")
    expect(alert).to_contain_text("tài khoản bị tạm khóa đến 08:15 09/03/2026")
    page.screenshot(path=str(artifacts_dir / "security_lockout.png"), full_page=True)

    page.fill("#username", "caolanh.tcd")
    page.fill("#password", DEMO_PASSWORD)
    page.click("form[name=login] [type=submit]")
    page.wait_for_load_state("domcontentloaded")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator(".alert")).to_contain_text("tạm khóa đến 08:15 09/03/2026")


def test_the_api_documentation_page_runs_under_the_policy(page: Page, live_server: str):
    """Swagger UI (served locally) runs its scripts under the CSP: no console error."""
    login_ui(page, live_server, "admin")
    page.goto(f"{live_server}/swagger/v1")
    expect(page.locator("#swagger-ui .information-container")).to_be_visible(timeout=15000)
