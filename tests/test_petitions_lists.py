"""Petition, case and citizen lists (issue 3, R8, R11): scope, filters, diacritics-insensitive
search, pages remembered per user, Excel export of exactly the filtered list, home card."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import openpyxl
import pytest

from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.petitions.intake_data import JOIN_CASE, CaseDecision
from app.petitions.models import Citizen
from tests.conftest import login
from tests.petitions_intake_helpers import (
    CCCD_LAN,
    NOW,
    agency,
    area,
    commune,
    hung,
    land_complaint,
    receive,
)
from tests.test_i18n_pages import english_leftovers


def _at(day: int, month: int = 11, hour: int = 8) -> dt.datetime:
    return local_to_utc(dt.datetime(2026, month, day, hour, 30))


@pytest.fixture
def on_file(app) -> dict[str, dict]:
    """Petitions of Cao Lãnh's reception board, Lai Vung's and the provincial inspectorate,
    received in November 2026; "today" is Friday 27/11/2026."""
    set_now(NOW)
    with app.app_context():
        made = {
            "hung": receive(land_complaint()),
            "lan": receive(
                land_complaint(
                    received_at=_at(10),
                    kind="recommendation",
                    subject_area_id=area("kp_chinh_sach").id,
                    summary="Kiến nghị xét hỗ trợ hộ cận nghèo cho gia đình bà Lê Thị Lan",
                    signatories=[
                        hung(
                            full_name="Lê Thị Lan",
                            id_number=CCCD_LAN,
                            birth_year=1985,
                            sex="female",
                            phone="0909555777",
                        )
                    ],
                )
            ),
            "nam": receive(
                land_complaint(
                    received_at=_at(17),
                    summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất cho hộ lân cận",
                    signatories=[hung(full_name="Trần Văn Nam", id_number=None, phone=None)],
                )
            ),
            "laivung": receive(
                land_complaint(
                    "DT17-876-TCD",
                    received_at=_at(20),
                    summary="Khiếu nại bồi thường giải tỏa chợ Lai Vung",
                    signatories=[
                        hung(
                            id_number="087079003456",
                            birth_year=1979,
                            phone="0977000111",
                            commune_unit_id=commune("Xã Tân Dương").id,
                        )
                    ],
                ),
                username="laivung.tcd",
            ),
            "province": receive(
                land_complaint("DT17-TTT", received_at=_at(2)), username="ttt.chuyenvien"
            ),
        }
        made["repeat"] = receive(
            land_complaint(
                received_at=_at(25),
                signatories=[hung()],
                decision=CaseDecision(JOIN_CASE, made["province"].case_id, "sent_to_many"),
            )
        )
        facts = {
            key: {
                "id": p.id,
                "code": p.register_code,
                "case_id": p.case_id,
                "case_code": p.case.code,
                "citizen_id": p.signatories[0].citizen_id,
            }
            for key, p in made.items()
        }
        db.session.remove()
    return facts


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _listed(page: str) -> set[str]:
    return set(re.findall(r'<a href="/petitions/\d+">(\d+/\d{4})</a>', page))


def _listed_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<a href="/petitions/(\d+)">\d+/\d{4}</a>', page)]


def _switch(client, username: str) -> None:
    client.get("/logout/")
    login(client, username)


def _received_today(page: str) -> str:
    card = re.search(
        r'home-count">(\d+)</span>\s*<span class="home-title">Đơn mới tiếp nhận hôm nay', page
    )
    assert card, "no card of petitions received today"
    return card.group(1)


def _count(page: str) -> int:
    return int(re.search(r'id="list-total">(\d+) bản ghi', page).group(1))


def test_a_clerk_lists_only_the_petitions_of_their_scope(client, on_file):
    login(client, "caolanh.tcd")
    page = _text(client.get("/petitions/list/"))
    mine = {on_file[key]["code"] for key in ("hung", "lan", "nam", "repeat")}
    assert _listed(page) == mine
    assert _count(page) == 4
    assert "Ban Tiếp công dân huyện Lai Vung" not in page
    assert "Thanh tra tỉnh Đồng Tháp" not in page


def test_another_district_sees_none_of_cao_lanh(client, on_file):
    login(client, "laivung.tcd")
    page = _text(client.get("/petitions/list/"))
    assert _listed(page) == {on_file["laivung"]["code"]}
    assert "Cao Lãnh" not in page
    assert client.get("/petitions/list/", query_string={"q": "nguyen van hung"}).status_code == 200


def test_the_monitor_sees_the_whole_province(client, on_file):
    login(client, "btcd.giamsat")
    page = _text(client.get("/petitions/list/", query_string={"psize": 50}))
    assert _count(page) == 6 + 3  # the three demo petitions too
    assert "Toàn tỉnh" in page


def test_search_ignores_diacritics_and_finds_names_numbers_and_matters(client, on_file):
    login(client, "caolanh.tcd")

    def found(q: str) -> set[str]:
        return _listed(_text(client.get("/petitions/list/", query_string={"q": q})))

    assert found("nguyen van hung") == {on_file["hung"]["code"], on_file["repeat"]["code"]}
    assert found("NGUYỄN  Văn HÙNG") == found("nguyen van hung")
    assert found("ho can ngheo") == {on_file["lan"]["code"]}
    assert found(on_file["nam"]["code"]) == {on_file["nam"]["code"]}
    assert found(CCCD_LAN) == {on_file["lan"]["code"]}
    assert found("tran van nam giay chung nhan") == {on_file["nam"]["code"]}
    assert found("không có ai") == set()


def test_search_finds_every_signatory_and_follows_a_corrected_name(client, on_file):
    """R12: a word of any signatory's name finds the petition; when a clerk corrects a
    citizen's name, the list finds the petitions under the new name, not the old."""
    with client.application.app_context():
        joint = receive(
            land_complaint(
                received_at=_at(26),
                summary="Kiến nghị sửa chữa cầu khóm 5 bị sạt lở",
                signatories=[
                    hung(full_name="Phạm Thị Xuân", id_number="087185001111", phone=None),
                    hung(full_name="Đỗ Minh Khôi", id_number="087090002222", phone=None),
                ],
            )
        )
        code = joint.register_code
        db.session.remove()
    login(client, "caolanh.tcd")

    def found(q: str) -> set[str]:
        return _listed(_text(client.get("/petitions/list/", query_string={"q": q})))

    assert found("khoi") == {code}
    assert found("xuan do minh") == {code}
    with client.application.app_context():
        citizen = db.session.get(Citizen, on_file["nam"]["citizen_id"])
        citizen.full_name = "Trần Văn Nghĩa"
        db.session.commit()
        db.session.remove()
    assert found("tran van nam") == set()
    assert found("Trần Văn Nghĩa") == {on_file["nam"]["code"]}
    assert found("nghia giay chung nhan") == {on_file["nam"]["code"]}


