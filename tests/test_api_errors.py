"""R7: every error under /api/v1 is JSON with a stable code and a Vietnamese message
(app.api.errors) — whatever raised it: a refused value, a missing or expired token, a
wrong password, a missing permission, an unknown address or method, a stale version,
a body over the size limit, an unexpected exception."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_jwt_extended import create_access_token

from app.extensions import db
from tests.conftest import api_token
from tests.petitions_processing_records import user
from tests.test_petitions_processing_api import _setup as forwardable

LOOKUP = "/api/v1/petitions/lookup"


def bearer(client, username: str = "caolanh.tcd") -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, username)}"}


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


def test_without_a_token_the_answer_says_to_log_in(client):
    body = error_of(client.get("/api/v1/petitions/"), 401, "not_authenticated")
    assert body["message"].startswith("Hãy đăng nhập trước")
    forged = client.get("/api/v1/petitions/", headers={"Authorization": "Bearer abc.def.ghi"})
    error_of(forged, 401, "not_authenticated")
    malformed = client.get("/api/v1/petitions/", headers={"Authorization": "Basic abc"})
    error_of(malformed, 401, "not_authenticated")


def test_an_expired_token_is_named(app, client):
    with app.app_context():
        token = create_access_token(
            identity=str(user("caolanh.tcd").id), expires_delta=dt.timedelta(seconds=-60)
        )
        db.session.remove()
    response = client.get("/api/v1/petitions/", headers={"Authorization": f"Bearer {token}"})
    body = error_of(response, 401, "token_expired")
    assert body["message"] == "Mã truy cập đã hết hạn: hãy đăng nhập lại."


def test_a_wrong_password_and_a_bad_login_body(client):
    wrong = client.post(
        "/api/v1/security/login",
        json={"username": "caolanh.tcd", "password": "sai-mat-khau", "provider": "db"},
    )
    assert error_of(wrong, 401, "login_failed")["message"] == "Sai tên đăng nhập hoặc mật khẩu."
    missing = client.post("/api/v1/security/login", json={"username": "caolanh.tcd"})
    body = error_of(missing, 400, "bad_request")
    assert body["errors"]["password"] == ["Thiếu dữ liệu cho trường bắt buộc."]


def test_a_permission_the_account_lacks_is_403(client):
    response = client.get("/api/v1/tasks/", headers=bearer(client))
    body = error_of(response, 403, "forbidden")
    assert body["message"] == "Tài khoản của bạn không có quyền thực hiện thao tác này."


def test_unknown_addresses_records_and_methods(client):
    headers = bearer(client)
    body = error_of(client.get("/api/v1/don-thu/", headers=headers), 404, "not_found")
    assert body["message"] == "Không tìm thấy, hoặc nằm ngoài phạm vi dữ liệu của bạn."
    error_of(client.get("/api/v1/petitions/987654", headers=headers), 404, "not_found")
    method = client.delete("/api/v1/petition_processing/inbox", headers=headers)
    error_of(method, 405, "method_not_allowed")
    assert "GET" in method.headers["Allow"]


def test_values_refused_by_field_are_422_and_unreadable_bodies_400(client):
    headers = bearer(client)
    refused = client.post("/api/v1/petitions/intake", json={}, headers=headers)
    body = error_of(refused, 422, "validation_failed")
    assert body["errors"]["summary"] == ["Trường này là bắt buộc."]
    assert all(isinstance(texts, list) for texts in body["errors"].values())
    not_json = client.post(LOOKUP, data="họ tên", content_type="text/plain", headers=headers)
    error_of(not_json, 400, "bad_request")
    deep = client.get("/api/v1/petitions/?q=" + "(" * 200, headers=headers)
    assert error_of(deep, 400, "bad_request")["errors"]["q"] == ["Tham số lọc q lồng nhau quá sâu."]
    for broken in ("(page:", "(filters:!((col:summary,opr:ct,value:'đất')", "!("):
        bad_rison = client.get(f"/api/v1/petitions/?q={broken}", headers=headers)
        error_of(bad_rison, 400, "bad_request")


def test_a_stale_version_is_a_409_conflict(app, client):
    data = forwardable(app)
    headers = bearer(client)
    url = f"/api/v1/petition_processing/{data['pk']}/process"
    assert client.post(url, json=data["body"], headers=headers).status_code == 200
    body = error_of(client.post(url, json=data["body"], headers=headers), 409, "conflict")
    assert body["errors"]


def test_a_body_over_the_size_limit_is_413(app, client, monkeypatch):
    headers = bearer(client)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 64 * 1024)
    response = client.post(LOOKUP, json={"matter": "đất " * 40_000}, headers=headers)
    body = error_of(response, 413, "too_large")
    assert "vượt quá giới hạn 64 KB" in body["message"]


def test_an_unexpected_exception_is_a_500_without_details(app, client, monkeypatch):
    headers = bearer(client)

    def broken(*_args, **_kwargs):
        raise RuntimeError("connection to the database lost: password=secret")

    monkeypatch.setattr("app.petitions.lookup_api.lookup", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.post(LOOKUP, json={"full_name": "Nguyễn Văn Hùng"}, headers=headers)
    body = error_of(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert body["message"].startswith("Lỗi nội bộ")


@pytest.mark.parametrize("path", ["/api/v1/_openapi"])
def test_the_document_describes_the_error_shape(client, path):
    document = client.get(path, headers=bearer(client, "admin")).get_json()
    schema = document["components"]["schemas"]["ApiError"]
    assert schema["required"] == ["code", "message"]
    for status in ("400", "401", "403", "404", "405", "409", "422", "500"):
        answer = document["components"]["responses"][status]
        assert answer["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApiError"
        }
