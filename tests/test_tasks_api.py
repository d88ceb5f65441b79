"""REST API of the task loop (R7, R13–R20): documents entered through the screens'
service with the same refusals (422, Vietnamese, nothing saved), tasks read within the
scope, every step with its checks (403, 404, 409, 422)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.core.clock import set_now
from app.extensions import db
from app.files.models import StoredFile
from app.tasks.models import AssignmentDocument
from tests import tasks_records as rec
from tests.conftest import api_token


def headers(client, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, username)}"}


def document_body(app, **changes) -> dict:
    """The demo document as the API takes it."""
    with app.app_context():
        body = {
            "assigning_agency_id": rec.agency(rec.PROVINCE).id,
            "doc_type": "cong_van",
            "number": "1250",
            "symbol": "UBND-HC",
            "issued_at": "2026-11-02T09:30:00+07:00",
            "summary": rec.SUMMARY,
            "director_name": "Phạm Thiện Nghĩa",
            "signer_name": "Đoàn Tấn Bửu",
            "drafter_name": "Trần Thị Thu",
            "secrecy_grade": "none",
            "default_deadline": "20/11/2026",
            "receivers": [
                {"agency_id": rec.agency(rec.DEPARTMENT).id, "role": "lead"},
                {
                    "agency_id": rec.agency(rec.CITY_INSPECTORATE).id,
                    "role": "support",
                    "deadline": "2026-11-25",
                },
            ],
            "signed_document": rec.as_json_file("1250-UBND-HC.pdf", rec.signed_document()),
        }
        db.session.remove()
    body.update(changes)
    return body


def counts(app) -> tuple[int, int]:
    with app.app_context():
        found = (
            db.session.scalar(select(func.count(AssignmentDocument.id))),
            db.session.scalar(select(func.count(StoredFile.id))),
        )
        db.session.remove()
    return found


@pytest.fixture
def officer(client) -> dict[str, str]:
    set_now(rec.ENTERED)
    return headers(client, "vpub.nhiemvu")


def test_a_document_is_entered_through_the_api(app, client, officer):
    response = client.post("/api/v1/task_documents/", json=document_body(app), headers=officer)
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["result"]
    assert result["reference"] == "1250/UBND-HC"
    assert result["entry_timeliness"] == "on_time"
    deadlines = {t["receiving_agency"]["name"]: t["deadline"] for t in result["tasks"]}
    assert deadlines == {
        "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp": "2026-11-20",
        "Thanh tra thành phố Cao Lãnh": "2026-11-25",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"secrecy_grade": "toi_mat"},
            "secrecy_grade",
            "Văn bản có độ mật (Tối mật) không được cập nhật vào phần mềm",
        ),
        ({"default_deadline": None}, "default_deadline", "Nhiệm vụ không có thời hạn"),
        ({"signed_document": None}, "signed_document", "Đính kèm văn bản giao nhiệm vụ đã ký"),
        ({"receivers": "Sở TNMT"}, "receivers", "phải là danh sách"),
        (
            {"signed_document": {"filename": "cv.pdf", "content": "không phải base64"}},
            "signed_document",
            "base64",
        ),
    ],
)
def test_refusals_answer_422_in_vietnamese_and_save_nothing(
    app, client, officer, changes, field, message
):
    response = client.post(
        "/api/v1/task_documents/", json=document_body(app, **changes), headers=officer
    )
    assert response.status_code == 422
    assert message in " ".join(response.get_json()["errors"][field])
    assert counts(app) == (0, 0)


def test_a_receiving_agency_cannot_enter_documents(app, client):
    response = client.post(
        "/api/v1/task_documents/",
        json=document_body(app),
        headers=headers(client, "stnmt.canbo"),
    )
    assert response.status_code == 403
    assert counts(app) == (0, 0)


@pytest.fixture
def task_ids(app) -> dict[str, int]:
    with app.app_context():
        document = rec.enter_document()
        ids = {
            code: rec.task_of(document, code).id for code in (rec.DEPARTMENT, rec.CITY_INSPECTORATE)
        }
        ids["document"] = document.id
        db.session.remove()
    return ids


def test_tasks_are_read_within_the_scope(app, client, task_ids):
    staff = headers(client, "stnmt.canbo")
    listed = client.get("/api/v1/tasks/", headers=staff).get_json()["result"]
    assert [task["id"] for task in listed] == [task_ids[rec.DEPARTMENT]]
    assert (
        client.get(f"/api/v1/tasks/{task_ids[rec.CITY_INSPECTORATE]}", headers=staff).status_code
        == 404
    )
    document = client.get(f"/api/v1/task_documents/{task_ids['document']}", headers=staff)
    assert [t["id"] for t in document.get_json()["result"]["tasks"]] == [task_ids[rec.DEPARTMENT]]
    office = headers(client, "vpub.nhiemvu")
    listed = client.get("/api/v1/tasks/?side=assigned", headers=office).get_json()["result"]
    assert {task["id"] for task in listed} == {
        task_ids[rec.DEPARTMENT],
        task_ids[rec.CITY_INSPECTORATE],
    }
    outsider = headers(client, "laivung.tcd")
    assert client.get("/api/v1/tasks/", headers=outsider).status_code == 403
    assert (
        client.get(f"/api/v1/tasks/{task_ids[rec.DEPARTMENT]}", headers=outsider).status_code == 403
    )


def test_the_loop_through_the_api(app, client, task_ids):
    pk = task_ids[rec.DEPARTMENT]
    url = f"/api/v1/tasks/{pk}"
    staff, office = headers(client, "stnmt.canbo"), headers(client, "vpub.nhiemvu")
    version = client.get(url, headers=staff).get_json()["result"]["version_id"]
    set_now(dt.datetime(2026, 11, 3, 8, 0))
    acknowledged = client.post(f"{url}/acknowledge", json={"version_id": version}, headers=staff)
    assert acknowledged.status_code == 200
    version = acknowledged.get_json()["result"]["version_id"]
    set_now(dt.datetime(2026, 11, 19, 10, 0))
    report = {
        **rec.REPORT_FORM,
        "doc_date": "19/11/2026",
        "version_id": version,
        "report_file": rec.as_json_file("bao-cao.pdf", rec.signed_document("Bao cao 312")),
    }
    missing = client.post(f"{url}/report", json={**report, "report_file": None}, headers=staff)
    assert missing.status_code == 422
    assert "Đính kèm văn bản báo cáo" in missing.get_json()["errors"]["report_file"][0]
    sent = client.post(f"{url}/report", json=report, headers=staff)
    assert sent.status_code == 200
    result = sent.get_json()["result"]
    assert result["status"] == "reported"
    assert result["reports"][0]["entry_timeliness"] == "on_time"
    version = result["version_id"]
    assert (
        client.post(f"{url}/accept", json={"version_id": version}, headers=staff).status_code == 403
    )
    stale = client.post(
        f"{url}/return", json={"version_id": version - 1, "reason": "x"}, headers=office
    )
    assert stale.status_code == 409
    # Issue 7: the API's conflict names the change that came first, as the screens do.
    assert stale.get_json()["message"].endswith(
        "Thay đổi trong lúc đó: 19/11/2026 10:00, stnmt.canbo đã sửa "
        "Trạng thái: Đơn vị đã nhận → Báo cáo chờ xem xét."
    )
    no_reason = client.post(
        f"{url}/return", json={"version_id": version, "reason": ""}, headers=office
    )
    assert no_reason.status_code == 422
    assert no_reason.get_json()["errors"]["reason"] == ["Vui lòng nhập lý do chưa đạt."]
    set_now(dt.datetime(2026, 11, 19, 11, 0))
    accepted = client.post(f"{url}/accept", json={"version_id": version}, headers=office)
    assert accepted.status_code == 200
    result = accepted.get_json()["result"]
    assert (result["status"], result["completion"]) == ("accepted", "early")
    assert result["reports"][0]["verdict"] == "accepted"
    again = client.post(f"{url}/accept", json={"version_id": result["version_id"]}, headers=office)
    assert again.status_code == 422
    assert "Đã hoàn thành" in again.get_json()["message"]


def test_extension_and_recall_through_the_api(app, client, task_ids):
    pk = task_ids[rec.CITY_INSPECTORATE]
    url = f"/api/v1/tasks/{pk}"
    office = headers(client, "vpub.nhiemvu")
    version = client.get(url, headers=office).get_json()["result"]["version_id"]
    bad = client.post(
        f"{url}/extend", json={"version_id": version, "new_deadline": "31/02/2026"}, headers=office
    )
    assert bad.status_code == 422 and "new_deadline" in bad.get_json()["errors"]
    extended = client.post(
        f"{url}/extend",
        json={"version_id": version, "new_deadline": "2026-12-04", "reason": "Chờ kết quả đo đạc"},
        headers=office,
    )
    assert extended.status_code == 200
    result = extended.get_json()["result"]
    assert result["deadline"] == "2026-12-04" and result["original_deadline"] == "2026-11-25"
    recalled = client.post(
        f"{url}/recall",
        json={
            "version_id": result["version_id"],
            "reason": "Giao lại cho Ủy ban nhân dân thành phố",
        },
        headers=office,
    )
    assert recalled.status_code == 200
    assert recalled.get_json()["result"]["status"] == "recalled"


def test_returned_then_reported_again_after_the_deadline_is_late_through_the_api(
    app, client, task_ids
):
    """R18, R19 over REST, as the browser walk does on screen: the first report (before the
    deadline) is returned with a reason, the second is sent after the deadline day and
    accepted — the task is late, both rounds kept."""
    pk = task_ids[rec.DEPARTMENT]
    url = f"/api/v1/tasks/{pk}"
    staff, office = headers(client, "stnmt.canbo"), headers(client, "vpub.nhiemvu")

    def send(moment: dt.datetime, number: str) -> dict:
        set_now(moment)
        version = client.get(url, headers=staff).get_json()["result"]["version_id"]
        body = {
            **rec.REPORT_FORM,
            "doc_number": number,
            "doc_date": f"{moment:%d/%m/%Y}",
            "version_id": version,
            "report_file": rec.as_json_file(f"bc-{number}.pdf", rec.signed_document(number)),
        }
        sent = client.post(f"{url}/report", json=body, headers=staff)
        assert sent.status_code == 200, sent.get_json()
        return sent.get_json()["result"]

    first = send(dt.datetime(2026, 11, 18, 9, 0), "312")
    set_now(dt.datetime(2026, 11, 18, 14, 0))
    reason = "Chưa nêu kết quả giải quyết 3 vụ tại huyện Tháp Mười"
    returned = client.post(
        f"{url}/return", json={"version_id": first["version_id"], "reason": reason}, headers=office
    )
    assert returned.status_code == 200
    assert (returned.get_json()["result"]["status"], returned.get_json()["result"]["overdue"]) == (
        "returned",
        False,
    )

    set_now(dt.datetime(2026, 11, 23, 8, 0))
    assert client.get(url, headers=staff).get_json()["result"]["overdue"] is True
    second = send(dt.datetime(2026, 11, 23, 9, 0), "340")
    set_now(dt.datetime(2026, 11, 23, 10, 0))
    accepted = client.post(
        f"{url}/accept", json={"version_id": second["version_id"]}, headers=office
    )
    assert accepted.status_code == 200
    result = accepted.get_json()["result"]
    assert (result["status"], result["completion"], result["returns_count"]) == (
        "accepted",
        "late",
        1,
    )
    assert result["completed_at"] == "2026-11-23T02:00:00+00:00"
    rounds = [(r["doc_number"], r["verdict"], r["verdict_reason"]) for r in result["reports"]]
    assert rounds == [("312", "returned", reason), ("340", "accepted", None)]
