"""R7, R11: over REST a district clerk of Lai Vung reaches nothing of another district's
or the province's records — not in lists, not by id, not through a workflow step, not in
the ``_info`` choices — and a write naming an agency outside the scope is refused (422,
nothing saved). One test per API, on records made the way the screens make them: the
demo petitions of Cao Lãnh, a recommendation forwarded to the provincial inspectorate,
a complaint dossier of the inspectorate, an assignment document of the provincial
office, a reception visit of Cao Lãnh and a summary of the city.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.core.clock import set_now
from app.extensions import db
from app.petitions.models import Case, Citizen, Petition, PetitionTransfer, ReceptionVisit
from app.reports.models import Summary
from app.security.scope import scope_condition
from tests import tasks_records
from tests.conftest import api_token
from tests.petitions_processing_records import agency, user
from tests.test_complaints_forms import _dossier_id
from tests.test_petitions_processing_api import _setup as forwardable

OUTSIDER = "laivung.tcd"
CAO_LANH_TCD = "DT17-866-TCD"


def bearer(client, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, username)}"}


def ids_outside(app, model) -> list[int]:
    """Ids of ``model`` outside the outsider's scope (there must be some to probe)."""
    with app.app_context():
        ids = list(
            db.session.scalars(
                select(model.id).where(~scope_condition(model, user(OUTSIDER))).limit(5)
            )
        )
        db.session.remove()
    assert ids, f"no {model.__name__} outside the scope to probe"
    return ids


def visit_body(app, **changes) -> dict:
    with app.app_context():
        body = {
            "agency": agency(CAO_LANH_TCD).id,
            "received_at": "25/11/2026 08:30",
            "channel": "in_person",
            "reception_type": "regular",
            "official_name": "Nguyễn Thị Lan",
            "matter_summary": "Ông Sáu phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm",
            "outcome": "answered",
            "outcome_note": "Đã giải thích quy trình cấp giấy chứng nhận",
            "visitors": [
                {
                    "full_name": "Huỳnh Văn Sáu",
                    "id_number": "087 079 005 678",
                    "birth_year": 1979,
                    "address_detail": "Số 5 đường Lê Lợi, khóm 1",
                }
            ],
        }
        db.session.remove()
    body.update(changes)
    return body


def visit_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(ReceptionVisit))
        db.session.remove()
    return count


@pytest.fixture
def clock():
    set_now(dt.datetime(2026, 11, 27, 16, 0))


@pytest.mark.parametrize(
    ("resource", "model"),
    [("petitions", Petition), ("citizens", Citizen), ("cases", Case)],
)
def test_petitions_citizens_and_cases_of_another_district_are_not_read(
    app, client, resource, model
):
    headers = bearer(client, OUTSIDER)
    listed = client.get(f"/api/v1/{resource}/", headers=headers)
    assert listed.status_code == 200
    assert listed.get_json()["count"] == 0 and listed.get_json()["ids"] == []
    for pk in ids_outside(app, model):
        response = client.get(f"/api/v1/{resource}/{pk}", headers=headers)
        assert response.status_code == 404
        assert response.get_json()["code"] == "not_found"
        assert client.put(f"/api/v1/{resource}/{pk}", json={}, headers=headers).status_code == 403
        assert client.delete(f"/api/v1/{resource}/{pk}", headers=headers).status_code == 403


def test_agency_reads_and_choices_stay_in_the_district(app, client):
    headers = bearer(client, OUTSIDER)
    with app.app_context():
        own = agency("DT17-876-TCD").id
        db.session.remove()
    listed = client.get("/api/v1/agency/", headers=headers).get_json()
    assert listed["ids"] == [own]
    for pk in ids_outside(app, Agency):
        assert client.get(f"/api/v1/agency/{pk}", headers=headers).status_code == 404
    info = client.get("/api/v1/agency/_info", headers=headers)
    assert info.status_code == 200
    choices = [
        value["id"]
        for field in info.get_json().get("add_columns", [])
        + info.get_json().get("edit_columns", [])
        for value in field.get("values", [])
        if field["name"] in ("parent", "operating_office")
    ]
    assert set(choices) <= {own}
    refused = client.post("/api/v1/agency/", json={"code": "X", "name": "Y"}, headers=headers)
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"


