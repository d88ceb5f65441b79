"""Official slips (issue 3): each renders from its Word template with the agency's header,
the document number, Vietnamese dates and the petition's data."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from sqlalchemy import select

from app.complaints.models import ComplaintGround
from app.complaints.services import accept, open_dossier, refuse
from app.core.clock import local_to_utc, set_now
from app.core.vndate import date_in_words
from app.extensions import db
from app.petitions.legal_refs import legal_citation
from app.petitions.models import PetitionEvent
from app.petitions.slips import (
    SLIP_KINDS,
    TEMPLATE_DIR,
    SlipUnavailable,
    available_slips,
    record_slip_issued,
    render_slip,
)
from app.security.models import AppUser
from tests import petition_records as records
from tests.conftest import login

BUILD_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "build_slip_templates.py"
PROCESSED = local_to_utc(dt.datetime(2026, 11, 27, 10, 0))


def _clerk() -> AppUser:
    return db.session.scalar(select(AppUser).where(AppUser.username == "caolanh.tcd"))


def _text(content: bytes) -> str:
    """Every paragraph of the document, tables included, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _render(petition, code: str) -> tuple[str, object]:
    slip = render_slip(db.session, petition, code, _clerk())
    return _text(slip.content), slip


def _header_ok(text: str) -> None:
    assert "UBND THÀNH PHỐ CAO LÃNH" in text
    assert "BAN TIẾP CÔNG DÂN" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


def test_receipt_for_the_citizen(app_ctx):
    petition = records.petition(register_number=125)
    text, slip = _render(petition, "receipt")
    _header_ok(text)
    assert slip.number == "125/BN-TCD"
    assert "Số: 125/BN-TCD" in text
    assert "Cao Lãnh, ngày 20 tháng 11 năm 2026" in text
    assert "GIẤY BIÊN NHẬN" in text
    assert "Vào hồi 14 giờ 30 phút, ngày 20 tháng 11 năm 2026" in text
    assert "Ông Nguyễn Văn Hùng, sinh năm 1978" in text
    assert "087078001234" in text
    assert "Số 12 đường Nguyễn Huệ, khóm 3, Phường 1, Thành phố Cao Lãnh, Tỉnh Đồng Tháp" in text
    assert "Khiếu nại Quyết định số 245/QĐ-UBND về thu hồi đất" in text
    assert "Số vào sổ tiếp nhận đơn: 125/2026." in text
    # Luật TCD Art. 28: the reply deadline
    assert "chậm nhất ngày 04 tháng 12 năm 2026" in text
    assert "- Không có." in text
    assert slip.filename == "giay-bien-nhan-125-2026.docx"


def test_forwarding_slip_names_the_target_agency_and_the_legal_ground(app_ctx):
    petition = records.petition(
        kind="recommendation",
        summary="Kiến nghị sửa chữa đoạn đường đal ấp Mỹ Phú bị sụt lún",
        status="forwarded",
        processed_at=PROCESSED,
        target_agency_id=records.agency("DT17-STNMT-TT").id,
        outcome_reason_id=records.reason("kien_nghi_ngoai_tham_quyen").id,
        register_number=37,
    )
    text, slip = _render(petition, "forwarding")
    _header_ok(text)
    assert slip.number == "37/PCĐ-TCD"
    assert "Số: 37/PCĐ-TCD" in text
    assert "Cao Lãnh, ngày 27 tháng 11 năm 2026" in text
    assert "PHIẾU CHUYỂN ĐƠN" in text
    assert "Kính gửi: Thanh tra Sở Tài nguyên và Môi trường." in text
    assert (
        "Ngày 20 tháng 11 năm 2026, Ban Tiếp công dân thành phố Cao Lãnh nhận được đơn kiến nghị"
        in text
    )
    assert "Kiến nghị sửa chữa đoạn đường đal ấp Mỹ Phú bị sụt lún" in text
    assert "căn cứ khoản 2 Điều 21 Thông tư số 07/2014/TT-TTCP" in text
    assert "TRƯỞNG BAN" in text
    assert "Ông Nguyễn Văn Hùng (để biết)" in text


