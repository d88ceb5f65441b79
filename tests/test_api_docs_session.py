"""docs/api.md: the example session (log in, look up, receive a petition, forward it,
a stale repeat refused, the inspectorate receives it) works as written, with the same
bodies, through the test client."""

from __future__ import annotations

import prison

from app.core.clock import set_now
from app.extensions import db
from tests.conftest import DEMO_PASSWORD
from tests.petitions_intake_helpers import NOW, area
from tests.petitions_processing_records import reason

LE = {
    "full_name": "Trần Thị Mỹ Lệ",
    "id_number": "087185004321",
    "birth_year": 1985,
    "sex": "female",
    "phone": "0918 765 432",
    "address_detail": "Ấp 3, xã Mỹ Tân",
}


def login(client, username: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": DEMO_PASSWORD, "provider": "db"},
    )
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def agency_id(client, auth, code: str) -> int:
    query = prison.dumps({"filters": [{"col": "code", "opr": "eq", "value": code}]})
    return client.get("/api/v1/agency/", query_string={"q": query}, headers=auth).get_json()["ids"][
        0
    ]


def test_the_documented_session(app, client):
    set_now(NOW)
    with app.app_context():
        subject_area = area("kp_chinh_sach").id
        reason_id = reason("kien_nghi_ngoai_tham_quyen").id
        db.session.remove()
    auth = login(client, "caolanh.tcd")

    looked_up = client.post(
        "/api/v1/petitions/lookup",
        json={"full_name": LE["full_name"], "id_number": LE["id_number"], "matter": "ngập úng"},
        headers=auth,
    )
    assert looked_up.status_code == 200 and looked_up.get_json()["result"] == []

    received = client.post(
        "/api/v1/petitions/intake",
        json={
            "agency": agency_id(client, auth, "DT17-866-TCD"),
            "received_at": "27/11/2026 08:30",
            "channel": "post",
            "kind": "recommendation",
            "subject_area": subject_area,
            "summary": "Kiến nghị nạo vét kênh Ông Kho bị ngập úng",
            "decision": "new_case",
            "signatories": [LE],
        },
        headers=auth,
    )
    assert received.status_code == 201, received.get_json()
    petition, version = received.get_json()["id"], received.get_json()["result"]["version_id"]
    assert (
        client.get(f"/api/v1/petitions/{petition}", headers=auth).get_json()["result"]["version_id"]
        == version
    )

    targets = client.get(
        f"/api/v1/petition_processing/{petition}/targets",
        query_string={"q": "thanh tra tinh"},
        headers=auth,
    ).get_json()["result"]
    assert [target["name"] for target in targets] == ["Thanh tra tỉnh Đồng Tháp"]
    inspectorate = targets[0]["id"]
    step = {
        "version_id": version,
        "eligible": True,
        "competent": False,
        "outcome": "forwarded",
        "reason_id": reason_id,
        "target_agency_id": inspectorate,
        "doc_number": "91/PC-BTCD",
        "note": "Chuyển Thanh tra tỉnh theo thẩm quyền.",
    }
    url = f"/api/v1/petition_processing/{petition}/process"
    forwarded = client.post(url, json=step, headers=auth)
    assert forwarded.status_code == 200, forwarded.get_json()
    assert forwarded.get_json()["status"] == "forwarded"
    stale = client.post(url, json=step, headers=auth)
    assert stale.status_code == 409 and stale.get_json()["code"] == "conflict"

    inspector = login(client, "ttt.chuyenvien")
    inbox = client.get("/api/v1/petition_processing/inbox", headers=inspector).get_json()
    transfer = inbox["result"][0]
    assert transfer["summary"] == "Kiến nghị nạo vét kênh Ông Kho bị ngập úng"
    taken = client.post(
        f"/api/v1/petition_processing/transfers/{transfer['id']}/receive", headers=inspector
    )
    assert taken.status_code == 200, taken.get_json()
