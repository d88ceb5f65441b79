"""The REST APIs of the reception book and the stored summaries (R7; Luật TCD Art. 25,
R24): a visit is recorded with the reception form's parser and rules (the same Vietnamese
messages, nothing saved on a refusal), read back in the book's order and filtered like
the book; summaries are read with their kind, status and forms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from app.core.actor import SYSTEM_ACTOR, acting_as
from app.core.clock import set_now
from app.extensions import db
from app.petitions.models import ReceptionVisit
from app.reports.models import Summary
from tests.conftest import api_token
from tests.petitions_processing_records import agency
from tests.test_api_scope import visit_body

URL = "/api/v1/reception_visits/"


def clerk(client) -> dict[str, str]:
    set_now(dt.datetime(2026, 11, 27, 16, 0))
    return {"Authorization": f"Bearer {api_token(client, 'caolanh.tcd')}"}


def visits(app) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(ReceptionVisit))
        db.session.remove()
    return found


def test_a_visit_is_recorded_and_read_back(app, client):
    headers = clerk(client)
    created = client.post(URL, json=visit_body(app), headers=headers)
    assert created.status_code == 201, created.get_json()
    result = created.get_json()["result"]
    assert result["received_at"] == "2026-11-25T08:30:00+07:00"
    assert result["agency"]["name"] == "Ban Tiếp công dân thành phố Cao Lãnh"
    assert result["citizens"][0]["full_name"] == "Huỳnh Văn Sáu"
    assert result["people_count"] == 1 and result["first_time"] is True
    shown = client.get(f"{URL}{result['id']}", headers=headers).get_json()["result"]
    assert shown == result
    book = client.get(URL, query_string={"date_from": "25/11/2026"}, headers=headers)
    assert [visit["id"] for visit in book.get_json()["result"]] == [result["id"]]
    later = client.get(URL, query_string={"date_from": "2026-11-26"}, headers=headers)
    assert later.get_json()["count"] == 0


def test_a_visit_breaking_a_rule_is_refused_with_the_forms_messages(app, client):
    headers = clerk(client)
    before = visits(app)
    body = visit_body(app, outcome="guided", outcome_note="", received_at="32/11/2026 08:30")
    body["visitors"][0]["id_number"] = "087 079 00567"
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert errors["received_at"] == ["Ngày giờ không hợp lệ, nhập theo dạng dd/mm/yyyy hh:mm"]
    assert "signatories-0-id_number" in errors
    not_a_list = client.post(URL, json={**visit_body(app), "visitors": "Sáu"}, headers=headers)
    assert not_a_list.get_json()["errors"]["visitors"]
    assert visits(app) == before
    bad_filter = client.get(URL, query_string={"date_to": "hôm qua"}, headers=headers)
    assert bad_filter.status_code == 422 and "date_to" in bad_filter.get_json()["errors"]


def test_a_summary_is_read_with_its_kind_and_status(app, client):
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        summary = Summary(
            kind="monthly",
            series="monthly:2026-10:calendar:test",
            version=1,
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            status="draft",
            agency_id=agency("DT17-UBT").id,
        )
        db.session.add(summary)
        db.session.commit()
        pk = summary.id
        db.session.remove()
    headers = {"Authorization": f"Bearer {api_token(client, 'btcd.giamsat')}"}
    listed = client.get("/api/v1/report_summaries/", headers=headers).get_json()
    assert listed["count"] == 1
    item = listed["result"][0]
    assert (item["id"], item["kind_label"], item["status_label"]) == (
        pk,
        "Tổng hợp tháng",
        "Đã tổng hợp, chưa chốt",
    )
    shown = client.get(f"/api/v1/report_summaries/{pk}", headers=headers).get_json()["result"]
    assert shown["forms"] == [] and shown["period_end"] == "2026-10-31"