def test_guidance_slip_tells_the_citizen_where_to_go(app_ctx):
    woman = records.citizen(
        full_name="Trần Thị Lan",
        id_number="087185004321",
        birth_year=1985,
        sex="female",
        commune_unit_id=records.commune("Xã Mỹ Ngãi").id,
        address_detail="Ấp 3",
    )
    petition = records.petition(
        citizens=[woman],
        status="guided",
        competent=False,
        processed_at=PROCESSED,
        target_name="Tòa án nhân dân thành phố Cao Lãnh",
        outcome_reason_id=records.reason("tham_quyen_to_tung").id,
        outcome_note="Vụ việc tranh chấp quyền sử dụng đất giữa các hộ gia đình",
    )
    text, slip = _render(petition, "guidance")
    assert "PHIẾU HƯỚNG DẪN" in text
    # document numbers below 10 are written from 01
    assert slip.number == "01/PHD-TCD"
    assert "Kính gửi: Bà Trần Thị Lan." in text
    assert "Địa chỉ: Ấp 3, Xã Mỹ Ngãi, Thành phố Cao Lãnh, Tỉnh Đồng Tháp." in text
    assert "Đề nghị bà gửi đơn đến Tòa án nhân dân thành phố Cao Lãnh" in text
    assert "Thuộc thẩm quyền của cơ quan tiến hành tố tụng, thi hành án" in text
    assert "Vụ việc tranh chấp quyền sử dụng đất giữa các hộ gia đình" in text
    assert "Điều 23 Thông tư số 07/2014/TT-TTCP" in text


def _dossier(petition):
    set_now(dt.datetime(2026, 11, 27, 15, 0))
    return open_dossier(db.session, petition, _clerk())


def test_acceptance_notice_once_the_dossier_is_accepted(app_ctx):
    petition = records.petition(status="accepted", competent=True, processed_at=PROCESSED)
    dossier = _dossier(petition)
    assert "acceptance" not in [kind.code for kind in available_slips(petition)]
    accept(db.session, dossier, _clerk(), dt.date(2026, 11, 27), "15/TB-TCD")
    text, slip = _render(petition, "acceptance")
    assert slip.number == "15/TB-TCD"
    assert "Số: 15/TB-TCD" in text
    assert "Cao Lãnh, ngày 27 tháng 11 năm 2026" in text
    assert "Về việc thụ lý giải quyết khiếu nại" in text
    assert "Kính gửi: Ông Nguyễn Văn Hùng." in text
    assert (
        "Quyết định số 245/QĐ-UBND ngày 02/10/2026 về việc thu hồi đất của Ủy ban nhân dân" in text
    )
    assert "căn cứ Điều 27 Luật Khiếu nại năm 2011" in text
    assert "kể từ ngày 27 tháng 11 năm 2026" in text
    due = date_in_words(dossier.resolution_due)
    assert f"theo Điều 28 Luật Khiếu nại năm 2011: chậm nhất {due}." in text
    assert "- Ủy ban nhân dân thành phố Cao Lãnh;" in text


def test_non_acceptance_notice_of_the_dossier_cites_its_ground(app_ctx):
    petition = records.petition(status="accepted", competent=True, processed_at=PROCESSED)
    dossier = _dossier(petition)
    ground = db.session.scalar(
        select(ComplaintGround).where(ComplaintGround.code == "het_thoi_hieu")
    )
    refuse(db.session, dossier, _clerk(), dt.date(2026, 11, 26), ground, "16/TB-TCD")
    assert [kind.code for kind in available_slips(petition)] == ["receipt", "non_acceptance"]
    text, slip = _render(petition, "non_acceptance")
    assert slip.number == "16/TB-TCD"
    assert "Cao Lãnh, ngày 26 tháng 11 năm 2026" in text
    assert "Về việc không thụ lý giải quyết khiếu nại" in text
    assert (
        "căn cứ khoản 6 Điều 11 Luật Khiếu nại năm 2011, đơn khiếu nại không đủ điều kiện" in text
    )
    assert "Lý do: Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng." in text


def test_non_acceptance_notice_after_processing_cites_the_reason(app_ctx):
    petition = records.petition(
        status="archived",
        competent=True,
        processed_at=PROCESSED,
        outcome_reason_id=records.reason("het_thoi_hieu").id,
    )
    text, _slip = _render(petition, "non_acceptance")
    assert "căn cứ Điều 11 Luật Khiếu nại năm 2011; Điều 9 Luật Khiếu nại năm 2011" in text
    assert "Lý do: Khiếu nại đã hết thời hiệu, thời hạn." in text


def test_multi_signatory_petition_lists_signers_and_the_others(app_ctx):
    people = [
        records.citizen(full_name="Lê Văn Tám", id_number=None, birth_year=1960),
        records.citizen(full_name="Phạm Thị Hoa", id_number=None, sex="female", birth_year=1972),
    ]
    petition = records.petition(citizens=people, signatory_count=9)
    text, _slip = _render(petition, "receipt")
    assert "Ông Lê Văn Tám, sinh năm 1960" in text
    assert "Bà Phạm Thị Hoa, sinh năm 1972" in text
    assert "Cùng 7 người khác đứng tên trong đơn." in text


