"""Bad input through the API and the forms (issue 7, Bad input; R7, R23): script typed in
a text field is stored as typed and shown escaped; Vietnamese typed decomposed (NFD, as
some macOS and mobile keyboards send it) is stored composed (NFC), so searches and lists
treat it as the same text; a 1 MB text is refused clearly and saves nothing; SQL-looking
text is only text; a zero-byte or fake PDF is refused. Hypothesis checks the validators
of ID numbers, phones and dd/mm/yyyy dates on any input: a Vietnamese refusal or a
value, never a crash."""

from __future__ import annotations

import datetime as dt
import html
import unicodedata

import prison
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from app.core.clock import set_now
from app.extensions import db
from app.files.models import StoredFile
from app.petitions.identity import (
    CCCD_PROVINCE_CODES,
    IdentityError,
    normalize_phone,
    parse_id_number,
    parse_phone,
)
from app.petitions.models import Citizen, Petition, ReceptionVisit
from app.tasks.models import AssignmentDocument
from app.ui.dates import parse_vn_date, parse_vn_datetime
from tests import tasks_records
from tests.conftest import api_token, login
from tests.test_api_scope import visit_body
from tests.test_petitions_api import _body as intake_body
from tests.test_petitions_api import ids as ids  # the fixture
from tests.test_petitions_intake_screen import _form as intake_form
from tests.test_petitions_intake_screen import _ids as intake_ids
from tests.test_tasks_api import document_body

SCRIPT = '<script>alert("đơn thư")</script><img src=x onerror=alert(1)>'
SQL = "Nguyễn Văn A'); DROP TABLE petition; --"
SQL_SUMMARY = "Khiếu nại' OR '1'='1 về thu hồi đất; DELETE FROM citizen WHERE 1=1 --"
MEGABYTE = "Khiếu nại mức bồi thường đất. " * 36_000  # about 1 MB of text
NFC_NAME = "Nguyễn Thị Ánh Tuyết"
NFC_SUMMARY = "Khiếu nại việc thu hồi đất ở ấp Mỹ Hưng, xã Mỹ Tân"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def headers(client) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(client, 'caolanh.tcd')}"}


def stored(app, petition_id: int) -> tuple[str, str]:
    with app.app_context():
        petition = db.session.get(Petition, petition_id)
        found = (petition.summary, petition.signatories[0].citizen.full_name)
        db.session.remove()
    return found


def count(app, model) -> int:
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
    return found


def signatory(ids, **changes) -> list[dict]:
    row = intake_body(ids)["signatories"][0]
    row.update(changes)
    return [row]


