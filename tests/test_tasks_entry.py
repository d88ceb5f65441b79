"""Entering assignment documents on screen (R3, R13, R14, R20): what is saved, what is
refused with its message next to the field and nothing saved, signatures of the PDFs."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from lxml import html as lxml_html
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.clock import set_now
from app.extensions import db
from app.files.models import StoredFile
from app.notifications.models import Notification
from app.tasks import actions
from app.tasks.models import AssignmentDocument, Task
from app.tasks.workflow import TaskConflict
from tests import sample_files
from tests import tasks_records as rec
from tests.conftest import login
from tests.petitions_processing_records import LAND_COMPLAINT, received_petition

NEW = "/tasks/documents/new"


def form_with_files(app, *, signed: bytes | None = None, name="1250-UBND-HC.pdf", **changes):
    """The entry form (demo values, ``changes``) with the signed document attached."""
    with app.app_context():
        form = rec.document_form(**changes)
        signed = rec.signed_document() if signed is None else signed
    if signed:
        form["signed_file"] = (io.BytesIO(signed), name)
    return form


def post(client, form):
    return client.post(NEW, data=form, content_type="multipart/form-data")


def page(response) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(response.get_data(as_text=True))


def error_of(tree, field_id: str) -> str:
    """The message shown under the field ``field_id``."""
    found = tree.xpath(f'//*[@id="{field_id}-error"]')
    return found[0].text_content().strip() if found else ""


def value_of(tree, field_id: str) -> str:
    element = tree.get_element_by_id(field_id)
    return element.text_content() if element.tag == "textarea" else element.get("value", "")


def stored_state(app) -> tuple:
    """Documents, tasks and file records in the database, and the files on disk."""
    with app.app_context():
        counts = tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (AssignmentDocument, Task, StoredFile, Notification)
        )
        db.session.remove()
    folder = Path(app.config["UPLOAD_FOLDER"])
    on_disk = frozenset(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else ()
    return counts, on_disk


@pytest.fixture
def before(app) -> tuple:
    """What was stored before the test posted anything."""
    return stored_state(app)


@pytest.fixture
def officer(client):
    set_now(rec.ENTERED)
    login(client, "vpub.nhiemvu")
    return client


def test_the_form_offers_only_the_agency_the_office_operates(app, officer):
    tree = page(officer.get(NEW))
    options = tree.xpath('//select[@id="assigning_agency_id"]/option')
    assert [o.text_content() for o in options] == ["Ủy ban nhân dân tỉnh Đồng Tháp"]
    assert options[0].get("selected") is not None
    grades = tree.xpath('//input[@name="secrecy_grade"]')
    assert [g.get("value") for g in grades] == ["none", "mat", "toi_mat", "tuyet_mat"]
    assert not any(g.get("checked") is not None for g in grades), "the grade must be asked"


def test_a_document_for_two_agencies_is_saved_with_its_signed_pdf(app, officer):
    form = form_with_files(app)
    form["related_files"] = (io.BytesIO(sample_files.docx()), "Danh sách vụ việc.docx")
    response = post(officer, form)
    assert response.status_code == 302
    with app.app_context():
        document = db.session.scalar(select(AssignmentDocument))
        assert response.headers["Location"].endswith(f"/tasks/documents/{document.id}")
        tasks = {t.receiving_agency.code: (t.deadline, t.role, t.status) for t in document.tasks}
        assert tasks == {
            rec.DEPARTMENT: (dt.date(2026, 11, 20), "lead", "assigned"),
            rec.CITY_INSPECTORATE: (dt.date(2026, 11, 25), "support", "assigned"),
        }
        assert document.entry_timeliness == "on_time"
        files = {f.purpose: f for f in db.session.scalars(select(StoredFile))}
        signed = files["signed_document"].signature_info
        assert signed["status"] == "valid_untrusted"
        assert signed["signatures"][0]["signer"] == "Đoàn Tấn Bửu"
        assert files["related_document"].original_name == "Danh sách vụ việc.docx"
        told = {n.recipient_agency_id for n in db.session.scalars(select(Notification))}
        assert told == {rec.agency(rec.DEPARTMENT).id, rec.agency(rec.CITY_INSPECTORATE).id}
        pk = document.id
        db.session.remove()
    shown = officer.get(f"/tasks/documents/{pk}")
    tree = page(shown)
    assert tree.get_element_by_id("document-entry-state").text_content() == "Nhập đúng hạn"
    explanation = tree.get_element_by_id("entry-verdict-explanation").text_content()
    assert "09:30 Thứ Hai 02/11/2026" in explanation and "đúng hạn" in explanation
    files = tree.get_element_by_id("signed-files").text_content()
    assert "Chữ ký số nguyên vẹn, chưa xác minh tổ chức chứng thực" in files
    assert "Đoàn Tấn Bửu" in files and "Ủy ban nhân dân tỉnh Đồng Tháp" in files
    agencies = tree.get_element_by_id("document-tasks").text_content()
    assert "Sở Tài nguyên và Môi trường tỉnh Đồng Tháp" in agencies
    assert "Cơ quan phối hợp" in agencies


@pytest.mark.parametrize(
    ("grade", "label"), [("mat", "Mật"), ("toi_mat", "Tối mật"), ("tuyet_mat", "Tuyệt mật")]
)
def test_a_document_under_a_secrecy_grade_is_refused_and_nothing_saved(
    app, before, officer, grade, label
):
    response = post(officer, form_with_files(app, secrecy_grade=grade))
    assert response.status_code == 200
    tree = page(response)
    message = error_of(tree, "secrecy_grade-0")
    assert message == (
        f"Văn bản có độ mật ({label}) không được cập nhật vào phần mềm (Điều 7 Quy chế ban "
        "hành kèm theo Quyết định 1122/QĐ-UBND-HC)."
    )
    assert value_of(tree, "number") == "1250"
    assert rec.SUMMARY in value_of(tree, "summary")
    assert (
        tree.xpath(f'//input[@name="secrecy_grade"][@value="{grade}"]')[0].get("checked")
        is not None
    )
    assert error_of(tree, "signed_file") == "Tệp đã chọn chưa được lưu: vui lòng chọn lại tệp."
    assert stored_state(app) == before


def test_the_secrecy_grade_must_be_stated(app, before, officer):
    form = form_with_files(app)
    del form["secrecy_grade"]
    response = post(officer, form)
    assert response.status_code == 200
    assert error_of(page(response), "secrecy_grade-0") == "Vui lòng chọn độ mật của văn bản."
    assert stored_state(app) == before


def test_a_task_without_a_deadline_is_refused_and_nothing_saved(app, before, officer):
    response = post(
        officer, form_with_files(app, default_deadline="", **{"receivers-1-deadline": ""})
    )
    assert response.status_code == 200
    tree = page(response)
    assert error_of(tree, "default_deadline") == (
        "Nhiệm vụ không có thời hạn thực hiện không được cập nhật vào phần mềm (Điều 7 Quy chế "
        "ban hành kèm theo Quyết định 1122/QĐ-UBND-HC)."
    )
    assert value_of(tree, "receivers-1-agency_label") == "Thanh tra thành phố Cao Lãnh"
    assert stored_state(app) == before


def test_a_refused_form_is_an_ordinary_page_with_its_receiving_agencies_numbered(
    app, before, officer
):
    """Found by the browser walk: a refusal answered 400 made the browser log an error on
    every mistake typed, and the rows of receiving agencies came back unnumbered."""
    response = post(officer, form_with_files(app, secrecy_grade="mat", default_deadline=""))
    assert response.status_code == 200
    tree = page(response)
    assert "Chưa lưu được: hãy sửa các mục được đánh dấu." in response.get_data(as_text=True)
    numbers = tree.xpath(
        '//tbody[@id="receivers-body"]//td[@class="task-receiver-number text-muted"]'
    )
    assert [cell.text_content() for cell in numbers] == ["1", "2"]
    assert stored_state(app) == before


def test_each_agency_may_have_its_own_deadline_instead_of_the_documents(app, officer):
    form = form_with_files(app, default_deadline="", **{"receivers-0-deadline": "18/11/2026"})
    assert post(officer, form).status_code == 302
    with app.app_context():
        document = db.session.scalar(select(AssignmentDocument))
        assert document.default_deadline == dt.date(2026, 11, 18)
        assert {t.deadline for t in document.tasks} == {
            dt.date(2026, 11, 18),
            dt.date(2026, 11, 25),
        }


def test_the_signed_document_is_required_and_must_be_a_pdf(app, before, officer):
    response = post(officer, form_with_files(app, signed=b""))
    assert response.status_code == 200
    assert error_of(page(response), "signed_file") == "Đính kèm văn bản giao nhiệm vụ đã ký (PDF)."
    response = post(officer, form_with_files(app, signed=sample_files.docx(), name="cv.docx"))
    assert response.status_code == 200
    assert error_of(page(response), "signed_file") == (
        "Văn bản giao nhiệm vụ đã ký phải là tệp PDF."
    )
    assert stored_state(app) == before


def test_unreadable_input_is_shown_next_to_each_field_at_once(app, before, officer):
    form = form_with_files(
        app,
        number="",
        issued_at="31/11/2026 09:30",
        **{"receivers-0-agency_id": "", "receivers-0-agency_label": "Sở Tai nguyen"},
    )
    response = post(officer, form)
    assert response.status_code == 200
    tree = page(response)
    assert error_of(tree, "number") == "Vui lòng nhập số văn bản."
    assert "dd/mm/yyyy" in error_of(tree, "issued_at")
    assert value_of(tree, "issued_at") == "31/11/2026 09:30"
    rows = tree.get_element_by_id("receivers-body").text_content()
    assert "Chọn cơ quan trong danh sách hiện ra khi gõ." in rows
    assert value_of(tree, "receivers-0-agency_label") == "Sở Tai nguyen"
    assert stored_state(app) == before


def test_receiving_agencies_must_be_subordinate_to_the_assigning_agency(app, before, client):
    set_now(rec.ENTERED)
    login(client, "caolanh.vanphong")
    with app.app_context():
        city = rec.agency("DT17-866-UB").id
        department = rec.agency(rec.DEPARTMENT).id
        inspectorate = rec.agency(rec.CITY_INSPECTORATE).id
        db.session.remove()
    found = client.get(f"/tasks/documents/receivers?assigning={city}&q=thanh tra").get_json()
    assert [choice["label"] for choice in found] == ["Thanh tra thành phố Cao Lãnh"]
    found = client.get(f"/tasks/documents/receivers?assigning={city}&q=tai nguyen").get_json()
    assert found == []
    form = form_with_files(
        app,
        assigning_agency_id=str(city),
        **{"receivers-0-agency_id": str(department), "receivers-1-agency_id": str(inspectorate)},
    )
    response = post(client, form)
    assert response.status_code == 200
    assert (
        "“Sở Tài nguyên và Môi trường tỉnh Đồng Tháp” không trực thuộc “Ủy ban nhân dân thành "
        "phố Cao Lãnh” nên không nhận nhiệm vụ của cơ quan này (khoản 2 Điều 2)."
    ) in page(response).get_element_by_id("receivers-error").text_content()
    assert stored_state(app) == before


def test_an_office_enters_documents_only_for_the_agency_it_operates(app, before, officer):
    with app.app_context():
        city = rec.agency("DT17-866-UB").id
        db.session.remove()
    assert officer.get(f"/tasks/documents/receivers?assigning={city}&q=thanh tra").get_json() == []
    response = post(officer, form_with_files(app, assigning_agency_id=str(city)))
    assert response.status_code == 200
    assert "Chỉ văn phòng theo dõi của cơ quan giao nhiệm vụ" in response.get_data(as_text=True)
    assert stored_state(app) == before


def test_agency_staff_cannot_open_the_entry_form(app, before, client):
    login(client, "stnmt.canbo")
    assert client.get(NEW).status_code == 403
    assert post(client, form_with_files(app)).status_code == 403
    assert stored_state(app) == before


def test_an_unsigned_document_is_flagged_not_refused(app, officer):
    response = post(officer, form_with_files(app, signed=rec.unsigned_document()))
    assert response.status_code == 302
    shown = officer.get(response.headers["Location"])
    text = shown.get_data(as_text=True)
    assert "Văn bản giao nhiệm vụ không có chữ ký số" in text
    files = page(shown).get_element_by_id("signed-files").text_content()
    assert "Không có chữ ký số" in files


def test_a_document_changed_after_signing_is_shown_so(app, officer):
    tampered = sample_files.tampered(rec.signed_document(), "Cong van 1250/UBND-HC giao nhiem vu")
    response = post(officer, form_with_files(app, signed=tampered))
    assert response.status_code == 302
    files = page(officer.get(response.headers["Location"])).get_element_by_id("signed-files")
    assert "Đã bị thay đổi sau khi ký" in files.text_content()
    with app.app_context():
        stored = db.session.scalar(select(StoredFile))
        assert stored.signature_info["status"] == "invalid"
        assert stored.signature_info["signatures"][0]["intact"] is False


def test_a_document_entered_after_the_next_working_day_is_late_and_says_why(app, officer):
    # R14: issued Thursday 31/12/2026 16:00; New Year's Day and the weekend follow, so
    # it was due on Monday 04/01/2027; entered Tuesday.
    set_now(dt.datetime(2027, 1, 5, 8, 0))
    form = form_with_files(
        app,
        issued_at="31/12/2026 16:00",
        default_deadline="29/01/2027",
        **{"receivers-1-deadline": ""},
    )
    response = post(officer, form)
    assert response.status_code == 302
    tree = page(officer.get(response.headers["Location"]))
    assert tree.get_element_by_id("document-entry-state").text_content() == "Nhập trễ hạn"
    explanation = tree.get_element_by_id("entry-verdict-explanation").text_content()
    assert "Thứ Hai 04/01/2027" in explanation
    assert "trễ hạn 1 ngày" in explanation


def test_a_district_office_links_its_document_to_a_petition_of_its_district(app, client):
    with app.app_context():
        petition = received_petition(matter=LAND_COMPLAINT)
        code, pk = petition.register_code, petition.id
        city = rec.agency("DT17-866-UB").id
        inspectorate = rec.agency(rec.CITY_INSPECTORATE).id
        db.session.remove()
    set_now(dt.datetime(2026, 11, 30, 9, 0))
    login(client, "caolanh.vanphong")
    found = client.get(f"/tasks/documents/petitions?q={code}").get_json()
    assert [choice["id"] for choice in found] == [pk]
    form = form_with_files(
        app,
        assigning_agency_id=str(city),
        number="87",
        symbol="UBND-TCD",
        issued_at="30/11/2026 08:00",
        default_deadline="15/12/2026",
        petition_id=str(pk),
        **{
            "receivers-0-agency_id": str(inspectorate),
            "receivers-0-agency_label": "Thanh tra thành phố Cao Lãnh",
            "receivers-1-agency_id": "",
            "receivers-1-agency_label": "",
            "receivers-1-deadline": "",
        },
    )
    response = post(client, form)
    assert response.status_code == 302
    shown = page(client.get(response.headers["Location"]))
    assert f"Đơn số {code}" in shown.get_element_by_id("document-petition").text_content()


def test_a_correction_based_on_a_stale_version_is_refused(app, officer):
    with app.app_context():
        document = rec.enter_document()
        pk, version = document.id, document.version_id
        db.session.remove()
    url = f"/tasks/documents/{pk}/edit"
    values = {
        "version_id": str(version),
        "doc_type": "cong_van",
        "number": "1250",
        "symbol": "UBND-HC",
        "summary": rec.SUMMARY + " năm 2026",
        "director_name": "Phạm Thiện Nghĩa",
        "signer_name": "Đoàn Tấn Bửu",
        "drafter_name": "Trần Thị Thu",
    }
    assert officer.post(url, data=values).status_code == 302
    stale = officer.post(url, data={**values, "symbol": "UBND-KT"})
    assert stale.status_code == 409
    page = html.unescape(stale.get_data(as_text=True))
    assert "Người khác đã cập nhật hồ sơ này" in page
    # what the first save changed, by whom and when
    assert "Thay đổi trong lúc đó: 02/11/2026 10:00, vpub.nhiemvu đã sửa Trích yếu:" in page
    assert "đất đai → …i kéo dài về đất đai năm 2026" in page
    with app.app_context():
        document = db.session.get(AssignmentDocument, pk)
        assert (document.symbol, document.summary) == ("UBND-HC", rec.SUMMARY + " năm 2026")


def test_receiving_agency_staff_read_the_document_but_cannot_correct_it(app, client):
    with app.app_context():
        document = rec.enter_document()
        pk = document.id
        db.session.remove()
    login(client, "stnmt.canbo")
    shown = client.get(f"/tasks/documents/{pk}")
    assert shown.status_code == 200
    tree = page(shown)
    assert not tree.xpath('//*[@id="correct-document"]')
    agencies = tree.get_element_by_id("document-tasks").text_content()
    assert "Thanh tra thành phố Cao Lãnh" not in agencies
    assert client.get(f"/tasks/documents/{pk}/edit").status_code == 403


def test_tasks_are_not_entered_twice_for_the_same_agency(app, officer):
    with app.app_context():
        department = str(rec.agency(rec.DEPARTMENT).id)
        db.session.remove()
    response = post(officer, form_with_files(app, **{"receivers-1-agency_id": department}))
    assert response.status_code == 200
    assert "bị chọn trùng" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Task.id))) == 0


def test_a_step_beaten_by_a_concurrent_save_is_told_what_that_save_did(app_ctx):
    """Issue 7: two officials act on one task at once; the version check passed for both,
    the database refuses the second (StaleDataError) and says what the first changed."""
    task = rec.task_of(rec.enter_document(), rec.DEPARTMENT)
    set_now(dt.datetime(2026, 11, 3, 8, 0))
    pk = task.id
    db.session.commit()
    other = Session(db.engine)
    try:
        twin = other.get(Task, pk)
        seen = twin.version_id
        with actions.saving(db.session, task, task.version_id):
            actions.acknowledge(db.session, task, task.version_id, rec.user("stnmt.canbo"))
        with pytest.raises(TaskConflict) as caught, actions.saving(other, twin, seen):
            actions.acknowledge(other, twin, seen, other.merge(rec.user("stnmt.canbo")))
    finally:
        other.close()
    assert (
        "Thay đổi trong lúc đó: 03/11/2026 08:00, system đã sửa "
        "Trạng thái: Đã giao → Đơn vị đã nhận; Xác nhận nhận lúc: — → 03/11/2026 08:00"
    ) in caught.value.message
    assert db.session.get(Task, pk).version_id == seen + 1
