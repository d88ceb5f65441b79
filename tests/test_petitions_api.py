"""REST API of petitions (issue 3, R7): POST /api/v1/petitions/intake with the intake
screen's rules and messages; reads of petitions, citizens and cases under the data scope."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.clock import set_now
from app.extensions import db
from app.petitions.models import Case, Citizen, Petition
from tests.conftest import api_token
from tests.petitions_intake_helpers import CCCD_HUNG, CCCD_LAN, NOW, agency, area, commune

URL = "/api/v1/petitions/intake"
LOAN_CCCD = "087186002468"


@pytest.fixture
def ids(app) -> dict[str, int]:
    set_now(NOW)
    with app.app_context():
        values = {
            "agency": agency("DT17-866-TCD").id,
            "laivung": agency("DT17-876-TCD").id,
            "area": area("kn_dat_dai").id,
            "recommendation_area": area("kp_chinh_sach").id,
            "phuong1": commune("Phường 1", "866").id,
            "loan_case": db.session.scalar(
                select(Petition.case_id)
                .join(Petition.signatories)
                .join(Citizen)
                .where(Citizen.id_number == LOAN_CCCD)
            ),
        }
        db.session.remove()
    return values


def _headers(client, username: str = "caolanh.tcd") -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, username)}"}


def _body(ids: dict[str, int], **changes) -> dict:
    body = {
        "agency": ids["agency"],
        "received_at": "27/11/2026 08:30",
        "channel": "post",
        "kind": "complaint",
        "subject_area": ids["area"],
        "summary": "Khiếu nại quyết định thu hồi đất và mức bồi thường tại khóm 3, Phường 1",
        "contested_act": "Quyết định số 245/QĐ-UBND ngày 02/10/2026",
        "contested_author": "Chủ tịch UBND thành phố Cao Lãnh",
        "signatories": [
            {
                "full_name": "Nguyễn Văn Hùng",
                "id_number": CCCD_HUNG,
                "birth_year": 1978,
                "sex": "male",
                "phone": "+84 918 123 456",
                "commune": ids["phuong1"],
                "address_detail": "Số 12 đường Nguyễn Huệ, khóm 3",
            }
        ],
    }
    body.update(changes)
    return body


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        counts = tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Petition, Case, Citizen)
        )
        db.session.remove()
    return counts


def test_intake_receives_a_petition_with_the_screen_rules(app, client, ids):
    response = client.post(URL, json=_body(ids), headers=_headers(client))
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["result"]
    assert result["agency"]["name"] == "Ban Tiếp công dân thành phố Cao Lãnh"
    assert result["status"] == "received"
    assert result["due_date"] == "2026-12-11"
    assert result["case"]["code"].startswith("VV2026-DT17-866-TCD-")
    assert result["signatories"][0]["full_name"] == "Nguyễn Văn Hùng"
    with app.app_context():
        petition = db.session.get(Petition, response.get_json()["id"])
        assert petition.signatories[0].citizen.phone == "0918123456"
        assert petition.channel == "post"
        db.session.remove()


def test_intake_accepts_iso_dates(client, ids):
    body = _body(ids, received_at="2026-11-27T08:30:00+07:00")
    assert client.post(URL, json=body, headers=_headers(client)).status_code == 201


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"received_at": "28/11/2026 10:00"}, "received_at", "không được ở tương lai"),
        ({"received_at": "27-13-2026"}, "received_at", "dd/mm/yyyy hh:mm"),
        ({"summary": "  "}, "summary", "Trường này là bắt buộc."),
        ({"summary": "x" * 501}, "summary", "Quá dài: tối đa 500 ký tự."),
        ({"agency": 999_999}, "agency", "Cơ quan này không tồn tại."),
        ({"subject_area": "đất đai"}, "subject_area", "Nhập một số nguyên."),
        ({"kind": "reflection"}, "subject_area", "không thuộc đơn phản ánh"),
        ({"source_doc_date": "32/10/2026"}, "source_doc_date", "Ngày không hợp lệ"),
    ],
)
def test_intake_refuses_bad_input_with_a_vietnamese_message_per_field(
    app, client, ids, changes, field, message
):
    before = _counts(app)
    response = client.post(URL, json=_body(ids, **changes), headers=_headers(client))
    assert response.status_code == 422
    assert message in " ".join(response.get_json()["errors"][field])
    assert _counts(app) == before


@pytest.mark.parametrize(
    ("signatory", "field", "message"),
    [
        ({"id_number": "087 078 0012"}, "id_number", "12 chữ số (CCCD) hoặc 9 chữ số"),
        ({"id_number": "099078001234"}, "id_number", "Mã tỉnh “099”"),
        ({"birth_year": 1980}, "id_number", "khác năm sinh đã nhập (1980)"),
        ({"sex": "female"}, "id_number", "Giới tính đã nhập không khớp"),
        ({"phone": "0123 456"}, "phone", "Số điện thoại không hợp lệ"),
        ({"full_name": ""}, "full_name", "Trường này là bắt buộc."),
        ({"full_name": "Nguyễn " * 30}, "full_name", "tối đa 150 ký tự"),
        ({"commune": 999_999}, "commune", "Xã, phường này không tồn tại."),
    ],
)
def test_intake_refuses_a_bad_signatory_naming_its_field(
    app, client, ids, signatory, field, message
):
    before = _counts(app)
    body = _body(ids)
    body["signatories"][0].update(signatory)
    response = client.post(URL, json=body, headers=_headers(client))
    assert response.status_code == 422
    assert message in " ".join(response.get_json()["errors"][f"signatories-0-{field}"])
    assert _counts(app) == before


def test_intake_refuses_a_denunciation_with_the_r20_message(app, client, ids):
    before = _counts(app)
    response = client.post(URL, json=_body(ids, kind="denunciation"), headers=_headers(client))
    assert response.status_code == 422
    assert "theo quy định riêng của Luật Tố cáo" in response.get_json()["errors"]["kind"][0]
    assert _counts(app) == before


def test_intake_refuses_an_agency_outside_the_caller_scope(app, client, ids):
    before = _counts(app)
    body = _body(ids, agency=ids["laivung"])
    response = client.post(URL, json=body, headers=_headers(client))
    assert response.status_code == 422
    assert response.get_json()["errors"]["agency"] == ["Cơ quan này ngoài phạm vi dữ liệu của bạn."]
    assert _counts(app) == before


def test_intake_refuses_what_is_not_a_json_object(client, ids):
    headers = _headers(client)
    assert client.post(URL, data="tên=Hùng", headers=headers).status_code == 422
    response = client.post(URL, json=_body(ids, signatories="Nguyễn Văn Hùng"), headers=headers)
    assert "mảng các đối tượng" in response.get_json()["errors"]["signatories"][0]


def test_intake_joins_a_repeat_to_a_case_of_another_agency(app, client, ids):
    body = _body(
        ids,
        decision="join_case",
        case=ids["loan_case"],
        repeat_kind="already_guided",
        signatories=[{"full_name": "Võ Thị Kim Loan", "id_number": LOAN_CCCD}],
    )
    response = client.post(URL, json=body, headers=_headers(client))
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["result"]
    assert result["case"]["id"] == ids["loan_case"]
    assert (result["status"], result["is_repeat"], result["due_date"]) == ("filed", True, None)


def test_intake_records_a_multi_signatory_petition(client, ids):
    body = _body(ids, signatory_count=40)
    body["signatories"].append(
        {"full_name": "Lê Thị Lan", "id_number": CCCD_LAN, "is_representative": True}
    )
    result = client.post(URL, json=body, headers=_headers(client)).get_json()["result"]
    assert result["signatory_count"] == 40
    assert [(s["full_name"], s["is_representative"]) for s in result["signatories"]] == [
        ("Nguyễn Văn Hùng", False),
        ("Lê Thị Lan", True),
    ]


def test_intake_needs_the_clerk_right(client, ids):
    assert client.post(URL, json=_body(ids)).status_code == 401
    response = client.post(URL, json=_body(ids), headers=_headers(client, "btcd.giamsat"))
    assert response.status_code == 403


def test_reads_stay_in_the_caller_scope(client, ids):
    created = client.post(URL, json=_body(ids), headers=_headers(client)).get_json()
    laivung = _headers(client, "laivung.tcd")
    listing = client.get("/api/v1/petitions/", headers=laivung).get_json()
    assert created["id"] not in listing["ids"]
    assert client.get(f"/api/v1/petitions/{created['id']}", headers=laivung).status_code == 404
    mine = client.get(f"/api/v1/petitions/{created['id']}", headers=_headers(client)).get_json()
    assert mine["result"]["summary"].startswith("Khiếu nại quyết định thu hồi đất")
    citizens = client.get("/api/v1/citizens/", headers=laivung).get_json()
    assert "Nguyễn Văn Hùng" not in {row["full_name"] for row in citizens["result"]}


def test_a_case_joined_from_another_agency_is_read_without_its_title(client, ids):
    body = _body(
        ids,
        decision="join_case",
        case=ids["loan_case"],
        repeat_kind="sent_to_many",
        signatories=[{"full_name": "Võ Thị Kim Loan", "id_number": LOAN_CCCD}],
    )
    client.post(URL, json=body, headers=_headers(client))
    case = client.get(f"/api/v1/cases/{ids['loan_case']}", headers=_headers(client)).get_json()
    assert case["result"]["agency"]["name"] == "Thanh tra tỉnh Đồng Tháp"
    assert "title" not in case["result"]
    assert "Phạm Hữu Lầu" not in str(case)
