"""Pages print cleanly (issue 8, ergonomics; app/static/css/donthu.css ``@media print``):
in print media the navbar, buttons, filter forms and pagination are hidden, the main
table is shown in full width with borders, links print no URL; the petition page fits
A4 portrait. Chromium prints each page to PDF and a print-media screenshot is kept in
tests/artifacts/print_*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.extensions import db
from tests import tasks_records
from tests.browser.conftest import login_ui
from tests.petitions_processing_records import FLOOD_RECOMMENDATION, freeze, received_petition
from tests.test_complaints_opening import CLERK, complaint_dossier

pytestmark = pytest.mark.browser

A4_PORTRAIT_WIDTH = 794  # CSS px at 96 dpi
HIDDEN_IN_PRINT = (".navbar", ".btn", ".pagination", "form .form-group")


def _check_print(page: Page, url: str, table: str, shot: Path, *, wide: bool = False) -> None:
    page.emulate_media(media="screen")
    page.goto(url)
    expect(page.locator(".navbar").first).to_be_visible()
    page.emulate_media(media="print")
    for selector in HIDDEN_IN_PRINT:
        for element in page.locator(selector).all():
            expect(element).to_be_hidden()
    main = page.locator(table).first
    expect(main).to_be_visible()
    style = main.evaluate(
        "t => { const s = getComputedStyle(t.querySelector('td, th'));"
        " return [s.borderTopStyle, s.borderTopWidth]; }"
    )
    assert style[0] == "solid" and style[1] != "0px", f"{table}: cells print with borders"
    link_after = page.evaluate(
        "() => { const a = document.querySelector('a[href]');"
        " return a ? getComputedStyle(a, '::after').content : 'none'; }"
    )
    assert link_after in ("none", "normal"), "links do not print their URL"
    page.screenshot(path=str(shot), full_page=True)
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    if not wide:
        page.set_viewport_size({"width": A4_PORTRAIT_WIDTH, "height": 1123})
        overflow = main.evaluate("t => t.scrollWidth - t.parentElement.clientWidth")
        assert overflow <= 1, f"{table} is cut off on A4 portrait by {overflow}px"
        page.set_viewport_size({"width": 1366, "height": 768})
    page.emulate_media(media="screen")


def test_petition_dossier_task_and_list_pages_print_cleanly(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path
):
    with app.app_context():
        freeze()
        petition = received_petition(matter=FLOOD_RECOMMENDATION)
        petition_id = petition.id
        dossier_id = complaint_dossier().id
        task_id = tasks_records.enter_document().tasks[0].id
        db.session.commit()
        db.session.remove()

    login_ui(page, live_server, "caolanh.tcd")
    _check_print(
        page,
        f"{live_server}/petitions/{petition_id}",
        ".petition-signatories",
        artifacts_dir / "print_petition.png",
    )
    _check_print(
        page,
        f"{live_server}/petitions/list/",
        "#petition-table",
        artifacts_dir / "print_petition_list.png",
        wide=True,
    )
    page.goto(f"{live_server}/logout/")
    login_ui(page, live_server, CLERK)
    _check_print(
        page,
        f"{live_server}/complaints/dossiers/{dossier_id}",
        "#dossier-complainants",
        artifacts_dir / "print_dossier.png",
    )
    page.goto(f"{live_server}/logout/")
    login_ui(page, live_server, "vpub.nhiemvu")
    _check_print(
        page,
        f"{live_server}/tasks/{task_id}",
        "table",
        artifacts_dir / "print_task.png",
    )
