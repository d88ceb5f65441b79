"""Browser check (issue 2): a Vietnamese clerk signs in, opens the agency tree from the menu,
sees only their own scope, searches it and opens an agency page (R1–R3, data scope)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.browser.conftest import login_ui

pytestmark = pytest.mark.browser

TREE = "/agencies/tree/"


def open_tree_from_menu(page: Page) -> None:
    """Open the agency tree through the navbar, as a user would."""
    page.locator(f"li.dropdown:has(a[href='{TREE}']) > a.dropdown-toggle").click()
    page.locator(f"a[href='{TREE}']").click()
    expect(page.locator("#agency-tree")).to_be_visible()


def shown(page: Page):
    """The tree lines the user can see."""
    return page.locator("#agency-tree li[role=treeitem]:visible")


def test_clerk_sees_own_board_searches_and_opens_it(
    page: Page, live_server: str, artifacts_dir: Path
):
    login_ui(page, live_server, "caolanh.tcd")
    open_tree_from_menu(page)

    tree = page.locator("#agency-tree")
    expect(tree).to_contain_text("Ban Tiếp công dân thành phố Cao Lãnh")
    expect(tree).not_to_contain_text("Lai Vung")
    expect(page.locator(".agency-superiors")).to_contain_text("Ủy ban nhân dân thành phố Cao Lãnh")
    board = page.locator("li[role=treeitem]", has_text="Ban Tiếp công dân thành phố Cao Lãnh")
    expect(board.locator(".label-success")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "agency_tree_clerk.png"), full_page=True)

    search = page.locator("#agency-search")
    search.press_sequentially("lai vung")
    expect(shown(page)).to_have_count(0)
    expect(page.locator("#agency-tree-empty")).to_be_visible()

    search.fill("")
    search.press_sequentially("cao lanh")
    expect(shown(page)).to_have_count(1)
    expect(board.locator("mark").first).to_have_text("Cao Lãnh")
    expect(page.locator("#agency-search-status")).to_contain_text("1")

    board.locator("a.agency-name").click()
    expect(page.locator("h1")).to_contain_text("Ban Tiếp công dân thành phố Cao Lãnh")
    breadcrumb = page.locator(".agency-breadcrumb")
    expect(breadcrumb).to_contain_text("Ủy ban nhân dân thành phố Cao Lãnh")
    expect(breadcrumb.locator("a", has_text="Ủy ban nhân dân thành phố Cao Lãnh")).to_have_count(0)
    expect(page.locator(".agency-user-count")).to_have_text("1")
    page.screenshot(path=str(artifacts_dir / "agency_page_clerk.png"), full_page=True)


def test_district_admin_filters_collapses_and_uses_the_keyboard(
    page: Page, live_server: str, artifacts_dir: Path
):
    login_ui(page, live_server, "caolanh.quantri")
    page.goto(live_server + TREE)
    expect(page.locator("#agency-tree li[role=treeitem]")).to_have_count(19)
    expect(page.locator("#agency-tree")).not_to_contain_text("Lai Vung")

    search = page.locator("#agency-search")
    search.press_sequentially("my ngai")
    expect(shown(page)).to_have_count(2)
    expect(page.locator("li.agency-match")).to_have_count(1)
    expect(page.locator("li.agency-match .agency-name")).to_have_text("Ủy ban nhân dân Xã Mỹ Ngãi")
    page.screenshot(path=str(artifacts_dir / "agency_tree_search.png"), full_page=True)

    search.press("Escape")
    expect(shown(page)).to_have_count(19 - 1)
    root = page.locator("#agency-tree > li[role=treeitem]")
    root.locator(":scope > .agency-line .agency-toggle").click()
    expect(shown(page)).to_have_count(1)
    expect(root).to_have_attribute("aria-expanded", "false")

    root.focus()
    page.keyboard.press("ArrowRight")
    expect(root).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    focused = page.locator("li[role=treeitem]:focus")
    expect(focused).to_have_count(1)
    name = focused.locator(":scope > .agency-line .agency-name").inner_text()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text(name)


def test_admin_sees_the_province_and_the_2025_succession(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path
):
    from app.agencies.importer import import_agencies
    from app.demo.loader import DATA_DIR
    from app.extensions import db

    with app.app_context():
        import_agencies(DATA_DIR / "dong-thap-2025-agencies.csv", db.session)
        db.session.commit()
        db.session.remove()

    login_ui(page, live_server, "admin")
    page.goto(live_server + TREE)
    items = page.locator("#agency-tree li[role=treeitem]")
    expect(items).to_have_count(227 + 116)
    expect(page.locator("#agency-tree > li[role=treeitem]")).to_have_count(2)
    page.locator("[data-tree-action=collapse]").click()
    expect(shown(page)).to_have_count(2)
    page.locator("[data-tree-action=expand]").click()
    expect(shown(page)).to_have_count(227 + 116)
    page.locator("[data-tree-action=collapse]").click()
    page.locator("#agency-tree > li[role=treeitem] > .agency-line").first.click()
    page.screenshot(path=str(artifacts_dir / "agency_tree_admin.png"), full_page=True)

    page.locator("#agency-search").press_sequentially("tai nguyen")
    name = page.locator("a.agency-name", has_text="Sở Tài nguyên và Môi trường tỉnh Đồng Tháp")
    old_department = page.locator(".agency-line", has=name)
    expect(old_department.locator(".label-warning")).to_be_visible()
    name.click()
    successors = page.locator(".agency-succession").last
    expect(successors).to_contain_text("Sở Nông nghiệp và Môi trường tỉnh Đồng Tháp")
    expect(successors).to_contain_text("01/07/2025")
    page.screenshot(path=str(artifacts_dir / "agency_page_succession.png"), full_page=True)