def test_an_intake_for_another_district_is_refused(app, client, clock):
    with app.app_context():
        cao_lanh = agency(CAO_LANH_TCD).id
        db.session.remove()
    before = ids_outside(app, Petition)
    response = client.post(
        "/api/v1/petitions/intake",
        json={"agency": cao_lanh, "summary": "Khiếu nại việc thu hồi đất", "signatories": []},
        headers=bearer(client, OUTSIDER),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["agency"] == ["Cơ quan này ngoài phạm vi dữ liệu của bạn."]
    assert ids_outside(app, Petition) == before


def test_the_lookup_masks_another_districts_petitions(app, client):
    with app.app_context():
        citizen = db.session.scalar(select(Citizen).limit(1))
        name, id_number = citizen.full_name, citizen.id_number
        db.session.remove()
    response = client.post(
        "/api/v1/petitions/lookup",
        json={"full_name": name, "id_number": id_number or ""},
        headers=bearer(client, OUTSIDER),
    )
    assert response.status_code == 200
    matches = response.get_json()["result"]
    assert matches, "the lookup finds petitions of every agency (R6)"
    assert all(
        not m["in_scope"] and m["citizen_name"] is None and m["summary"] is None for m in matches
    )


def test_processing_and_forwarded_petitions_are_out_of_reach(app, client):
    data = forwardable(app)
    clerk = bearer(client, "caolanh.tcd")
    outsider = bearer(client, OUTSIDER)
    process = f"/api/v1/petition_processing/{data['pk']}/process"
    refused = client.post(process, json=data["body"], headers=outsider)
    assert refused.status_code == 404 and refused.get_json()["code"] == "not_found"
    targets = f"/api/v1/petition_processing/{data['pk']}/targets?q=thanh+tra"
    assert client.get(targets, headers=outsider).status_code == 404
    assert client.post(process, json=data["body"], headers=clerk).status_code == 200
    with app.app_context():
        transfer_id = db.session.scalar(
            select(PetitionTransfer.id).where(PetitionTransfer.petition_id == data["pk"])
        )
        db.session.remove()
    inbox = client.get("/api/v1/petition_processing/inbox", headers=outsider)
    assert inbox.status_code == 200 and inbox.get_json()["result"] == []
    receive = f"/api/v1/petition_processing/transfers/{transfer_id}/receive"
    assert client.post(receive, headers=outsider).status_code == 404
    stale = client.post(process, json=data["body"], headers=clerk)
    assert stale.status_code == 409 and stale.get_json()["code"] == "conflict"


def test_complaint_dossiers_are_out_of_reach(app, client):
    pk = _dossier_id(app, "accepted")
    headers = bearer(client, OUTSIDER)
    listed = client.get("/api/v1/complaint_dossier/", headers=headers).get_json()
    assert listed["count"] == 0 and listed["result"] == []
    assert client.get(f"/api/v1/complaint_dossier/{pk}", headers=headers).status_code == 404
    step = client.post(f"/api/v1/complaint_dossier/{pk}/withdraw", json={}, headers=headers)
    assert step.status_code == 404 and step.get_json()["code"] == "not_found"


def test_assignment_documents_and_tasks_are_out_of_reach(app, client):
    """The provincial office assigns the department and the city inspectorate: Cao Lãnh's
    task officer may reach the inspectorate's task, never the department's nor the
    province's document."""
    with app.app_context():
        document = tasks_records.enter_document()
        document_id = document.id
        department = tasks_records.task_of(document, tasks_records.DEPARTMENT).id
        inspectorate = tasks_records.task_of(document, tasks_records.CITY_INSPECTORATE).id
        db.session.remove()
    clerk = bearer(client, OUTSIDER)
    assert client.get(f"/api/v1/task_documents/{document_id}", headers=clerk).status_code == 403
    assert client.get("/api/v1/tasks/", headers=clerk).get_json()["code"] == "forbidden"
    officer = bearer(client, "caolanh.vanphong")
    shown = client.get(f"/api/v1/task_documents/{document_id}", headers=officer)
    assert shown.status_code == 404 and shown.get_json()["code"] == "not_found"
    listed = client.get("/api/v1/tasks/", headers=officer).get_json()["result"]
    assert {task["id"] for task in listed} <= {inspectorate}
    assert client.get(f"/api/v1/tasks/{department}", headers=officer).status_code == 404
    # the review steps are the officer's, on tasks in scope; reporting is the receivers'
    for step, status, code in (
        ("accept", 404, "not_found"),
        ("return", 404, "not_found"),
        ("extend", 404, "not_found"),
        ("recall", 404, "not_found"),
        ("acknowledge", 403, "forbidden"),
        ("report", 403, "forbidden"),
    ):
        response = client.post(f"/api/v1/tasks/{department}/{step}", json={}, headers=officer)
        assert (response.status_code, response.get_json()["code"]) == (status, code), step


def test_reception_visits_are_out_of_reach_and_written_only_in_scope(app, client, clock):
    created = client.post(
        "/api/v1/reception_visits/", json=visit_body(app), headers=bearer(client, "caolanh.tcd")
    )
    assert created.status_code == 201, created.get_json()
    pk = created.get_json()["id"]
    headers = bearer(client, OUTSIDER)
    listed = client.get("/api/v1/reception_visits/", headers=headers).get_json()
    assert listed["count"] == 0 and listed["result"] == []
    assert client.get(f"/api/v1/reception_visits/{pk}", headers=headers).status_code == 404
    before = visit_count(app)
    refused = client.post("/api/v1/reception_visits/", json=visit_body(app), headers=headers)
    assert refused.status_code == 422
    assert "agency" in refused.get_json()["errors"]
    assert visit_count(app) == before


def test_summaries_of_the_province_are_not_read_by_a_district(app, client):
    """A province-wide summary: the reception board's monitor reads it; Cao Lãnh's agency
    administrator, who reads the summaries of the city, neither lists nor opens it."""
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        summary = Summary(
            kind="adhoc",
            series="adhoc:test-api-scope",
            version=1,
            period_start=dt.date(2026, 10, 1),
            period_end=dt.date(2026, 10, 31),
            status="queued",
            agency_id=agency("DT17-UBT").id,
        )
        db.session.add(summary)
        db.session.commit()
        pk = summary.id
        db.session.remove()
    monitor = bearer(client, "btcd.giamsat")
    shown = client.get(f"/api/v1/report_summaries/{pk}", headers=monitor)
    assert shown.status_code == 200
    assert shown.get_json()["result"]["kind_label"] == "Tổng hợp đột xuất"
    district = bearer(client, "caolanh.quantri")
    listed = client.get("/api/v1/report_summaries/", headers=district).get_json()
    assert pk not in [item["id"] for item in listed["result"]]
    assert client.get(f"/api/v1/report_summaries/{pk}", headers=district).status_code == 404
    clerk = bearer(client, OUTSIDER)
    assert client.get("/api/v1/report_summaries/", headers=clerk).status_code == 403
