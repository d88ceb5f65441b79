"""Browser tests: the session app served live, driven by Debian's Chromium through Playwright.

The live server serves the same app and database as the other tests, so the per-test
database reset applies. A test fails on any console error, page error or request to a host
other than the live server (every asset is local). Browser tests are never skipped: without
Chromium they fail and say how to install it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # The browser's own texts (the file input's "Chọn tệp") in Vietnamese, as users see
    # them; Linux Chromium also reads LANGUAGE (CHROMIUM_ENV) and needs chromium-l10n.
    "--lang=vi",
]
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "vi"}
VIEWPORT = {"width": 1366, "height": 768}


class QuietHandler(WSGIRequestHandler):
    """Request handler that keeps the test output free of access-log lines."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Access lines are not logged; errors still are."""


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """Base URL of the session app served by werkzeug in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium; a missing Chromium fails the test (never a skip)."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium.sh "
            "(browser tests are never skipped).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A fresh Vietnamese browser page (1366×768); the test fails on any browser error."""
    context = browser.new_context(viewport=VIEWPORT, locale="vi-VN", base_url=live_server)
    problems: list[str] = []
    local_host = urlsplit(live_server).netloc

    def only_local(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == local_host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            problems.append(f"request to another host: {url}")
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    context.close()
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


def login_ui(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would; fails if the form refuses."""
    page.goto(f"{base_url}/login/")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[name=login] [type=submit]")
    page.wait_for_load_state("domcontentloaded")
    assert "/login" not in page.url, f"login of {username} refused"
