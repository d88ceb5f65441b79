"""Complaint dossiers through the REST API (issue 7, R7, R8): another system reads the
inspectorate's dossiers and takes the steps of a resolution under the screens' rules —
acceptance for resolution starts the 30-day clock and is queued for the national
database, a bad value is refused by field in Vietnamese and saves nothing, a step on a
stale version is a conflict that says what changed meanwhile.

Dates on the 2026 calendar: received Fri 27/11/2026, accepted Tue 01/12/2026 (first
instance, 30 days → Thu 31/12/2026).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.extensions import db
from app.outbox.models import OutboxItem
from tests.conftest import api_token
from tests.petitions_processing_records import freeze
from tests.test_complaints_forms import _dossier_id, _state, _version
from tests.test_complaints_opening import CLERK

API = "/api/v1/complaint_dossier"


def _headers(client) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, CLERK)}"}


def _queued_kinds(app, petition_id: int) -> list[str]:
    with app.app_context():
        kinds = db.session.scalars(
            select(OutboxItem.kind)
            .where(OutboxItem.petition_id == petition_id)
            .order_by(OutboxItem.id)
        ).all()
        db.session.remove()
    return list(kinds)


def test_a_dossier_is_read_and_accepted_for_resolution_through_the_api(app, client):
    pk = _dossier_id(app, "pending")
    headers = _headers(client)

    listing = client.get(f"{API}/", headers=headers, query_string={"status": "pending"})
    assert listing.status_code == 200
    [summary] = [row for row in listing.get_json()["result"] if row["id"] == pk]
    assert (summary["status_label"], summary["complainant"]) == ("Chờ thụ lý", "Nguyễn Văn Hùng")
    detail = client.get(f"{API}/{pk}", headers=headers).get_json()
    assert detail["clocks"]["acceptance"]["due"] == "2026-12-08"  # 7 working days
    assert detail["clocks"]["resolution"]["state"] == "not_started"

    freeze(dt.datetime(2026, 12, 1, 9))
    accepted = client.post(
        f"{API}/{pk}/accept",
        headers=headers,
        json={
            "version_id": _version(app, pk),
            "accepted_on": "01/12/2026",
            "notice_number": "15/TB-TTT",
        },
    )
    assert accepted.status_code == 200, accepted.get_json()
    body = accepted.get_json()
    assert (body["status"], body["accepted_on"], body["resolution_due"]) == (
        "accepted",
        "2026-12-01",
        "2026-12-31",
    )
    assert body["clocks"]["acceptance"]["state"] == "met"
    assert "hạn Thứ Năm 31/12/2026" in body["clocks"]["resolution"]["explanation"]
    assert _queued_kinds(app, body["petition_id"])[-1] == "acceptance_decision"


def test_a_bad_value_is_refused_by_field_and_saves_nothing(app, client):
    pk = _dossier_id(app, "accepted")
    headers = _headers(client)
    before = _state(app, pk)

    refused = client.post(
        f"{API}/{pk}/decide",
        headers=headers,
        json={"version_id": _version(app, pk), "decided_on": "31/02/2026"},
    )

    assert refused.status_code == 422
    assert refused.get_json()["code"] == "validation_failed"
    assert refused.get_json()["errors"]["decided_on"] == [
        "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy"
    ]
    assert _state(app, pk) == before
    unknown = client.post(f"{API}/{pk}/xoa", headers=headers, json={"version_id": 1})
    assert unknown.status_code == 404 and _state(app, pk) == before


def test_a_step_on_a_stale_version_says_what_changed_meanwhile(app, client):
    pk = _dossier_id(app, "pending")
    headers = _headers(client)
    read_version = _version(app, pk)
    freeze(dt.datetime(2026, 12, 1, 9))
    client.post(
        f"{API}/{pk}/accept",
        headers=headers,
        json={"version_id": read_version, "accepted_on": "01/12/2026", "notice_number": "15/TB"},
    )
    after_accept = _state(app, pk)

    stale = client.post(
        f"{API}/{pk}/step",
        headers=headers,
        json={"version_id": read_version, "kind": "dialogue", "on": "02/12/2026"},
    )

    assert stale.status_code == 409
    message = stale.get_json()["message"]
    assert stale.get_json()["code"] == "conflict"
    assert "Hồ sơ đã được người khác cập nhật sau khi bạn mở" in message
    assert "ttt.chuyenvien đã sửa" in message
    assert "Trạng thái: Chờ thụ lý → Đã thụ lý, đang giải quyết" in message
    assert _state(app, pk) == after_accept
