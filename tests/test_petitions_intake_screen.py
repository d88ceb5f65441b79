"""The "Tiếp nhận đơn" screen (issue 3): lookup first, then the form; bad input keeps what
was typed and saves nothing; denunciations refused (R20); the rights to the screen."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from app.core.clock import set_now
from app.extensions import db
from app.petitions.models import Case, Citizen, Petition
from tests.conftest import login
from tests.petitions_intake_helpers import CCCD_HUNG, NOW, agency, area, commune
from tests.test_i18n_pages import english_leftovers

# The demo complaint at the provincial inspectorate (app.petitions.demo).
LOAN_CCCD = "087186002468"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        counts = tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Petition, Case, Citizen)
        )
        db.session.remove()
    return counts


def _ids(app) -> dict[str, int]:
    with app.app_context():
        ids = {
            "agency": agency("DT17-866-TCD").id,
            "area": area("kn_dat_dai").id,
            "phuong1": commune("Phường 1", "866").id,
            "loan_case": db.session.scalar(
                select(Petition.case_id)
                .join(Petition.signatories)
                .join(Citizen)
                .where(Citizen.id_number == LOAN_CCCD)
            ),
        }
        db.session.remove()
    return ids


def _form(ids: dict[str, int], **changes: str) -> dict[str, str]:
    form = {
        "decision": "new_case",
        "agency": str(ids["agency"]),
        "received_at": "27/11/2026 08:30",
        "channel": "in_person",
        "prior_resolution": "none",
        "kind": "complaint",
        "subject_area": str(ids["area"]),
        "contested_act": "Quyết định số 245/QĐ-UBND ngày 02/10/2026 về thu hồi đất",
        "contested_author": "Chủ tịch UBND thành phố Cao Lãnh",
        "summary": "Khiếu nại mức bồi thường khi thu hồi đất tại khóm 3, Phường 1",
        "content": "Gia đình tôi không đồng ý với mức bồi thường 150.000 đồng/m².",
        "signatories-0-full_name": "Nguyễn Văn Hùng",
        "signatories-0-id_number": CCCD_HUNG,
        "signatories-0-birth_year": "1978",
        "signatories-0-sex": "male",
        "signatories-0-phone": "0918 123 456",
        "signatories-0-commune": str(ids["phuong1"]),
        "signatories-0-commune_label": "Phường 1, Thành phố Cao Lãnh",
        "signatories-0-address_detail": "Số 12 đường Nguyễn Huệ, khóm 3",
    }
    form.update(changes)
    return form


@pytest.fixture
def clerk(app, client):
    set_now(NOW)
    login(client, "caolanh.tcd")
    return client


def test_the_lookup_page_asks_for_what_the_citizen_gives(clerk):
    page = _text(clerk.get("/petitions/intake/"))
    assert "Tiếp nhận đơn" in page
    assert "Tra cứu trong toàn tỉnh" in page
    for label in ("Họ và tên", "Số CCCD/CMND", "Số điện thoại", "Nội dung vụ việc"):
        assert label in page
    assert "Đơn mới (không trùng)" in page
    assert "vendor/htmx.min.js" in page


def test_matches_from_another_agency_show_only_general_facts(clerk):
    found = _text(clerk.get("/petitions/intake/matches", query_string={"id_number": LOAN_CCCD}))
    assert "Thanh tra tỉnh Đồng Tháp" in found
    assert "Khiếu nại" in found and "Đã tiếp nhận" in found
    assert "Ghi nhận đơn trùng vào vụ việc này" in found
    assert "Vụ việc mới cho công dân này" in found
    assert "Ngoài phạm vi dữ liệu của bạn" in found
    # never the summary, the content or the citizen's details beyond what was typed
    assert "Phạm Hữu Lầu" not in found
    assert "Võ Thị Kim Loan" not in found
    assert "0939456123" not in found


def test_nothing_typed_gives_a_hint_and_nothing_found_says_so(clerk):
    assert "ngay khi gõ" in _text(clerk.get("/petitions/intake/matches"))
    none = _text(clerk.get("/petitions/intake/matches", query_string={"id_number": CCCD_HUNG}))
    assert "tiếp nhận như đơn mới" in none


def test_joining_a_match_opens_the_form_with_the_case_and_what_was_typed(app, clerk):
    ids = _ids(app)
    page = _text(
        clerk.get(
            "/petitions/intake/new",
            query_string={
                "pick": f"join_case:{ids['loan_case']}",
                "full_name": "Võ Thị Kim Loan",
                "id_number": LOAN_CCCD,
                "matter": "bồi thường đường Phạm Hữu Lầu",
            },
        )
    )
    assert "Đơn trùng, ghi nhận vào vụ việc VV" in page
    assert "Do Thanh tra tỉnh Đồng Tháp giữ" in page
    assert "Phân loại đơn trùng" in page
    assert "Đơn gửi nhiều nơi, đã gửi đúng cơ quan có thẩm quyền" in page
    assert 'value="Võ Thị Kim Loan"' in page
    assert f'value="{LOAN_CCCD}"' in page
    assert "bồi thường đường Phạm Hữu Lầu</textarea>" in page
    # the case's title, held outside the clerk's scope, is not shown
    assert "Khiếu nại quyết định thu hồi đất và mức bồi thường khi làm đường" not in page
    # the clerk's own agency is chosen; the time received is now
    assert re.search(rf'<option value="{ids["agency"]}" selected>', page)
    assert 'value="27/11/2026 09:00"' in page


def test_a_new_petition_is_saved_and_the_clerk_sent_to_its_page(app, clerk):
    ids = _ids(app)
    response = clerk.post("/petitions/intake/new", data=_form(ids))
    assert response.status_code == 302
    with app.app_context():
        petition = db.session.scalar(select(Petition).order_by(Petition.id.desc()).limit(1))
        assert response.headers["Location"].endswith(f"/petitions/{petition.id}")
        assert petition.summary.startswith("Khiếu nại mức bồi thường")
        assert petition.signatories[0].citizen.phone == "0918123456"
        assert petition.signatories[0].citizen.commune.name == "Phường 1"
        number = petition.register_code
        db.session.remove()
    assert f"Đã tiếp nhận đơn số {number}; hạn xử lý 11/12/2026." in _text(clerk.get("/"))


def test_bad_input_shows_each_message_by_its_field_keeps_what_was_typed_saves_nothing(app, clerk):
    ids = _ids(app)
    before = _counts(app)
    bad = _form(
        ids,
        **{
            "received_at": "28/11/2026 08:00",
            "summary": "",
            "signatories-0-id_number": "087 078 00123",
            "signatories-0-phone": "0123",
            "signatories-0-birth_year": "năm 78",
            "content": "Nội dung rất dài " * 1300,
        },
    )
    response = clerk.post("/petitions/intake/new", data=bad)
    page = _text(response)
    assert response.status_code == 200
    assert "Đơn chưa được lưu" in page
    expected = {
        "received_at": "Ngày tiếp nhận không được ở tương lai.",
        "summary": "Trường này là bắt buộc.",
        "signatories-0-id_number": "phải có 12 chữ số (CCCD) hoặc 9 chữ số",
        "signatories-0-phone": "Số điện thoại không hợp lệ",
        "signatories-0-birth_year": "Nhập một số nguyên.",
        "content": "Quá dài: tối đa 20.000 ký tự.",
    }
    for field, message in expected.items():
        block = re.search(
            rf'<span class="help-block intake-error" id="{field}-error">([^<]*)', page
        )
        assert block and message in block.group(1), field
    # what was typed is kept, wrong values included
    assert 'value="087 078 00123"' in page
    assert 'value="năm 78"' in page
    assert 'value="Nguyễn Văn Hùng"' in page
    assert 'value="28/11/2026 08:00"' in page
    assert "Phường 1, Thành phố Cao Lãnh" in page
    assert _counts(app) == before


def test_a_denunciation_is_refused_with_the_r20_message_and_nothing_saved(app, clerk):
    before = _counts(app)
    response = clerk.post("/petitions/intake/new", data=_form(_ids(app), kind="denunciation"))
    page = _text(response)
    assert response.status_code == 200
    assert "Đơn tố cáo được giải quyết theo quy định riêng của Luật Tố cáo" in page
    assert re.search(r'id="kind-0-error">[^<]*Luật Tố cáo', page)
    assert _counts(app) == before


def test_a_repeat_joined_through_the_form_is_filed_in_the_other_agency_case(app, clerk):
    ids = _ids(app)
    cases_before = _counts(app)[1]
    form = _form(
        ids,
        decision="join_case",
        case=str(ids["loan_case"]),
        repeat_kind="sent_to_many",
        **{
            "signatories-0-full_name": "Võ Thị Kim Loan",
            "signatories-0-id_number": LOAN_CCCD,
            "signatories-0-birth_year": "1986",
            "signatories-0-sex": "female",
        },
    )
    response = clerk.post("/petitions/intake/new", data=form)
    assert response.status_code == 302
    assert _counts(app)[1] == cases_before
    with app.app_context():
        repeat = db.session.scalar(select(Petition).order_by(Petition.id.desc()).limit(1))
        assert (repeat.case_id, repeat.status, repeat.repeat_kind) == (
            ids["loan_case"],
            "filed",
            "sent_to_many",
        )
        db.session.remove()
    assert "và lưu đơn" in _text(clerk.get("/"))


def test_a_repeat_without_its_classification_is_refused(app, clerk):
    ids = _ids(app)
    form = _form(ids, decision="join_case", case=str(ids["loan_case"]))
    page = _text(clerk.post("/petitions/intake/new", data=form))
    assert re.search(r'id="repeat_kind-0-error">Hãy phân loại đơn trùng.', page)


def test_several_signatories_with_a_representative_through_the_form(app, clerk):
    ids = _ids(app)
    form = _form(
        ids,
        signatory_count="12",
        representative="2",
        **{
            "signatories-1-full_name": "Lê Thị Lan",
            "signatories-2-full_name": "Phạm Văn Tư",
            "signatories-2-phone": "0907 111 222",
        },
    )
    assert clerk.post("/petitions/intake/new", data=form).status_code == 302
    with app.app_context():
        petition = db.session.scalar(select(Petition).order_by(Petition.id.desc()).limit(1))
        assert petition.signatory_count == 12
        names = [(s.citizen.full_name, s.is_representative) for s in petition.signatories]
        assert names == [("Nguyễn Văn Hùng", False), ("Lê Thị Lan", False), ("Phạm Văn Tư", True)]
        db.session.remove()


def test_an_anonymous_petition_through_the_form(app, clerk):
    form = {
        key: value for key, value in _form(_ids(app)).items() if not key.startswith("signatories")
    }
    form["anonymous"] = "y"
    assert clerk.post("/petitions/intake/new", data=form).status_code == 302
    with app.app_context():
        petition = db.session.scalar(select(Petition).order_by(Petition.id.desc()).limit(1))
        assert petition.anonymous and petition.signatories == []
        db.session.remove()


def test_the_commune_picker_searches_as_you_type_current_units_first(clerk):
    assert clerk.get("/petitions/intake/communes").get_json() == []
    found = clerk.get("/petitions/intake/communes", query_string={"q": "my ngai"}).get_json()
    labels = [choice["label"] for choice in found]
    assert labels == ["Phường Mỹ Ngãi", "Xã Mỹ Ngãi, Thành phố Cao Lãnh"]
    assert found[1]["hint"] == "15/10/2017 – 30/06/2025"


def test_subject_areas_follow_the_kind(clerk):
    complaint = _text(clerk.get("/petitions/intake/areas", query_string={"kind": "complaint"}))
    reflection = _text(clerk.get("/petitions/intake/areas", query_string={"kind": "reflection"}))
    assert "Đất đai (thu hồi, bồi thường, giải tỏa, tranh chấp)" in complaint
    assert "Đất đai (thu hồi" not in reflection and "Đất đai" in reflection
    assert "Chọn loại đơn trước" in _text(clerk.get("/petitions/intake/areas"))


def test_a_signatory_row_is_added_with_the_next_number(clerk):
    row = _text(clerk.get("/petitions/intake/signatory", query_string={"next_row": 3}))
    assert 'name="signatories-3-full_name"' in row and "autofocus" in row
    assert 'id="next_row" name="next_row" value="4" hx-swap-oob="true"' in row


def test_the_forwarding_agency_picker_names_any_agency_of_the_province(clerk):
    found = clerk.get("/petitions/intake/agencies", query_string={"q": "thanh tra tinh"}).get_json()
    assert found[0]["label"] == "Thanh tra tỉnh Đồng Tháp"


@pytest.mark.parametrize("username", ["btcd.giamsat", "lanhdao.tinh", "caolanh.vanphong"])
def test_only_clerks_receive_petitions(client, username):
    login(client, username)
    assert client.get("/petitions/intake/").status_code == 403
    assert client.post("/petitions/intake/new", data={}).status_code == 403


def test_the_intake_pages_speak_vietnamese(app, clerk):
    ids = _ids(app)
    pages = {
        "lookup": clerk.get("/petitions/intake/"),
        "matches": clerk.get("/petitions/intake/matches", query_string={"id_number": LOAN_CCCD}),
        "join form": clerk.get(
            "/petitions/intake/new", query_string={"pick": f"join_case:{ids['loan_case']}"}
        ),
        "form with errors": clerk.post("/petitions/intake/new", data=_form(ids, summary="")),
    }
    for name, response in pages.items():
        assert english_leftovers(response.get_data(as_text=True)) == [], name
