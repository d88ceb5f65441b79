"""What the Board reads on the summaries and dashboard pages (R8, R24), for the mistakes the
browser walk (tests/browser/test_browser_reports.py) showed: names in Vietnamese order,
the summaries' columns named in Vietnamese for what they hold, the dashboard's default
period of twelve months, subject areas told apart by the kind of petition they serve."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.core.clock import set_now
from app.reports.dashboard_views import default_start
from tests.conftest import login

FEBRUARY = (dt.date(2025, 2, 1), dt.date(2025, 2, 28))


def _compiled_province_month(app: Flask) -> int:
    """A compiled (draft) February 2025 summary of the province, without files."""
    from app.agencies.models import Agency
    from app.extensions import db
    from app.reports.models import DRAFT, MONTHLY, Summary

    set_now(dt.datetime(2025, 3, 2, 9, 0))
    with app.app_context():
        province = db.session.scalar(select(Agency).where(Agency.code == "DT17-UBT"))
        summary = Summary(
            kind=MONTHLY,
            series=f"monthly:2025-02-01:2025-02-28:calendar:{province.id}",
            period_start=FEBRUARY[0],
            period_end=FEBRUARY[1],
            rule="calendar",
            agency_id=province.id,
            status=DRAFT,
            compiled_at=dt.datetime(2025, 3, 1, 1, 0, tzinfo=dt.UTC),
        )
        db.session.add(summary)
        db.session.commit()
        pk = summary.id
        db.session.remove()
    return pk


def test_who_froze_a_summary_is_named_family_name_first(app: Flask, client: FlaskClient):
    pk = _compiled_province_month(app)
    login(client, "btcd.giamsat")
    page = client.post(f"/reports/summaries/{pk}/freeze", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "Bản tổng hợp đã được chốt" in text
    frozen = text[text.index('id="summary-frozen"') :]
    assert "Lê Minh Tâm" in frozen[:200]
    assert "Tâm Lê Minh" not in text


def test_the_summaries_list_names_its_kind_column_for_summaries(app: Flask, client: FlaskClient):
    _compiled_province_month(app)
    login(client, "btcd.giamsat")
    text = client.get("/reports/summaries/").get_data(as_text=True)
    header = text[text.index('id="summaries"') : text.index("</thead>")]
    assert "<th>Loại tổng hợp</th>" in header
    assert "Loại cơ quan" not in header
    assert "Tổng hợp tháng" in text


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (dt.date(2025, 3, 1), dt.date(2024, 4, 1)),
        (dt.date(2024, 12, 31), dt.date(2024, 1, 1)),
        (dt.date(2025, 1, 15), dt.date(2024, 2, 1)),
        (dt.date(2024, 11, 30), dt.date(2023, 12, 1)),
    ],
)
def test_the_default_period_is_this_month_and_the_eleven_before(today, first) -> None:
    assert default_start(today) == first


def test_the_dashboard_opens_on_twelve_months(client: FlaskClient):
    set_now(dt.datetime(2025, 3, 1, 8, 0))
    login(client, "btcd.giamsat")
    text = client.get("/reports/dashboard/").get_data(as_text=True)
    assert "Ủy ban nhân dân tỉnh Đồng Tháp · 01/04/2024 – 01/03/2025" in text


def _area_id(code: str) -> int:
    from app.extensions import db
    from app.petitions.models import SubjectArea

    return db.session.scalar(select(SubjectArea.id).where(SubjectArea.code == code))


def _payload(text: str) -> dict[str, dict]:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', text)
    return {chart["id"]: chart for chart in json.loads(html.unescape(found.group(1)))}


def _area_counts(client: FlaskClient) -> dict[str, int]:
    text = client.get("/reports/dashboard/?start=01/11/2026&end=27/11/2026").get_data(as_text=True)
    areas = _payload(text)["petitions-area"]
    counts = dict(zip(areas["labels"], areas["datasets"][0]["data"], strict=True))
    assert len(counts) == len(areas["labels"]), areas["labels"]
    return counts


def test_subject_areas_of_the_same_name_are_told_apart_by_kind(app: Flask, client: FlaskClient):
    """ "Chế độ, chính sách" is an area of complaints and one of recommendations."""
    from app.extensions import db
    from tests import petition_records as records

    set_now(dt.datetime(2026, 11, 27, 15, 0))
    login(client, "btcd.giamsat")
    before = _area_counts(client)
    with app.app_context():
        records.petition(subject_area_id=_area_id("kn_chinh_sach"))
        records.petition(
            kind="recommendation",
            subject_area_id=_area_id("kp_chinh_sach"),
            summary="Kiến nghị xem xét chế độ hỗ trợ người có công tại khóm 2, Phường 1",
        )
        db.session.commit()
        db.session.remove()
    after = _area_counts(client)
    for label in ("Chế độ, chính sách (Khiếu nại)", "Chế độ, chính sách (Kiến nghị)"):
        assert after[label] == before.get(label, 0) + 1


def test_an_ad_hoc_summary_is_not_frozen(app: Flask, client: FlaskClient):
    """R24: freezing is for a month, which is compiled again; an ad hoc summary never is."""
    from app.agencies.models import Agency
    from app.extensions import db
    from app.reports.models import DRAFT, Summary

    set_now(dt.datetime(2025, 3, 2, 9, 0))
    with app.app_context():
        province = db.session.scalar(select(Agency).where(Agency.code == "DT17-UBT"))
        summary = Summary(
            kind="adhoc",
            series="adhoc:first-quarter-review",
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 2, 28),
            agency_id=province.id,
            status=DRAFT,
        )
        db.session.add(summary)
        db.session.commit()
        pk = summary.id
        db.session.remove()
    login(client, "btcd.giamsat")
    page = client.get(f"/reports/summaries/{pk}").get_data(as_text=True)
    assert "Tổng hợp đột xuất" in page
    assert 'id="freeze"' not in page
    refused = client.post(f"/reports/summaries/{pk}/freeze", follow_redirects=True)
    assert "Chỉ chốt bản tổng hợp tháng" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Summary, pk).status == DRAFT
        db.session.remove()


def test_the_ranking_lists_the_agencies_too_few_to_rank_apart(app: Flask, client: FlaskClient):
    """R26: the ranked agencies in the table; those below the minimum of tasks in a
    section of their own, folded, with how many they are."""
    from app.demo.generate import generate_petitions
    from app.demo.generate_oversight import generate_oversight
    from app.extensions import db

    set_now(dt.datetime(2025, 3, 1, 0, 30))
    with app.app_context():
        generate_petitions(db.session, 400, seed=6)
        generate_oversight(db.session, tasks=2000, seed=6, today=dt.date(2025, 3, 1))
        db.session.remove()
    set_now(dt.datetime(2025, 3, 3, 8, 0))
    login(client, "btcd.giamsat")
    text = client.get("/reports/ranking/").get_data(as_text=True)
    assert "01/02/2025 – 28/02/2025" in text
    ranked = text[text.index('id="ranking"') : text.index("</table>", text.index('id="ranking"'))]
    assert ranked.count("ranking-rank") > 0
    assert "ranking-unranked" not in ranked
    folded = text[text.index('id="ranking-unranked"') : text.index("</details>")]
    too_few = folded.count('class="ranking-unranked"')
    assert too_few > 0
    assert (
        f"Chưa đủ số liệu để xếp hạng: {too_few} cơ quan (dưới 5 nhiệm vụ phải thực hiện)" in folded
    )
    assert "<details" in text[text.index('id="ranking-unranked"') - 80 :][:100]


def _count_in(text: str, pattern: str) -> int:
    found = re.search(pattern, text, re.S)
    assert found, pattern
    return int(found.group(1).replace(".", ""))


def test_the_dashboard_charts_open_the_dossier_and_overdue_task_lists(
    app: Flask, client: FlaskClient
):
    """R8, R25: a slice of the dossiers opens the complaint dossier list; the tasks of an
    overdue bar open that agency's overdue tasks, as many as the bar shows, and the tile
    counts the tasks overdue as the overdue list does."""
    from app.demo.generate import generate_petitions
    from app.demo.generate_oversight import generate_oversight
    from app.extensions import db

    set_now(dt.datetime(2025, 3, 1, 0, 30))
    with app.app_context():
        generate_petitions(db.session, 400, seed=6)
        generate_oversight(db.session, tasks=600, seed=6, today=dt.date(2025, 3, 1))
        db.session.remove()
    set_now(dt.datetime(2025, 3, 3, 8, 0))
    login(client, "btcd.giamsat")
    text = client.get("/reports/dashboard/").get_data(as_text=True)
    charts = _payload(text)

    dossiers = charts["dossiers-status"]["datasets"][0]
    assert dossiers["links"], "no dossier in the period"
    for link in dossiers["links"]:
        assert link.startswith("/complaints/dossiers/?status=")
        assert client.get(link).status_code == 200

    overdue = charts["overdue-agency"]["datasets"][0]
    shown = [(n, link) for n, link in zip(overdue["data"], overdue["links"], strict=True) if n]
    assert shown, "no task overdue"
    for number, link in shown[:4]:
        assert link.startswith("/tasks/overdue/?agency=")
        listed = client.get(link).get_data(as_text=True)
        assert _count_in(listed, r"<strong>([\d.]+) nhiệm vụ</strong>") == number
    everything = client.get("/tasks/overdue/?reset=1").get_data(as_text=True)
    tile = _count_in(text, r'id="total-overdue_tasks">.*?dashboard-tile-value">([\d.]+)<')
    assert tile == _count_in(everything, r"<strong>([\d.]+) nhiệm vụ</strong>")