def test_filters_by_kind_area_status_period_and_deadline(client, on_file):
    login(client, "caolanh.tcd")

    def found(**args) -> set[str]:
        return _listed(_text(client.get("/petitions/list/", query_string=args)))

    assert found(kind="recommendation") == {on_file["lan"]["code"]}
    with client.application.app_context():
        land = area("kn_dat_dai").id
        db.session.remove()
    assert found(subject_area_id=land) == {
        on_file[key]["code"] for key in ("hung", "nam", "repeat")
    }
    assert found(status="filed") == {on_file["repeat"]["code"]}
    assert found(received_from="15/11/2026", received_to="25/11/2026") == {
        on_file["nam"]["code"],
        on_file["repeat"]["code"],
    }
    # today 27/11/2026: Lan's deadline (24/11) has passed, Nam's (01/12) is 2 working days off
    assert found(deadline="overdue") == {on_file["lan"]["code"]}
    assert found(deadline="due_soon") == {on_file["nam"]["code"]}
    assert found(deadline="on_track") == {on_file["hung"]["code"]}


def test_the_agency_filter_takes_the_agency_and_those_under_it(client, on_file):
    login(client, "btcd.giamsat")
    with client.application.app_context():
        district = agency("DT17-876-UB").id
        db.session.remove()
    page = _text(client.get("/petitions/list/", query_string={"agency_id": district}))
    assert on_file["laivung"]["code"] in _listed(page)
    assert "Ban Tiếp công dân thành phố Cao Lãnh" not in page
    assert "Ủy ban nhân dân huyện Lai Vung" in page  # the picker shows the chosen agency


