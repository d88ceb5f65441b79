"""The scheduler inside web processes (SCHEDULER_ENABLED=1): one per process, started by
the first request it serves — never by building the app, as every `flask` command does."""

from __future__ import annotations

import pytest
from flask import Flask

from app.jobs import scheduler as scheduler_module
from app.jobs.scheduler import install_web_scheduler


class FakeScheduler:
    """Stands in for APScheduler: records that it was started."""

    started: list[FakeScheduler] = []

    def start(self) -> None:
        """Record the start."""
        FakeScheduler.started.append(self)


@pytest.fixture
def web(monkeypatch) -> Flask:
    """A bare web app whose scheduler is the fake one."""
    FakeScheduler.started = []
    monkeypatch.setattr(scheduler_module, "build_scheduler", lambda app: FakeScheduler())
    app = Flask("web")
    app.add_url_rule("/", "index", lambda: "ok")
    return app


def test_the_first_request_of_a_web_process_starts_its_scheduler_once(web):
    web.config["SCHEDULER_ENABLED"] = True
    install_web_scheduler(web)
    install_web_scheduler(web)
    assert FakeScheduler.started == []
    client = web.test_client()
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert len(FakeScheduler.started) == 1


def test_without_scheduler_enabled_no_web_process_runs_one(web):
    web.config["SCHEDULER_ENABLED"] = False
    install_web_scheduler(web)
    web.test_client().get("/")
    assert FakeScheduler.started == []
