"""Costly figures kept for FIGURE_CACHE_SECONDS and shared by every user of the same data
scope and every instance (app.figures; issue 7 load, "More than one server")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.core.clock import set_now
from app.figures.cache import cached, figure_key
from tests.conftest import login

PERIOD = "/reports/dashboard/?start=01/11/2026&end=27/11/2026"


@pytest.fixture
def cache_on(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "FIGURE_CACHE_SECONDS", 300)


def _petitions_tile(client: FlaskClient) -> tuple[int, str]:
    text = client.get(PERIOD).get_data(as_text=True)
    tile = re.search(r'id="total-petitions">.*?dashboard-tile-value">([\d.]+)<', text, re.S)
    counted = re.search(r'id="dashboard-computed-at">Số liệu tính lúc ([^<]+)\.<', text)
    return int(tile.group(1).replace(".", "")), counted.group(1)


def _receive_one(app: Flask) -> None:
    from app.extensions import db
    from tests import petition_records as records

    with app.app_context():
        records.petition()
        db.session.commit()
        db.session.remove()


def test_the_dashboard_reuses_its_figures_for_five_minutes_then_counts_again(
    app: Flask, client: FlaskClient, cache_on: None
):
    set_now(dt.datetime(2026, 11, 27, 15, 0))
    login(client, "btcd.giamsat")
    before, counted = _petitions_tile(client)
    assert counted == "27/11/2026 15:00"
    _receive_one(app)
    set_now(dt.datetime(2026, 11, 27, 15, 4))
    assert _petitions_tile(client) == (before, "27/11/2026 15:00")
    set_now(dt.datetime(2026, 11, 27, 15, 6))
    assert _petitions_tile(client) == (before + 1, "27/11/2026 15:06")


def test_users_of_the_same_scope_share_the_figures_and_others_do_not(
    app: Flask, client: FlaskClient, cache_on: None
):
    set_now(dt.datetime(2026, 11, 27, 15, 0))
    login(client, "btcd.giamsat")
    before, _ = _petitions_tile(client)
    _receive_one(app)
    client.get("/logout/")
    login(client, "admin")  # sees the whole province too: the figures counted at 15:00
    assert _petitions_tile(client) == (before, "27/11/2026 15:00")
    client.get("/logout/")
    login(client, "lanhdao.tinh")  # the Provincial PC's subtree: a scope of its own
    assert _petitions_tile(client) == (before + 1, "27/11/2026 15:00")


def test_a_figure_is_computed_once_while_fresh(app: Flask, cache_on: None):
    calls = []

    def compute() -> dict[str, int]:
        calls.append(1)
        return {"petitions": 41 + len(calls)}

    key = figure_key("test", 866, "2026-11")
    with app.app_context():
        set_now(dt.datetime(2026, 11, 27, 8, 0))
        assert cached(key, compute)[0] == {"petitions": 42}
        set_now(dt.datetime(2026, 11, 27, 8, 4, 59))
        assert cached(key, compute)[0] == {"petitions": 42}
        set_now(dt.datetime(2026, 11, 27, 8, 5))
        assert cached(key, compute)[0] == {"petitions": 43}
    assert len(calls) == 2
    assert figure_key("test", 866, "2026-11") != figure_key("test", 867, "2026-11")


def test_a_large_list_total_is_counted_once_while_fresh_and_a_small_one_always(
    app: Flask, client: FlaskClient, cache_on: None, monkeypatch: pytest.MonkeyPatch
):
    """app.figures.counts: the petition list's total is exact up to EXACT_UP_TO (here 2);
    above it, the count of the last five minutes for the same list."""
    from app.figures import counts

    monkeypatch.setattr(counts, "EXACT_UP_TO", 2)
    set_now(dt.datetime(2026, 11, 27, 15, 0))
    for _ in range(3):
        _receive_one(app)
    login(client, "btcd.giamsat")

    def total(query: str) -> int:
        text = client.get(f"/petitions/list/?{query}").get_data(as_text=True)
        return int(re.search(r'id="list-total"[^>]*>\s*([\d.]+)', text).group(1).replace(".", ""))

    every = total("psize=20")
    _receive_one(app)
    assert total("psize=20") == every  # above 2: counted at 15:00
    set_now(dt.datetime(2026, 11, 27, 15, 5))
    assert total("psize=20") == every + 1


def test_a_small_count_is_always_exact(app: Flask, cache_on: None):
    from sqlalchemy import select

    from app.extensions import db
    from app.figures.counts import count_rows
    from app.petitions.models import Petition

    set_now(dt.datetime(2026, 11, 27, 15, 0))
    query = select(Petition.id).where(Petition.deleted_at.is_(None))
    with app.app_context():
        before = count_rows(db.session, query)
        db.session.remove()
    _receive_one(app)
    with app.app_context():
        assert count_rows(db.session, query) == before + 1


def test_a_figure_about_many_rows_is_reused_and_one_about_few_is_not(
    app: Flask, cache_on: None, monkeypatch: pytest.MonkeyPatch
):
    """exact_or_recent (the task lists' status chips and agency filter): computed on
    every call for at most EXACT_UP_TO rows, reused for five minutes above."""
    from sqlalchemy import select

    from app.agencies.models import Agency
    from app.extensions import db
    from app.figures import counts

    monkeypatch.setattr(counts, "EXACT_UP_TO", 3)
    set_now(dt.datetime(2026, 11, 27, 15, 0))
    calls: list[str] = []

    def figure(name: str):
        def compute() -> int:
            calls.append(name)
            return len(calls)

        return compute

    many = select(Agency.id)
    few = select(Agency.id).where(Agency.code == "DT17-866-TCD")
    with app.app_context():
        for _ in range(2):
            counts.exact_or_recent(db.session, many, "many", figure("many"))
            counts.exact_or_recent(db.session, few, "few", figure("few"))
    assert calls == ["many", "few", "few"]
