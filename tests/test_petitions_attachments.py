"""Attachments of a petition on screen (issue 3; issue 7 Uploads): several files uploaded
at once from the petition's documents block, listed with their signature state, served
only as attachments and only to users in scope, removed (soft delete), originals
returned (TT 07/2014 Art. 10)."""

from __future__ import annotations

import io
import re

from sqlalchemy import select

from app.extensions import db
from app.files.models import StoredFile
from app.petitions.models import PetitionEvent
from tests import petition_records as records
from tests import sample_files as samples
from tests.conftest import login


def _petition_id(app) -> int:
    with app.app_context():
        petition = records.petition(register_number=125)
        db.session.commit()
        pk = petition.id
        db.session.remove()
    return pk


def _upload(client, pk: int, *files: tuple[str, bytes], original: bool = False):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    if original:
        data["is_original"] = "y"
    data["next"] = f"/petitions/{pk}/documents"
    return client.post(
        f"/petitions/{pk}/attachments",
        data=data,
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _files(app, pk: int, include_deleted: bool = False) -> list[StoredFile]:
    with app.app_context():
        query = select(StoredFile).where(StoredFile.owner_id == pk).order_by(StoredFile.id)
        if include_deleted:
            query = query.execution_options(include_deleted=True)
        files = list(db.session.scalars(query))
        db.session.expunge_all()
        db.session.remove()
    return files


def _events(app, pk: int) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(PetitionEvent.event, PetitionEvent.note)
            .where(PetitionEvent.petition_id == pk)
            .order_by(PetitionEvent.id)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_clerk_uploads_several_files_and_downloads_them_as_attachments(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    signer, _certificate = samples.signing_identity()
    page = _upload(
        client,
        pk,
        ("Đơn khiếu nại (bản gốc).pdf", samples.signed_pdf(signer)),
        ("Ảnh hiện trạng.png", samples.png()),
        original=True,
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Đã đính kèm 2 tệp." in html
    assert "Đơn khiếu nại (bản gốc).pdf" in html
    assert "Chữ ký số còn nguyên vẹn, chưa xác thực được tổ chức cấp chứng thư" in html
    assert "Nguyễn Văn An" in html
    assert "Đang giữ, phải trả lại" in html
    stored = _files(app, pk)
    assert [f.original_name for f in stored] == [
        "Đơn khiếu nại (bản gốc).pdf",
        "Ảnh hiện trạng.png",
    ]
    assert _events(app, pk) == [
        ("attachments_added", "Đơn khiếu nại (bản gốc).pdf, Ảnh hiện trạng.png")
    ]

    response = client.get(f"/files/{stored[1].id}/download")
    assert response.status_code == 200
    assert response.data == samples.png()
    assert response.mimetype == "image/png"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E1%BA%A2nh%20hi%E1%BB%87n%20tr%E1%BA%A1ng.png" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_a_refused_upload_says_why_and_saves_nothing(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    page = _upload(
        client,
        pk,
        ("Đơn.pdf", samples.minimal_pdf()),
        ("Quyết định.pdf", "Đây là văn bản, không phải PDF".encode()),
    )
    html = page.get_data(as_text=True)
    assert "Nội dung tệp “Quyết định.pdf” không phải là PDF; tệp bị từ chối." in html
    assert _files(app, pk) == []
    assert _events(app, pk) == []


def test_an_empty_choice_is_refused(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    page = _upload(client, pk)
    assert "Vui lòng chọn ít nhất một tệp." in page.get_data(as_text=True)


def test_other_district_cannot_see_upload_or_download(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    _upload(client, pk, ("Đơn.pdf", samples.minimal_pdf()))
    [stored] = _files(app, pk)
    client.get("/logout/")

    login(client, "laivung.tcd")
    assert client.get(f"/files/{stored.id}/download").status_code == 404
    assert client.get(f"/petitions/{pk}/documents").status_code == 404
    response = client.post(
        f"/petitions/{pk}/attachments",
        data={"files": [(io.BytesIO(samples.png()), "Ảnh.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert client.post(f"/petitions/{pk}/attachments/{stored.id}/delete").status_code == 404
    assert len(_files(app, pk)) == 1


def test_the_province_monitor_downloads_but_cannot_manage(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    _upload(client, pk, ("Đơn.pdf", samples.minimal_pdf()))
    [stored] = _files(app, pk)
    client.get("/logout/")

    login(client, "btcd.giamsat")
    assert client.get(f"/files/{stored.id}/download").status_code == 200
    page = client.get(f"/petitions/{pk}/documents").get_data(as_text=True)
    assert "Đơn.pdf" in page
    assert 'id="petition-upload"' not in page
    assert client.post(f"/petitions/{pk}/attachments/{stored.id}/delete").status_code == 403


def test_remove_is_a_soft_delete_logged_in_the_history(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    _upload(client, pk, ("Đơn.pdf", samples.minimal_pdf()), ("Ảnh.png", samples.png()))
    first, _second = _files(app, pk)
    page = client.post(
        f"/petitions/{pk}/attachments/{first.id}/delete",
        data={"next": f"/petitions/{pk}/documents"},
        follow_redirects=True,
    )
    assert "Đã xóa tệp “Đơn.pdf”." in page.get_data(as_text=True)
    assert [f.original_name for f in _files(app, pk)] == ["Ảnh.png"]
    assert len(_files(app, pk, include_deleted=True)) == 2
    assert client.get(f"/files/{first.id}/download").status_code == 404
    assert _events(app, pk)[-1] == ("attachment_removed", "Đơn.pdf")


def test_an_original_is_marked_returned_once(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    _upload(client, pk, ("Sổ đỏ (bản gốc).pdf", samples.minimal_pdf()), original=True)
    [stored] = _files(app, pk)
    url = f"/petitions/{pk}/attachments/{stored.id}/returned"
    page = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi nhận trả bản gốc cho công dân." in page
    assert re.search(r"Đã trả ngày \d{2}/\d{2}/\d{4}", page)
    again = client.post(url, follow_redirects=True).get_data(as_text=True)
    assert "Bản gốc này đã được trả lại." in again
    assert _events(app, pk)[-1] == ("original_returned", "Sổ đỏ (bản gốc).pdf")


def test_redirects_go_back_only_to_this_site(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    response = client.post(
        f"/petitions/{pk}/attachments",
        data={"files": [(io.BytesIO(samples.png()), "Ảnh.png")], "next": "//evil.example/x"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/petitions/{pk}/documents")


def test_the_petition_page_lists_slips_and_attachments(app, client):
    pk = _petition_id(app)
    login(client, "caolanh.tcd")
    _upload(client, pk, ("Đơn.pdf", samples.minimal_pdf()))
    page = client.get(f"/petitions/{pk}").get_data(as_text=True)
    assert f"/petitions/{pk}/slips/receipt.docx" in page
    assert "Giấy biên nhận" in page
    assert 'id="petition-upload"' in page
    assert "Không có chữ ký số" in page


def test_a_request_above_the_total_limit_comes_back_with_a_message(app, client, monkeypatch):
    pk = _petition_id(app)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    login(client, "caolanh.tcd")
    documents = f"/petitions/{pk}/documents"
    response = client.post(
        f"/petitions/{pk}/attachments",
        data={"files": [(io.BytesIO(b"%PDF-1.7 " + b"0" * 1_500_000), "Hồ sơ lớn.pdf")]},
        content_type="multipart/form-data",
        headers={"Referer": f"http://localhost{documents}"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(documents)
    page = client.get(documents).get_data(as_text=True)
    assert "Các tệp gửi cùng lúc vượt quá giới hạn 1 MB; chưa lưu tệp nào." in page
    assert _files(app, pk) == []