def test_only_this_agency_leaves_out_the_agencies_under_it(client, on_file):
    login(client, "btcd.giamsat")
    with client.application.app_context():
        board, district = agency("DT17-876-TCD").id, agency("DT17-876-UB").id
        db.session.remove()
    own = {"agency_id": district, "only_agency": "1"}
    page = _text(client.get("/petitions/list/", query_string=own))
    assert _count(page) == 0 and 'id="only_agency" name="only_agency" value="1" checked' in page
    page = _text(client.get("/petitions/list/", query_string={**own, "agency_id": board}))
    assert _listed(page) == {on_file["laivung"]["code"]}


def test_rows_are_coloured_by_deadline_state(client, on_file):
    login(client, "caolanh.tcd")
    page = _text(client.get("/petitions/list/"))
    row = r'<tr class="{}">\s*<td[^>]*><a href="/petitions/{}"'
    assert re.search(row.format("danger", on_file["lan"]["id"]), page)
    assert re.search(row.format("warning", on_file["nam"]["id"]), page)
    assert "Quá hạn" in page and "Sắp đến hạn" in page


def test_a_bad_period_date_is_said_next_to_the_field_and_ignored(client, on_file):
    login(client, "caolanh.tcd")
    page = _text(client.get("/petitions/list/", query_string={"received_from": "31/02/2026"}))
    assert "Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy" in page
    assert 'value="31/02/2026"' in page
    assert _count(page) == 4


def test_pages_and_remembered_filters_and_page_size(client, on_file):
    login(client, "btcd.giamsat")
    first = _text(client.get("/petitions/list/", query_string={"psize": 20, "kind": "complaint"}))
    assert _count(first) == 6  # the demo complaint at the provincial inspectorate too
    assert 'name="psize"' in first and '<option value="20" selected>' in first
    # the next visit without arguments keeps the filter and the page size
    again = _text(client.get("/petitions/list/"))
    assert _count(again) == 6
    assert '<option value="complaint" selected>' in again
    cleared = _text(client.get("/petitions/list/", query_string={"reset": 1}))
    assert _count(cleared) == 9


def test_pages_split_the_list(client, on_file):
    login(client, "btcd.giamsat")
    with client.application.app_context():
        for number in range(25):
            receive(
                land_complaint(
                    received_at=_at(3 + number % 20),
                    summary=f"Phản ánh tiếng ồn cơ sở xay xát số {number}",
                    signatories=[hung(full_name=f"Đỗ Văn Tám {number}", id_number=None)],
                )
            )
        db.session.remove()
    page_one = _text(client.get("/petitions/list/", query_string={"psize": 20}))
    page_two = _text(client.get("/petitions/list/", query_string={"psize": 20, "page": 2}))
    assert len(_listed_ids(page_one)) == 20
    assert len(_listed_ids(page_two)) == 34 - 20
    assert not set(_listed_ids(page_one)) & set(_listed_ids(page_two))
    assert "Trang 2 / 2" in page_two


def test_the_excel_export_holds_exactly_the_filtered_list(client, on_file):
    login(client, "caolanh.tcd")
    args = {"kind": "complaint"}
    listed = _listed(_text(client.get("/petitions/list/", query_string=args)))
    response = client.get("/petitions/list/export/danh-sach-don.xlsx", query_string=args)
    assert response.status_code == 200
    assert 'filename="danh-sach-don.xlsx"' in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in sheet[3]]
    assert header[:4] == ["STT", "Số đơn", "Ngày tiếp nhận", "Cơ quan tiếp nhận"]
    assert "Tình trạng thời hạn" in header
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert {row[1] for row in rows} == listed
    assert len(rows) == len(listed) == 3
    by_code = {row[1]: row for row in rows}
    hung_row = by_code[on_file["hung"]["code"]]
    assert hung_row[2] == dt.datetime(2026, 11, 27)
    assert hung_row[4] == "Nguyễn Văn Hùng"
    assert hung_row[7] == "Khiếu nại"
    assert hung_row[13] == dt.datetime(2026, 12, 11)
    assert sheet.cell(row=4, column=3).number_format == "dd/mm/yyyy"
    assert sheet.cell(row=4, column=2).font.name == "Times New Roman"
    assert sheet.cell(row=3, column=2).font.bold


