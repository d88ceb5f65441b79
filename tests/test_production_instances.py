"""More than one server (issue 7): two whole instances of the application, each its own
gunicorn on its own port, on one database and one shared file store.

A clerk who logs in on one instance is logged in on the other (the session lives in the
signed cookie, both instances share SECRET_KEY); a file uploaded through one is served by
the other (UPLOAD_FOLDER on storage both see); both run the scheduler in their web
processes (SCHEDULER_ENABLED) and each scheduled occurrence still runs once.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import JobRun
from app.jobs.registry import JOBS
from tests import petition_records as records
from tests import sample_files as samples
from tests.conftest import DEMO_PASSWORD
from tests.test_production_gunicorn import (
    CSRF_INPUT,
    PROJECT_DIR,
    REQUEST_TIMEOUT,
    _free_port,
    _wait_until_answering,
)

CLERK = "caolanh.tcd"
CLERK_AGENCY = "Ban Tiếp công dân thành phố Cao Lãnh"
DOWNLOAD_LINK = re.compile(r'href="(/files/\d+/download)"')


class Instance:
    """One gunicorn instance of the application (one worker) on a free loopback port."""

    def __init__(self, name: str, env: dict[str, str], logs: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = logs / f"{name}.log"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "run:app"],
                cwd=PROJECT_DIR,
                env={**env, "PORT": str(self.port), "WEB_CONCURRENCY": "1"},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f"filename*=UTF-8''{urllib.parse.quote(filename)}; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _read(opener, url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with opener.open(request, timeout=REQUEST_TIMEOUT) as response:
        return response.url, response.read()


def _petition_of_the_clerk(app) -> int:
    with app.app_context():
        petition = records.petition(register_number=4711)
        db.session.commit()
        pk = petition.id
        db.session.remove()
    return pk


def _runs_per_occurrence(app) -> tuple[dict[tuple[str, str], int], int]:
    """Runs of each (job, occurrence), and how many runs have finished."""
    with app.app_context():
        rows = db.session.execute(
            select(JobRun.job, JobRun.occurrence, func.count(JobRun.id)).group_by(
                JobRun.job, JobRun.occurrence
            )
        ).all()
        finished = db.session.scalar(
            select(func.count(JobRun.id)).where(JobRun.finished_at.is_not(None))
        )
        db.session.remove()
    return {(job, occurrence): count for job, occurrence, count in rows}, finished


@pytest.mark.slow
def test_two_instances_share_sessions_files_and_run_each_job_once(app, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("several instances run on PostgreSQL; SQLite takes one writer at a time")
    pk = _petition_of_the_clerk(app)
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": str(tmp_path / "shared-files"),
        "SCHEDULER_ENABLED": "1",
    }
    first, second = Instance("first", env, tmp_path), Instance("second", env, tmp_path)
    try:
        for instance in (first, second):
            _wait_until_answering(f"{instance.base}/login/", instance.process, instance.log)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

        # Logged in on the first instance, recognised by the second.
        _url, page = _read(opener, f"{first.base}/login/")
        form = {
            "username": CLERK,
            "password": DEMO_PASSWORD,
            "csrf_token": CSRF_INPUT.search(page.decode()).group(1),
        }
        url, _page = _read(opener, f"{first.base}/login/", urllib.parse.urlencode(form).encode())
        assert urllib.parse.urlparse(url).path == "/"
        _url, home = _read(opener, f"{second.base}/")
        assert CLERK_AGENCY in home.decode()

        # A file uploaded through the first instance is downloaded from the second.
        _url, documents = _read(opener, f"{first.base}/petitions/{pk}/documents")
        token = CSRF_INPUT.search(documents.decode()).group(1)
        content = samples.minimal_pdf()
        body, content_type = _multipart(
            {"csrf_token": token}, {"files": ("Biên bản làm việc.pdf", content)}
        )
        _read(
            opener,
            f"{first.base}/petitions/{pk}/attachments",
            body,
            {"Content-Type": content_type},
        )
        _url, documents = _read(opener, f"{second.base}/petitions/{pk}/documents")
        [link] = DOWNLOAD_LINK.findall(documents.decode())
        _url, downloaded = _read(opener, f"{second.base}{link}")
        assert downloaded == content

        # Both schedulers caught up at their first request: each occurrence ran once.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            runs, finished = _runs_per_occurrence(app)
            if len(runs) >= len(JOBS) and finished >= len(runs):
                break
            time.sleep(1)
        assert {job for job, _occurrence in runs} == set(JOBS)
        assert set(runs.values()) == {1}
        assert finished == len(runs)
    finally:
        codes = [instance.stop() for instance in (first, second)]
    assert codes == [0, 0], first.log.read_text() + second.log.read_text()
