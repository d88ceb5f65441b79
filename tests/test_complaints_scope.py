"""Who sees and touches complaint dossiers (R10, R11; issue 4): the provincial inspectorate
its own; the provincial leader and the reception-board monitor read them; a district
clerk of Lai Vung sees nothing of them — list, page, export, REST, cards — and a step
posted to one is refused without a trace."""

from __future__ import annotations

import io

import openpyxl
import pytest

from app.complaints.models import ComplaintDossier
from app.extensions import db
from tests.conftest import api_token, login
from tests.test_complaints_forms import _dossier_id, _post, _state
from tests.test_complaints_opening import CLERK


def _export_rows(client, **args) -> list[tuple]:
    response = client.get("/complaints/dossiers/export/ho-so.xlsx", query_string=args)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    return [row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] is not None]


def test_the_inspectorate_sees_and_resolves_its_dossiers(app, client):
    pk = _dossier_id(app, "pending")
    with app.app_context():
        code = db.session.get(ComplaintDossier, pk).case.code
        db.session.remove()
    login(client, CLERK)
    listed = client.get("/complaints/dossiers/?reset=1").get_data(as_text=True)
    assert f'id="dossier-row-{pk}"' in listed and "1 hồ sơ" in listed
    page = client.get(f"/complaints/dossiers/{pk}").get_data(as_text=True)
    assert 'id="dossier-actions"' in page
    assert [row[1] for row in _export_rows(client)] == [code]


def test_a_district_clerk_of_another_district_sees_nothing(app, client):
    pk = _dossier_id(app, "accepted")
    before = _state(app, pk)
    login(client, "laivung.tcd")
    listed = client.get("/complaints/dossiers/?reset=1").get_data(as_text=True)
    assert "0 hồ sơ" in listed and "dossier-row-" not in listed
    assert client.get(f"/complaints/dossiers/{pk}").status_code == 404
    response = client.post(
        f"/complaints/dossiers/{pk}/steps/step",
        data={"version_id": str(before[1]), "kind": "dialogue", "on": "14/12/2026"},
    )
    assert response.status_code == 404
    assert _export_rows(client) == []
    home = client.get("/").get_data(as_text=True)
    assert "/complaints/dossiers/?status" not in home
    assert _state(app, pk) == before


def test_a_district_clerk_reaches_nothing_over_rest(app, client):
    pk = _dossier_id(app, "accepted")
    before = _state(app, pk)
    token = api_token(client, "laivung.tcd")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/complaint_dossier/", headers=headers).get_json()
    assert (listed["count"], listed["result"]) == (0, [])
    assert client.get(f"/api/v1/complaint_dossier/{pk}", headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/complaint_dossier/{pk}/step",
        headers=headers,
        json={"version_id": before[1], "kind": "dialogue", "on": "14/12/2026"},
    )
    assert response.status_code == 404
    assert _state(app, pk) == before


@pytest.mark.parametrize("username", ["lanhdao.tinh", "btcd.giamsat"])
def test_leaders_and_monitors_read_but_take_no_step(app, client, username):
    pk = _dossier_id(app, "accepted")
    before = _state(app, pk)
    login(client, username)
    page = client.get(f"/complaints/dossiers/{pk}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Hạn giải quyết" in text and 'id="dossier-actions"' not in text
    assert 'id="dossier-upload"' not in text
    assert f'id="dossier-row-{pk}"' in client.get("/complaints/dossiers/?reset=1").get_data(
        as_text=True
    )
    response = _post(client, app, pk, "step", kind="dialogue", on="14/12/2026")
    assert response.status_code in (302, 403)
    assert "/complaints/dossiers/" not in response.headers.get("Location", "")
    assert _state(app, pk) == before


def test_a_clerk_of_the_forwarding_board_does_not_open_the_inspectorates_dossier(app, client):
    pk = _dossier_id(app, "pending")
    login(client, "caolanh.tcd")
    assert client.get(f"/complaints/dossiers/{pk}").status_code == 404
