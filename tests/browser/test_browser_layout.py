"""Pages fit a 1366×768 office screen (issue 8, ergonomics): the navbar keeps to one line
for the account with the most menus, and the landing page's cards never overlap."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import login_ui

ONE_LINE_NAVBAR = 60  # px: a Bootstrap 3 navbar is 50–52 px high on one line


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 1
        and b["x"] < a["x"] + a["width"] - 1
        and a["y"] < b["y"] + b["height"] - 1
        and b["y"] < a["y"] + a["height"] - 1
    )


def test_navbar_on_one_line_and_home_cards_side_by_side(page: Page, live_server: str):
    login_ui(page, live_server, "admin")
    page.goto(f"{live_server}/")
    assert page.locator(".navbar").first.bounding_box()["height"] < ONE_LINE_NAVBAR
    cards = [card.bounding_box() for card in page.locator(".home-card").all()]
    assert len(cards) >= 2
    assert not [
        (i, j)
        for i, a in enumerate(cards)
        for j, b in enumerate(cards[i + 1 :], i + 1)
        if _overlap(a, b)
    ]