def test_another_district_exports_none_of_cao_lanh(client, on_file):
    login(client, "laivung.tcd")
    response = client.get("/petitions/list/export/danh-sach-don.xlsx")
    rows = list(
        openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(
            min_row=4, values_only=True
        )
    )
    assert [row[1] for row in rows] == [on_file["laivung"]["code"]]
    assert client.get("/petitions/list/export/..%2Fsecret.txt").status_code == 404


def test_citizens_list_and_page_stay_in_scope(client, on_file):
    login(client, "caolanh.tcd")
    page = _text(client.get("/petitions/citizens/", query_string={"q": "nguyen van hung"}))
    assert "Nguyễn Văn Hùng" in page
    assert len(re.findall(r'href="/petitions/citizens/\d+"', page)) == 1
    person = _text(client.get(f"/petitions/citizens/{on_file['hung']['citizen_id']}"))
    assert on_file["hung"]["code"] in person and on_file["repeat"]["code"] in person
    assert client.get(f"/petitions/citizens/{on_file['laivung']['citizen_id']}").status_code == 404
    _switch(client, "laivung.tcd")
    assert "Nguyễn Văn Hùng" in _text(client.get("/petitions/citizens/"))
    assert client.get(f"/petitions/citizens/{on_file['hung']['citizen_id']}").status_code == 404


def test_a_case_page_shows_first_time_and_repeat_and_hides_another_agency_title(client, on_file):
    login(client, "caolanh.tcd")
    cases = _text(client.get("/petitions/cases/"))
    assert on_file["province"]["case_code"] in cases
    assert "Do cơ quan ngoài phạm vi của bạn giữ" in cases
    joined = _text(client.get(f"/petitions/cases/{on_file['province']['case_id']}"))
    assert "Thanh tra tỉnh Đồng Tháp" in joined
    assert on_file["repeat"]["code"] in joined
    assert on_file["province"]["code"] not in joined  # the inspectorate's own petition
    assert "Nhiều lần" in joined and "Đơn gửi nhiều nơi" in joined
    own = _text(client.get(f"/petitions/cases/{on_file['hung']['case_id']}"))
    assert "Lần đầu" in own and "Khiếu nại quyết định thu hồi đất" in own
    _switch(client, "ttt.chuyenvien")
    held = _text(client.get(f"/petitions/cases/{on_file['province']['case_id']}"))
    assert on_file["province"]["code"] in held
    assert on_file["repeat"]["code"] not in held
    assert client.get(f"/petitions/cases/{on_file['hung']['case_id']}").status_code == 404


def test_the_home_page_counts_petitions_received_today(client, on_file):
    login(client, "caolanh.tcd")
    page = _text(client.get("/"))
    assert _received_today(page) == "1"
    assert "received_from=27%2F11%2F2026" in page
    _switch(client, "laivung.tcd")
    assert _received_today(_text(client.get("/"))) == "0"


@pytest.mark.parametrize("username", ["lanhdao.tinh", "caolanh.quantri", "btcd.giamsat"])
def test_leaders_monitors_and_agency_admins_read_the_lists(client, on_file, username):
    login(client, username)
    for url in ("/petitions/list/", "/petitions/cases/", "/petitions/citizens/"):
        assert client.get(url).status_code == 200, url


def test_staff_without_the_lists_cannot_open_them(client, on_file):
    login(client, "stnmt.canbo")
    assert client.get("/petitions/list/").status_code == 403
    assert client.get("/petitions/list/export/danh-sach-don.xlsx").status_code == 403


def test_citizens_are_found_by_phone_typed_with_spaces(client, on_file):
    login(client, "caolanh.tcd")
    page = _text(client.get("/petitions/citizens/", query_string={"q": "0918 123 456"}))
    assert re.findall(r'href="/petitions/citizens/\d+">([^<]+)<', page) == ["Nguyễn Văn Hùng"]


def test_the_list_pages_speak_vietnamese(client, on_file):
    login(client, "caolanh.tcd")
    urls = [
        "/petitions/list/",
        "/petitions/cases/",
        f"/petitions/cases/{on_file['province']['case_id']}",
        "/petitions/citizens/",
        f"/petitions/citizens/{on_file['hung']['citizen_id']}",
    ]
    for url in urls:
        assert english_leftovers(client.get(url).get_data(as_text=True)) == [], url
