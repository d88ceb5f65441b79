"""R6, R7, R12: the lookup over REST needs a login and the permission, and masks what
lies outside the caller's scope exactly as the screen does."""

from __future__ import annotations

import datetime as dt

import pytest

from app.extensions import db
from tests.conftest import api_token, login
from tests.lookup_helpers import file_petition

LAND_MATTER = (
    "Khiếu nại Quyết định số 2231/QĐ-UBND về bồi thường, hỗ trợ khi thu hồi đất thửa số 48, "
    "tờ bản đồ số 12 tại Khóm 2, Phường 11 để xây dựng khu dân cư"
)
URL = "/api/v1/petitions/lookup"


@pytest.fixture
def filed(app):
    """Bà Trần Thị Ngọc Ánh's complaint at the provincial inspectorate, and her own
    earlier petition at Cao Lãnh's reception board."""
    with app.app_context():
        provincial = file_petition(
            db.session,
            agency_code="DT17-TTT",
            full_name="Trần Thị Ngọc Ánh",
            summary=LAND_MATTER,
            commune_code="29863",
            hamlet="Khóm 2",
            id_number="087190012345",
            phone="0987654321",
            received=dt.datetime(2026, 1, 15, 1, 30, tzinfo=dt.UTC),
        )
        local = file_petition(
            db.session,
            agency_code="DT17-866-TCD",
            full_name="",
            summary="Kiến nghị sửa chữa cống thoát nước Khóm 2 bị ngập khi triều cường",
            commune_code="29863",
            hamlet="",
            citizen=provincial.signatories[0].citizen,
            kind="recommendation",
        )
        ids = {"provincial": provincial.case_id, "local": local.case_id}
        db.session.remove()
    return ids


QUERY = {
    "full_name": "Tran Thi Anh",
    "id_number": "087190012345",
    "address": "Khóm 2, P.11, TP. Cao Lãnh",
    "matter": "bồi thường thu hồi đất thửa 48 tờ bản đồ 12",
}


def test_the_lookup_needs_a_login(client, filed):
    response = client.post(URL, json=QUERY)
    assert response.status_code == 401
    assert "087190012345" not in response.get_data(as_text=True)


def test_a_clerk_gets_masked_matches_with_the_session(client, filed):
    login(client, "caolanh.tcd")
    response = client.post(URL, json={**QUERY, "threshold": 0})
    assert response.status_code == 200
    body = response.get_json()
    first = body["result"][0]
    assert first["case_id"] == filed["provincial"]
    assert first["agency"]["name"] == "Thanh tra tỉnh Đồng Tháp"
    assert first["in_scope"] is False
    assert first["citizen_name"] is None and first["summary"] is None
    assert [r["code"] for r in first["reasons"]][:1] == ["same_id_number"]
    assert first["reasons"][0]["label"] == "Trùng số định danh"
    assert first["kind_label"] == "Khiếu nại"
    assert first["received_at"].startswith("2026-01-15T01:30")
    text = response.get_data(as_text=True)
    assert "thửa số 48" not in text and "Khiếu nại Quyết định" not in text
    own = next(m for m in body["result"] if m["case_id"] == filed["local"])
    assert own["in_scope"] is True
    assert own["citizen_name"] == "Trần Thị Ngọc Ánh"
    assert own["summary"].startswith("Kiến nghị sửa chữa cống")


def test_another_system_uses_a_token_and_query_arguments(client, filed):
    token = api_token(client, "laivung.tcd")
    response = client.get(
        URL,
        query_string={"id_number": "087 190 012 345", "matter": "thửa 48 tờ bản đồ 12"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    result = response.get_json()["result"]
    assert [m["case_id"] for m in result][:1] == [filed["provincial"]]
    assert all(m["citizen_name"] is None and m["summary"] is None for m in result)


def test_an_account_without_the_permission_is_refused(client, filed):
    login(client, "vpub.nhiemvu")
    assert client.post(URL, json=QUERY).status_code == 403


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"full_name": "Hùng" * 60}, "“Họ và tên công dân” dài quá 150 ký tự."),
        ({"commune_unit_id": "Mỹ Tân"}, "“Xã, phường, thị trấn” phải là số."),
        ({"full_name": "Lê Văn Tám", "limit": 500}, "“Số kết quả” nằm ngoài giới hạn cho phép."),
        ({"matter": ["thu hồi đất"]}, "“Nội dung vụ việc (vài từ)” phải là chuỗi ký tự."),
    ],
)
def test_bad_input_is_refused_in_vietnamese(client, body, message):
    login(client, "caolanh.tcd")
    response = client.post(URL, json=body)
    assert response.status_code == 400
    assert response.get_json()["message"] == message


def test_a_body_that_is_not_an_object_is_refused(client):
    login(client, "caolanh.tcd")
    response = client.post(URL, data="[1, 2]", content_type="application/json")
    assert response.status_code == 400
