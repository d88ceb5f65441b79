"""Processing and forwarding over REST (R7): the same rules and refusals as the screens."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.petitions.models import Petition, PetitionTransfer
from tests.conftest import api_token
from tests.petitions_processing_records import (
    FLOOD_RECOMMENDATION,
    PROVINCIAL_INSPECTORATE,
    agency,
    freeze,
    reason,
    received_petition,
)

URL = "/api/v1/petition_processing"


def _headers(client, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, username)}"}


def _setup(app) -> dict:
    with app.app_context():
        freeze()
        petition = received_petition(matter=FLOOD_RECOMMENDATION)
        values = {
            "pk": petition.id,
            "body": {
                "version_id": petition.version_id,
                "eligible": True,
                "competent": False,
                "outcome": "forwarded",
                "reason_id": reason("kien_nghi_ngoai_tham_quyen").id,
                "note": "Chuyển Thanh tra tỉnh theo thẩm quyền.",
                "target_agency_id": agency(PROVINCIAL_INSPECTORATE).id,
                "doc_number": "91/PC-BTCD",
            },
            "archive_reason": reason("an_danh").id,
        }
        db.session.remove()
    return values


def test_forward_then_receive_over_rest(app, client):
    data = _setup(app)
    clerk = _headers(client, "caolanh.tcd")
    inspector = _headers(client, "ttt.chuyenvien")
    outsider = _headers(client, "laivung.tcd")

    assert (
        client.post(f"{URL}/{data['pk']}/process", json=data["body"], headers=outsider).status_code
        == 404
    )
    response = client.post(f"{URL}/{data['pk']}/process", json=data["body"], headers=clerk)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "forwarded"
    again = client.post(f"{URL}/{data['pk']}/process", json=data["body"], headers=clerk)
    assert again.status_code == 409

    assert client.get(f"{URL}/inbox", headers=outsider).get_json()["result"] == []
    [waiting] = client.get(f"{URL}/inbox", headers=inspector).get_json()["result"]
    assert waiting["from_agency"] == "Ban Tiếp công dân thành phố Cao Lãnh"
    assert waiting["doc_number"] == "91/PC-BTCD"
    receive = f"{URL}/transfers/{waiting['id']}/receive"
    assert client.post(receive, headers=outsider).status_code == 404
    assert client.post(receive, headers=clerk).status_code == 403
    response = client.post(receive, headers=inspector)
    assert response.status_code == 200
    received = response.get_json()
    assert (received["status"], received["due_date"]) == ("received", "2026-12-11")
    assert client.post(receive, headers=inspector).status_code == 409
    with app.app_context():
        transfer = db.session.scalar(select(PetitionTransfer))
        assert transfer.received_petition_id == received["id"]
        db.session.remove()


def test_bad_values_are_refused_by_field_and_nothing_is_saved(app, client):
    data = _setup(app)
    clerk = _headers(client, "caolanh.tcd")
    body = {**data["body"], "eligible": "có", "reason_id": "12", "note": 5}
    response = client.post(f"{URL}/{data['pk']}/process", json=body, headers=clerk)
    assert response.status_code == 422
    message = response.get_json()["errors"]
    assert message["eligible"] == ["Phải là true hoặc false."]
    assert message["reason_id"] == ["Phải là số nguyên."]
    assert message["note"] == ["Phải là chuỗi ký tự."]

    mismatch = {**data["body"], "outcome": "accepted", "reason_id": data["archive_reason"]}
    response = client.post(f"{URL}/{data['pk']}/process", json=mismatch, headers=clerk)
    assert response.status_code == 422
    assert response.get_json()["errors"]["reason"] == ["Lý do này không thuộc hướng xử lý đã chọn."]

    no_version = {key: value for key, value in data["body"].items() if key != "version_id"}
    response = client.post(f"{URL}/{data['pk']}/process", json=no_version, headers=clerk)
    assert "version_id" in response.get_json()["errors"]

    monitor = _headers(client, "btcd.giamsat")
    response = client.post(f"{URL}/{data['pk']}/process", json=data["body"], headers=monitor)
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Petition, data["pk"]).status == "received"
        assert db.session.scalar(select(PetitionTransfer)) is None
        db.session.remove()
