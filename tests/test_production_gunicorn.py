"""Production serving: gunicorn with several workers, CSRF on, logs a demo user in (R4).

Gunicorn serves the test database (SQLite or PostgreSQL, whichever the suite runs on),
so the demo accounts exist there. Every worker builds its own app; a session cookie
issued by one worker is honoured by the others.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import DEMO_PASSWORD

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKERS = 3
# Generous: CI machines run other suites in parallel.
REQUEST_TIMEOUT = 60
CLERK = "caolanh.tcd"
CLERK_AGENCY = "Ban Tiếp công dân thành phố Cao Lãnh"
VIETNAMESE_DATE = re.compile(r"ngày \d{2} tháng \d{1,2} năm \d{4}")
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HOME_ACCESS_LINE = re.compile(r'<(\d+)> "GET / HTTP/1\.[01]" 200')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_answering(url: str, process: subprocess.Popen, errors: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{errors.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT) as response:
                if response.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers boot
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer within 90 s:\n{errors.read_text()}")


def _home_pids(access_log: Path) -> set[str]:
    return set(HOME_ACCESS_LINE.findall(access_log.read_text()))


@pytest.mark.slow
def test_gunicorn_serves_a_logged_in_user_from_several_workers(app, tmp_path):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "PORT": str(port),
        "WEB_CONCURRENCY": str(WORKERS),
    }
    with access_log.open("w") as out, error_log.open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "run:app"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=err,
        )
    try:
        _wait_until_answering(f"{base}/login/", process, error_log)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(f"{base}/login/", timeout=REQUEST_TIMEOUT) as response:
            token = CSRF_INPUT.search(response.read().decode()).group(1)
        form = {"username": CLERK, "password": DEMO_PASSWORD, "csrf_token": token}
        with opener.open(
            f"{base}/login/", data=urllib.parse.urlencode(form).encode(), timeout=REQUEST_TIMEOUT
        ) as response:
            assert urllib.parse.urlparse(response.url).path == "/"

        def home() -> str:
            with opener.open(f"{base}/", timeout=REQUEST_TIMEOUT) as response:
                assert response.status == 200
                return response.read().decode()

        with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
            for _ in range(20):
                for page in pool.map(lambda _: home(), range(2 * WORKERS)):
                    assert CLERK_AGENCY in page
                    assert VIETNAMESE_DATE.search(page)
                if len(_home_pids(access_log)) > 1:
                    break
        assert len(_home_pids(access_log)) > 1, "every home page came from one worker"
    finally:
        process.send_signal(signal.SIGTERM)
        returncode = process.wait(timeout=60)
    assert returncode == 0, error_log.read_text()
    assert "Shutting down: Master" in error_log.read_text()