def test_script_in_text_is_stored_as_typed_and_shown_escaped(app, client, ids):
    body = intake_body(ids, summary=SCRIPT, signatories=signatory(ids, full_name=SCRIPT[:150]))
    response = client.post("/api/v1/petitions/intake", json=body, headers=headers(client))
    assert response.status_code == 201, response.get_json()
    pk = response.get_json()["id"]
    assert stored(app, pk)[0] == SCRIPT
    login(client, "caolanh.tcd")
    for url in (f"/petitions/{pk}", "/petitions/list/"):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;alert(" in page, url


def test_decomposed_vietnamese_is_stored_composed_through_the_api(app, client, ids):
    body = intake_body(
        ids, summary=nfd(NFC_SUMMARY), signatories=signatory(ids, full_name=nfd(NFC_NAME))
    )
    assert nfd(NFC_NAME) != NFC_NAME
    response = client.post("/api/v1/petitions/intake", json=body, headers=headers(client))
    assert response.status_code == 201, response.get_json()
    assert stored(app, response.get_json()["id"]) == (NFC_SUMMARY, NFC_NAME)
    # typed composed, the name is found by an exact search
    query = prison.dumps({"filters": [{"col": "full_name", "opr": "eq", "value": NFC_NAME}]})
    found = client.get("/api/v1/citizens/", query_string={"q": query}, headers=headers(client))
    assert found.get_json()["count"] == 1


def test_decomposed_vietnamese_is_stored_composed_through_the_form(app, client):
    form_ids = intake_ids(app)
    login(client, "caolanh.tcd")
    form = intake_form(
        form_ids,
        summary=nfd(NFC_SUMMARY),
        **{"signatories-0-full_name": nfd(NFC_NAME)},
    )
    response = client.post("/petitions/intake/new", data=form)
    assert response.status_code == 302
    pk = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    assert stored(app, pk) == (NFC_SUMMARY, NFC_NAME)


def test_decomposed_vietnamese_in_a_reception_visit_is_stored_composed(app, client):
    body = visit_body(app, matter_summary=nfd(NFC_SUMMARY), official_name=nfd("Nguyễn Thị Lan"))
    body["visitors"][0]["full_name"] = nfd(NFC_NAME)
    set_now(dt.datetime(2026, 11, 27, 16, 0))
    response = client.post("/api/v1/reception_visits/", json=body, headers=headers(client))
    assert response.status_code == 201, response.get_json()
    with app.app_context():
        visit = db.session.get(ReceptionVisit, response.get_json()["id"])
        assert visit.matter_summary == NFC_SUMMARY
        assert visit.official_name == "Nguyễn Thị Lan"
        assert visit.citizens[0].full_name == NFC_NAME
        db.session.remove()


def test_a_megabyte_of_text_is_refused_clearly_through_the_api(app, client, ids):
    before = count(app, Petition)
    body = intake_body(ids, summary=MEGABYTE, content=MEGABYTE)
    response = client.post("/api/v1/petitions/intake", json=body, headers=headers(client))
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert "500" in errors["summary"][0] and "20000" in errors["content"][0].replace(".", "")
    assert count(app, Petition) == before
    lookup = client.post(
        "/api/v1/petitions/lookup", json={"matter": MEGABYTE}, headers=headers(client)
    )
    assert lookup.status_code == 400
    assert lookup.get_json()["message"] == "“Nội dung vụ việc (vài từ)” dài quá 2000 ký tự."


def test_a_megabyte_of_text_is_refused_clearly_through_the_form(app, client):
    form_ids = intake_ids(app)
    before = count(app, Petition)
    login(client, "caolanh.tcd")
    response = client.post("/petitions/intake/new", data=intake_form(form_ids, summary=MEGABYTE))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "Đơn chưa được lưu" in page
    assert "500 ký tự" in page
    assert count(app, Petition) == before


def test_sql_looking_text_is_only_text(app, client, ids):
    body = intake_body(ids, summary=SQL_SUMMARY, signatories=signatory(ids, full_name=SQL))
    response = client.post("/api/v1/petitions/intake", json=body, headers=headers(client))
    assert response.status_code == 201, response.get_json()
    assert stored(app, response.get_json()["id"]) == (SQL_SUMMARY, SQL)
    with app.app_context():
        assert {"petition", "citizen"} <= set(inspect(db.engine).get_table_names())
        db.session.remove()
    lookup = client.post(
        "/api/v1/petitions/lookup",
        json={"full_name": SQL, "id_number": "1' OR '1'='1", "matter": SQL_SUMMARY},
        headers=headers(client),
    )
    assert lookup.status_code == 200
    query = prison.dumps(
        {"filters": [{"col": "summary", "opr": "ct", "value": "%' OR 1=1; DROP TABLE x --"}]}
    )
    listed = client.get("/api/v1/petitions/", query_string={"q": query}, headers=headers(client))
    assert listed.status_code == 200 and listed.get_json()["count"] == 0
    assert count(app, Citizen) >= 1


# --- validators, on any input -------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_the_id_number_parser_refuses_in_vietnamese_or_gives_a_valid_number(text):
    try:
        info = parse_id_number(text)
    except IdentityError as error:
        assert str(error)
    else:
        assert info.number.isdigit() and len(info.number) in (9, 12)


@settings(max_examples=200, deadline=None)
@given(
    province=st.sampled_from(sorted(CCCD_PROVINCE_CODES)),
    century_sex=st.sampled_from("0123"),
    year=st.integers(0, 99),
    serial=st.integers(0, 999_999),
    spaces=st.sampled_from(["", " ", ".", "-"]),
)
def test_a_cccd_is_read_whatever_separators_are_typed(province, century_sex, year, serial, spaces):
    digits = f"{province}{century_sex}{year:02d}{serial:06d}"
    typed = spaces.join([digits[:3], digits[3:6], digits[6:]])
    try:
        info = parse_id_number(typed)
    except IdentityError:
        return  # a separator the parser does not take is refused, in Vietnamese
    assert info.number == digits


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 +.-()abc", max_size=20))
def test_the_phone_parser_refuses_or_gives_ten_or_eleven_digits(text):
    try:
        phone = parse_phone(text)
    except IdentityError as error:
        assert "điện thoại" in str(error)
    else:
        assert phone.isdigit() and phone.startswith("0") and len(phone) in (10, 11)
        assert normalize_phone(text) == phone


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=25))
def test_the_date_parsers_raise_value_error_or_give_a_date(text):
    try:
        day = parse_vn_date(text)
    except ValueError:
        pass
    else:
        assert isinstance(day, dt.date)
    try:
        moment = parse_vn_datetime(text)
    except ValueError:
        pass
    else:
        assert isinstance(moment, dt.datetime)


@pytest.mark.parametrize("text", ["31/02/2026", "00/01/2026", "32/12/2026", "29/02/2025"])
def test_impossible_days_are_refused(text):
    with pytest.raises(ValueError):
        parse_vn_date(text)


# --- files through the API ------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("1250-UBND-HC.pdf", b""),
        ("1250-UBND-HC.pdf", b"<html><script>alert(1)</script></html>"),
        ("1250-UBND-HC.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not a pdf at all"),
    ],
    ids=["zero-byte", "html-named-pdf", "program-named-pdf"],
)
def test_an_empty_or_fake_pdf_is_refused_and_nothing_saved(app, client, filename, content):
    set_now(tasks_records.ENTERED)
    before = (count(app, AssignmentDocument), count(app, StoredFile))
    body = document_body(app, signed_document=tasks_records.as_json_file(filename, content))
    officer = {"Authorization": f"Bearer {api_token(client, 'vpub.nhiemvu')}"}
    response = client.post("/api/v1/task_documents/", json=body, headers=officer)
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation_failed"
    assert response.get_json()["errors"]["signed_document"][0]
    assert (count(app, AssignmentDocument), count(app, StoredFile)) == before