def test_user_text_with_markup_characters_is_printed_as_typed(app_ctx):
    petition = records.petition(summary='Khiếu nại việc thu hồi đất "dự án A & B" <khóm 3>')
    text, _slip = _render(petition, "receipt")
    assert 'Khiếu nại việc thu hồi đất "dự án A & B" <khóm 3>' in text


def test_slips_are_a4_in_times_new_roman(app_ctx):
    petition = records.petition()
    slip = render_slip(db.session, petition, "receipt", _clerk())
    document = Document(io.BytesIO(slip.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    normal = document.styles["Normal"].font
    assert normal.name == "Times New Roman"
    assert Pt(13) <= normal.size <= Pt(14)


def test_only_slips_that_fit_the_state_are_offered(app_ctx):
    received = records.petition()
    assert [kind.code for kind in available_slips(received)] == ["receipt"]
    with pytest.raises(SlipUnavailable):
        render_slip(db.session, received, "forwarding", _clerk())
    with pytest.raises(SlipUnavailable):
        render_slip(db.session, received, "no_such_slip", _clerk())
    forwarded_in = records.petition(channel="forwarded", status="accepted", kind="recommendation")
    assert available_slips(forwarded_in) == []
    anonymous = records.petition(citizens=[], anonymous=True, status="guided")
    assert available_slips(anonymous) == []


def test_generation_is_logged_in_the_petition_history(app_ctx):
    set_now(dt.datetime(2026, 11, 27, 10, 5))
    petition = records.petition(register_number=125)
    slip = render_slip(db.session, petition, "receipt", _clerk())
    event = record_slip_issued(db.session, petition, slip, _clerk())
    assert event.username == "caolanh.tcd"
    assert event.event == "slip_issued"
    assert event.note == "Giấy biên nhận số 125/BN-TCD"


@pytest.mark.parametrize(
    ("reference", "cited"),
    [
        ("TT 07/2014 Điều 21 khoản 2", "khoản 2 Điều 21 Thông tư số 07/2014/TT-TTCP"),
        (
            "Luật Khiếu nại Điều 9; TT 07/2014 Điều 28",
            "Điều 9 Luật Khiếu nại năm 2011; Điều 28 Thông tư số 07/2014/TT-TTCP",
        ),
        (
            "TT 07/2014 Điều 7 khoản 2; TT 05/2021 Mẫu số 02",
            "khoản 2 Điều 7 Thông tư số 07/2014/TT-TTCP",
        ),
        ("TT 07/2014 Điều 25, 26", "Điều 25, 26 Thông tư số 07/2014/TT-TTCP"),
        (None, ""),
    ],
)
def test_legal_references_are_cited_as_documents_cite_them(reference, cited):
    assert legal_citation(reference) == cited


def _petition_id(app, **changes) -> int:
    from app.extensions import db as database

    with app.app_context():
        petition = records.petition(**changes)
        database.session.commit()
        pk = petition.id
        database.session.remove()
    return pk


def test_download_through_the_screen(app, client):
    pk = _petition_id(app, register_number=125)
    login(client, "caolanh.tcd")
    response = client.get(f"/petitions/{pk}/slips/receipt.docx")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert "attachment" in response.headers["Content-Disposition"]
    assert "giay-bien-nhan-125-2026.docx" in response.headers["Content-Disposition"]
    assert "Số: 125/BN-TCD" in _text(response.data)
    with app.app_context():
        notes = db.session.scalars(
            select(PetitionEvent.note).where(PetitionEvent.petition_id == pk)
        ).all()
        assert notes == ["Giấy biên nhận số 125/BN-TCD"]
        db.session.remove()
    # a slip that does not fit the state
    assert client.get(f"/petitions/{pk}/slips/forwarding.docx").status_code == 404


def test_download_outside_the_scope_is_not_found(app, client):
    pk = _petition_id(app)
    login(client, "laivung.tcd")
    assert client.get(f"/petitions/{pk}/slips/receipt.docx").status_code == 404
    with app.app_context():
        count = db.session.scalar(
            select(db.func.count())
            .select_from(PetitionEvent)
            .where(PetitionEvent.petition_id == pk)
        )
        assert count == 0
        db.session.remove()


def _document_xml(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


def test_the_committed_templates_are_what_the_script_builds(tmp_path):
    spec = importlib.util.spec_from_file_location("build_slip_templates", BUILD_SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    built = script.build(tmp_path)
    assert sorted(path.name for path in built) == sorted(f"{code}.docx" for code in SLIP_KINDS)
    for path in built:
        assert _document_xml(path) == _document_xml(TEMPLATE_DIR / path.name), path.name
