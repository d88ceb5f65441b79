"""The citizen reception book (Luật TCD Art. 25; TT 06/2014; L136): recording visits with
their rules, first-time and repeat visits from the case, the book's filters and scope,
its Excel export, and the screens."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.petitions.intake_data import SignatoryData
from app.petitions.models import Citizen, ReceptionVisit
from app.petitions.reception import (
    VisitData,
    VisitInvalid,
    delegation_warning,
    delete_visit,
    record_visit,
    representative_ids,
)
from app.petitions.reception_book import BookFilter, book_rows, count_visits
from app.petitions.reception_export import book_workbook
from app.petitions.reception_form import parse_visit_form
from app.security.models import AppUser
from tests import petition_records as records
from tests import petitions_intake_helpers as intake
from tests.conftest import login

NOW = dt.datetime(2026, 11, 27, 16, 0)


def _user(username: str = "caolanh.tcd") -> AppUser:
    return db.session.scalar(select(AppUser).where(AppUser.username == username))


def _at(day: int, hour: int = 8, month: int = 11) -> dt.datetime:
    return local_to_utc(dt.datetime(2026, month, day, hour, 30))


def _known(agency_code: str = "DT17-866-TCD", **changes) -> SignatoryData:
    citizen = records.citizen(agency_code, **changes)
    return SignatoryData(full_name=citizen.full_name, citizen_id=citizen.id)


def _visit(**changes) -> VisitData:
    values = {
        "agency_id": records.agency("DT17-866-TCD").id,
        "received_at": _at(25),
        "official_name": "Nguyễn Thị Lan",
        "visitors": [_known()],
        "matter_summary": "Ông Hùng khiếu nại mức bồi thường khi thu hồi đất tại khóm 3, Phường 1",
        "outcome": "petition_received",
    }
    values.update(changes)
    return VisitData(**values)


def _count() -> int:
    return db.session.scalar(
        select(func.count()).select_from(ReceptionVisit).execution_options(include_deleted=True)
    )


@pytest.fixture
def now(app_ctx):
    set_now(NOW)
    return NOW


def test_a_visit_is_recorded_with_known_and_new_citizens(now):
    new = SignatoryData(
        full_name="Trần Thị Lan",
        id_number="087185004321",
        birth_year=1985,
        sex="female",
        commune_unit_id=records.commune("Xã Mỹ Ngãi").id,
        address_detail="Ấp 3",
    )
    visit = record_visit(db.session, _visit(visitors=[_known(), new]), _user())
    assert visit.id is not None
    assert [c.full_name for c in visit.citizens] == ["Nguyễn Văn Hùng", "Trần Thị Lan"]
    assert visit.people_count == 2
    assert visit.first_time is True
    assert visit.reception_type == "regular" and visit.channel == "in_person"
    lan = db.session.scalar(select(Citizen).where(Citizen.full_name == "Trần Thị Lan"))
    assert lan.agency_id == records.agency("DT17-866-TCD").id


def test_the_earliest_visit_of_a_case_is_the_first_the_others_repeats(now):
    petition = records.petition()
    later = record_visit(db.session, _visit(case_id=petition.case_id, received_at=_at(26)), _user())
    assert later.first_time is True
    earlier = record_visit(
        db.session, _visit(case_id=petition.case_id, received_at=_at(20)), _user()
    )
    assert earlier.first_time is True
    assert later.first_time is False
    delete_visit(db.session, earlier)
    assert later.first_time is True


def test_a_petition_received_from_a_visit_gives_the_visit_its_case(now):
    first = record_visit(db.session, _visit(received_at=_at(10)), _user())
    petition = records.petition(visit_id=first.id)
    assert first.case_id == petition.case_id
    assert first.first_time is True
    second = record_visit(db.session, _visit(received_at=_at(24)), _user())
    records.petition(visit_id=second.id, case_id=petition.case_id)
    db.session.flush()
    assert second.case_id == petition.case_id
    assert second.first_time is False


def test_the_intake_of_a_petition_from_a_visit_links_the_visit_to_its_case(now):
    visit = record_visit(db.session, _visit(received_at=_at(27, 8)), _user())
    db.session.commit()
    petition = intake.receive(intake.land_complaint(visit_id=visit.id))
    assert petition.visit_id == visit.id
    assert visit.case_id == petition.case_id
    assert visit.first_time is True


def test_a_delegation_has_its_representatives(now):
    people = [_known(full_name=name, id_number=None) for name in ("Lê Văn Tám", "Võ Thị Mai")]
    people[0].is_representative = True
    visit = record_visit(
        db.session,
        _visit(visitors=people, people_count=12, is_delegation=True),
        _user(),
    )
    assert visit.is_delegation and visit.people_count == 12
    assert representative_ids(db.session, visit) == {people[0].citizen_id}


def test_l136_no_delegation_to_a_deputy_from_july_2026_is_a_warning():
    assert delegation_warning(_at(30, month=6), True) is None
    assert delegation_warning(_at(1, month=7), False) is None
    warning = delegation_warning(_at(1, month=7), True)
    assert warning is not None and "01/07/2026" in warning


def test_a_delegated_head_reception_after_july_2026_is_still_recorded(now):
    visit = record_visit(
        db.session,
        _visit(reception_type="leader_periodic", delegated=True, official_name="Trần Văn Bình"),
        _user(),
    )
    assert visit.delegated is True


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"received_at": _at(28, 9)}, "received_at", "không được ở tương lai"),
        ({"visitors": []}, "visitors", "Thêm ít nhất một công dân"),
        ({"matter_summary": ""}, "matter_summary", "bắt buộc"),
        ({"outcome": "guided"}, "outcome_note", "nơi hướng dẫn"),
        ({"outcome": "refused"}, "outcome_note", "Điều 9"),
        ({"outcome": "bribe"}, "outcome", "Chọn một giá trị"),
        ({"channel": "fax"}, "channel", "Chọn một giá trị"),
        ({"delegated": True}, "reception_type", "tiếp định kỳ hoặc đột xuất"),
        ({"reception_type": "leader_adhoc"}, "leader_in_person", "đánh dấu một trong hai"),
        ({"people_count": 6}, "is_delegation", "đoàn đông người"),
        ({"people_count": 3, "is_delegation": True}, "is_delegation", "từ 05 người"),
        ({"people_count": 7, "is_delegation": True}, "visitors", "1 đến 2 người đại diện"),
        ({"case_id": -1}, "case", "không có trong phạm vi"),
        ({"official_name": "x" * 151}, "official_name", "tối đa 150"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message_and_nothing_saved(
    now, changes, field, message
):
    before = _count()
    with pytest.raises(VisitInvalid) as invalid:
        record_visit(db.session, _visit(**changes), _user())
    assert message in invalid.value.errors[field]
    assert _count() == before


def test_the_form_reads_id_numbers_and_years_as_intake_does(now):
    form = _form(
        agency=str(records.agency("DT17-866-TCD").id),
        **{"signatories-0-id_number": "087078001234", "signatories-0-birth_year": "1990"},
        people_count="hai",
    )
    data, errors = parse_visit_form(db.session, form, _user())
    assert "1978" in errors["signatories-0-id_number"]
    assert errors["people_count"] == "Nhập một số nguyên."
    assert data.visitors[0].full_name == "Huỳnh Văn Sáu"


def test_another_district_and_its_cases_are_refused(now):
    laivung = records.agency("DT17-876-TCD").id
    with pytest.raises(VisitInvalid) as invalid:
        record_visit(db.session, _visit(agency_id=laivung), _user())
    assert "ngoài phạm vi" in invalid.value.errors["agency"]
    other_case = records.petition("DT17-876-TCD").case_id
    with pytest.raises(VisitInvalid) as invalid:
        record_visit(db.session, _visit(case_id=other_case), _user())
    assert "case" in invalid.value.errors


def _book_data():
    clerk = _user()
    record_visit(db.session, _visit(received_at=_at(3)), clerk)
    record_visit(
        db.session,
        _visit(
            received_at=_at(15),
            reception_type="leader_periodic",
            leader_in_person=True,
            official_name="Trần Văn Bình",
            outcome="guided",
            outcome_note="Hướng dẫn gửi đơn đến Tòa án nhân dân thành phố Cao Lãnh",
        ),
        clerk,
    )
    record_visit(
        db.session,
        _visit(
            agency_id=records.agency("DT17-876-TCD").id,
            visitors=[_known("DT17-876-TCD", full_name="Phạm Văn Tư", id_number=None)],
            received_at=_at(20),
        ),
        _user("laivung.tcd"),
    )


def test_the_book_filters_by_period_agency_type_and_scope(now):
    _book_data()
    clerk, other = _user(), _user("laivung.tcd")
    assert count_visits(db.session, clerk, BookFilter()) == 2
    assert count_visits(db.session, other, BookFilter()) == 1
    assert count_visits(db.session, _user("btcd.giamsat"), BookFilter()) == 3
    november = BookFilter(date_from=dt.date(2026, 11, 10), date_to=dt.date(2026, 11, 15))
    assert count_visits(db.session, clerk, november) == 1
    head = BookFilter(reception_type="leader_periodic")
    [row] = book_rows(db.session, clerk, head)
    assert row.official == "Trần Văn Bình (Thủ trưởng trực tiếp tiếp)"
    assert row.handling == ["Hướng dẫn gửi đơn đến Tòa án nhân dân thành phố Cao Lãnh"]
    assert row.result == "Hướng dẫn đến cơ quan có thẩm quyền — tiếp lần đầu"
    laivung = BookFilter(agency_id=records.agency("DT17-876-TCD").id)
    assert count_visits(db.session, clerk, laivung) == 0


def test_the_book_row_lists_people_with_addresses_and_petitions(now):
    visit = record_visit(db.session, _visit(received_at=_at(3)), _user())
    records.petition(visit_id=visit.id, register_number=125)
    [row] = book_rows(db.session, _user(), BookFilter())
    assert row.number == 1
    assert row.people == [
        "Nguyễn Văn Hùng — Số 12 đường Nguyễn Huệ, khóm 3, Phường 1, "
        "Thành phố Cao Lãnh, Tỉnh Đồng Tháp"
    ]
    assert row.handling == ["Đơn số 125/2026: Đã tiếp nhận"]


def test_the_excel_export_has_the_book_columns(now):
    _book_data()
    rows = book_rows(db.session, _user(), BookFilter())
    content = book_workbook(rows, "Ban Tiếp công dân thành phố Cao Lãnh — Từ ngày 01/11/2026")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "SỔ TIẾP CÔNG DÂN"
    assert [cell.value for cell in sheet[4]] == [
        "STT",
        "Ngày tiếp",
        "Họ tên, địa chỉ",
        "Số người",
        "Nội dung vụ việc",
        "Kết quả tiếp",
        "Hướng xử lý",
        "Cán bộ tiếp",
    ]
    assert [sheet.cell(row=5, column=1).value, sheet.cell(row=6, column=1).value] == [1, 2]
    assert sheet.cell(row=5, column=2).value == "08:30 03/11/2026"
    assert sheet.cell(row=6, column=8).value == "Trần Văn Bình (Thủ trưởng trực tiếp tiếp)"
    assert sheet.max_row == 6


def _form(**changes) -> dict:
    data = {
        "agency": "",
        "received_at": "25/11/2026 08:30",
        "channel": "in_person",
        "reception_type": "regular",
        "official_name": "Nguyễn Thị Lan",
        "signatories-0-full_name": "Huỳnh Văn Sáu",
        "signatories-0-id_number": "087 079 005 678",
        "signatories-0-birth_year": "1979",
        "signatories-0-address_detail": "Số 5 đường Lê Lợi, khóm 1",
        "matter_summary": "Ông Sáu phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm",
        "outcome": "answered",
        "outcome_note": "Đã giải thích quy trình cấp giấy chứng nhận",
    }
    data.update(changes)
    return data


def _agency_id(app, code: str) -> str:
    with app.app_context():
        pk = records.agency(code).id
        db.session.remove()
    return str(pk)


def test_the_clerk_records_a_visit_on_screen(app, client):
    set_now(NOW)
    login(client, "caolanh.tcd")
    form = client.get("/reception/new")
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert "Ghi lượt tiếp công dân" in html and "Nguyễn Thị Lan" in html
    response = client.post("/reception/new", data=_form(agency=_agency_id(app, "DT17-866-TCD")))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ghi lượt tiếp vào sổ tiếp công dân." in page
    assert "Huỳnh Văn Sáu" in page and "087079005678" in page
    assert "Tiếp nhận đơn từ lượt tiếp này" in page
    assert "/petitions/intake/?visit=" in page
    book = client.get("/reception/book/").get_data(as_text=True)
    assert "Huỳnh Văn Sáu" in book and "Trả lời trực tiếp" in book


def test_a_refused_form_keeps_what_was_typed(app, client):
    set_now(NOW)
    login(client, "caolanh.tcd")
    response = client.post(
        "/reception/new",
        data=_form(
            agency=_agency_id(app, "DT17-866-TCD"),
            **{"signatories-0-id_number": "123"},
            received_at="32/11/2026",
        ),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Chưa lưu lượt tiếp" in html
    assert "Số định danh phải có 12 chữ số" in html
    assert "Ngày giờ không hợp lệ" in html or "không hợp lệ" in html
    assert "Huỳnh Văn Sáu" in html
    assert "Ông Sáu phản ánh việc cấp giấy chứng nhận" in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReceptionVisit)) == 0
        db.session.remove()


def test_the_delegation_warning_is_shown_after_saving(app, client):
    set_now(NOW)
    login(client, "caolanh.tcd")
    response = client.post(
        "/reception/new",
        data=_form(
            agency=_agency_id(app, "DT17-866-TCD"),
            reception_type="leader_adhoc",
            delegated="y",
        ),
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Luật số 136/2025/QH15" in html


def test_visits_of_another_district_are_not_found(app, client):
    set_now(NOW)
    with app.app_context():
        visit = record_visit(
            db.session,
            _visit(
                agency_id=records.agency("DT17-876-TCD").id,
                visitors=[_known("DT17-876-TCD", full_name="Phạm Văn Tư", id_number=None)],
            ),
            _user("laivung.tcd"),
        )
        db.session.commit()
        pk = visit.id
        db.session.remove()
    login(client, "caolanh.tcd")
    assert client.get(f"/reception/{pk}").status_code == 404
    assert client.get(f"/reception/{pk}/edit").status_code == 404
    assert client.post(f"/reception/{pk}/delete").status_code == 404
    assert "Phạm Văn Tư" not in client.get("/reception/book/").get_data(as_text=True)
    assert client.get("/reception/citizens?q=Tu").get_json() == []


def test_the_citizen_picker_searches_the_scope(app, client):
    with app.app_context():
        records.citizen()
        db.session.commit()
        db.session.remove()
    login(client, "caolanh.tcd")
    [found] = client.get("/reception/citizens?q=nguyen hung").get_json()
    assert found["label"] == "Nguyễn Văn Hùng"
    assert "087078001234" in found["hint"]
    assert client.get("/reception/citizens?q=0870780").get_json()[0]["label"] == "Nguyễn Văn Hùng"


def test_the_book_exports_to_excel(app, client):
    set_now(NOW)
    with app.app_context():
        _book_data()
        db.session.commit()
        db.session.remove()
    login(client, "caolanh.tcd")
    response = client.get(
        "/reception/book/export/so-tiep-cong-dan.xlsx?date_from=01/11/2026&date_to=30/11/2026"
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert (
        sheet["A2"].value
        == "Ban Tiếp công dân thành phố Cao Lãnh — Từ ngày 01/11/2026 đến ngày 30/11/2026"
    )
    assert sheet.max_row == 6


def test_a_leader_reads_the_book_but_does_not_record(app, client):
    login(client, "lanhdao.tinh")
    assert client.get("/reception/book/").status_code == 200
    assert client.get("/reception/new").status_code == 403
