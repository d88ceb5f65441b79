"""Stored files (issue 7, Uploads): types checked by content, size limit, generated names in
dated folders outside the web root, sha256, path tricks impossible, PDF signatures read."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

import config
from app.core.clock import set_now
from app.extensions import db
from app.files.display import human_size, signature_summary
from app.files.models import StoredFile
from app.files.storage import Incoming, UploadRefused, store_files, stored_path
from tests import petition_records as records
from tests import sample_files as samples
from tests.conftest import second_app


def _store(*uploads: Incoming, is_original: bool = False) -> list[StoredFile]:
    petition = records.petition()
    return store_files(db.session, petition, petition.agency_id, uploads, is_original=is_original)


def _files_on_disk(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def _rows() -> int:
    return db.session.scalar(
        select(func.count()).select_from(StoredFile).execution_options(include_deleted=True)
    )


@pytest.mark.parametrize(
    ("name", "make", "mimetype"),
    [
        ("Đơn khiếu nại.pdf", samples.minimal_pdf, "application/pdf"),
        ("Ảnh hiện trạng đất.png", samples.png, "image/png"),
        ("Giấy chứng nhận QSDĐ.jpg", samples.jpeg, "image/jpeg"),
        (
            "Biên bản làm việc.docx",
            samples.docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "Bảng kê bồi thường.xlsx",
            samples.xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("Ghi chú.txt", lambda: "Ông Hùng trình bày thêm.\n".encode(), "text/plain"),
    ],
)
def test_accepted_types_are_stored_under_a_generated_name(app_ctx, name, make, mimetype):
    set_now(dt.datetime(2026, 11, 27, 9, 0))
    data = make()
    [stored] = _store(Incoming(name, data))
    assert stored.original_name == name
    assert stored.content_type == mimetype
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert re.fullmatch(r"2026/11/[0-9a-f]{32}\.[a-z]{3,4}", stored.stored_name)
    path = stored_path(stored)
    assert path.is_relative_to(Path(app_ctx.config["UPLOAD_FOLDER"]))
    assert path.read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        # a text file renamed .pdf
        ("Đơn khiếu nại.pdf", "Tôi khiếu nại quyết định thu hồi đất".encode(), "không phải là PDF"),
        # a zip that is no Word document
        ("Biên bản.docx", samples.xlsx(), "không phải là Word"),
        ("Ảnh.png", samples.jpeg(), "không phải là ảnh PNG"),
        ("Đơn khiếu nại.pdf", b"", "rỗng"),
        ("chay-thu.exe", b"MZ\x90\x00\x03\x00\x00\x00", "không thuộc loại được chấp nhận"),
        ("Đơn cũ.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "không thuộc loại được chấp nhận"),
        # a path: only the last part is kept, and "passwd" is of no accepted type
        ("../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "không thuộc loại"),
        ("don.txt\x00.pdf", b"%PDF-1.7", "ký tự không được phép"),
        ("...", b"abc", "không có tên hợp lệ"),
        ("Đơn hỏng.pdf", b"%PDF-1.7\nkhong phai noi dung PDF\n", "bị hỏng"),
    ],
)
def test_bad_files_are_refused_with_a_vietnamese_message_and_nothing_is_kept(
    app_ctx, name, data, message
):
    before_rows, before_files = _rows(), _files_on_disk(app_ctx)
    with pytest.raises(UploadRefused) as refused:
        _store(Incoming(name, data))
    assert message in refused.value.message
    db.session.flush()
    assert _rows() == before_rows
    assert _files_on_disk(app_ctx) == before_files


def test_a_file_above_the_size_limit_is_refused(app_ctx, monkeypatch):
    monkeypatch.setitem(app_ctx.config, "UPLOAD_MAX_FILE_SIZE", 2 * 1024 * 1024)
    big = "Nội dung đơn. ".encode() * 200_000
    with pytest.raises(UploadRefused) as refused:
        _store(Incoming("Đơn rất dài.txt", big))
    assert refused.value.message == "Tệp “Đơn rất dài.txt” vượt quá giới hạn 2 MB."


def test_stored_files_lie_outside_every_folder_the_web_serves(app_ctx):
    """Uploads (R23): a stored file is under UPLOAD_FOLDER, which no static route serves —
    by default ``instance/uploads``, beside the application's folders, not in them; asking
    the static routes for it finds nothing."""
    [stored] = _store(Incoming("Đơn khiếu nại.pdf", samples.minimal_pdf()))
    path = stored_path(stored).resolve()
    served = [app_ctx.static_folder] + [bp.static_folder for bp in app_ctx.blueprints.values()]
    for folder in filter(None, served):
        assert not path.is_relative_to(Path(folder).resolve())
    default = Path(config.UPLOAD_FOLDER).resolve()
    assert default == (Path(config.BASE_DIR) / "instance" / "uploads").resolve()
    assert not default.is_relative_to(Path(app_ctx.root_path).resolve())
    client = app_ctx.test_client()
    for prefix in ("/static", "/static/appbuilder", "/static/../instance/uploads"):
        assert client.get(f"{prefix}/{stored.stored_name}").status_code == 404


def test_an_upload_folder_inside_a_static_folder_stops_the_start(app):
    """R23: a configuration that would put uploads where the web serves files is refused
    at start-up with a message naming both folders."""
    inside = Path(app.static_folder) / "uploads"
    with (
        pytest.raises(RuntimeError, match="lies inside the static folder"),
        second_app(app, UPLOAD_FOLDER=str(inside)),
    ):
        pass
    assert not inside.exists()


def test_path_tricks_keep_only_the_file_name(app_ctx):
    [stored] = _store(Incoming("../../../tmp/hồ sơ\\..\\Đơn khiếu nại.pdf", samples.minimal_pdf()))
    assert stored.original_name == "Đơn khiếu nại.pdf"
    assert ".." not in stored.stored_name
    assert stored_path(stored).is_relative_to(Path(app_ctx.config["UPLOAD_FOLDER"]))


def test_a_stored_name_that_is_not_ours_never_becomes_a_path(app_ctx):
    record = StoredFile(stored_name="../../etc/passwd")
    with pytest.raises(ValueError):
        stored_path(record)


def test_several_files_are_stored_all_or_none(app_ctx):
    before_rows, before_files = _rows(), _files_on_disk(app_ctx)
    with pytest.raises(UploadRefused) as refused:
        _store(
            Incoming("Đơn.pdf", samples.minimal_pdf()),
            Incoming("Ảnh.png", samples.png()),
            Incoming("Giả.pdf", b"day la van ban"),
        )
    assert "Giả.pdf" in refused.value.message
    assert (_rows(), _files_on_disk(app_ctx)) == (before_rows, before_files)
    stored = _store(
        Incoming("Đơn.pdf", samples.minimal_pdf()),
        Incoming("Ảnh.png", samples.png()),
        is_original=True,
    )
    assert [f.original_name for f in stored] == ["Đơn.pdf", "Ảnh.png"]
    assert all(f.is_original_document for f in stored)


def test_an_unsigned_pdf_is_flagged_not_refused(app_ctx):
    [stored] = _store(Incoming("Đơn.pdf", samples.minimal_pdf()))
    assert stored.signature_info == {"signed": False, "status": "unsigned", "signatures": []}
    assert signature_summary(stored.signature_info) == "Không có chữ ký số"


def test_a_signed_pdf_shows_its_signer_intact_but_not_trusted_without_roots(app_ctx):
    signer, _certificate = samples.signing_identity()
    [stored] = _store(Incoming("Quyết định giải quyết.pdf", samples.signed_pdf(signer)))
    info = stored.signature_info
    assert info["signed"] is True and info["status"] == "valid_untrusted"
    [signature] = info["signatures"]
    assert signature["signer"] == "Nguyễn Văn An"
    assert signature["organisation"] == "Thanh tra tỉnh Đồng Tháp"
    assert signature["intact"] is True and signature["trusted"] is False
    assert signature["coverage"] == "ENTIRE_FILE"
    assert dt.datetime.fromisoformat(signature["signing_time"]).tzinfo is not None
    assert "chưa xác thực" in signature_summary(info)
    assert "Nguyễn Văn An, Thanh tra tỉnh Đồng Tháp" in signature_summary(info)


def test_a_signature_from_a_configured_authority_is_trusted(app_ctx, monkeypatch, tmp_path):
    signer, certificate = samples.signing_identity()
    root = tmp_path / "ban-co-yeu-root.pem"
    root.write_bytes(certificate)
    monkeypatch.setitem(app_ctx.config, "SIGNATURE_TRUST_ROOTS", [str(root)])
    [stored] = _store(Incoming("Quyết định.pdf", samples.signed_pdf(signer)))
    assert stored.signature_info["status"] == "valid_trusted"
    assert signature_summary(stored.signature_info).startswith("Chữ ký số hợp lệ")


def test_a_pdf_changed_after_signing_is_not_intact(app_ctx, monkeypatch, tmp_path):
    signer, certificate = samples.signing_identity()
    root = tmp_path / "root.pem"
    root.write_bytes(certificate)
    monkeypatch.setitem(app_ctx.config, "SIGNATURE_TRUST_ROOTS", [str(root)])
    [stored] = _store(Incoming("Quyết định.pdf", samples.tampered(samples.signed_pdf(signer))))
    info = stored.signature_info
    assert info["status"] == "invalid"
    assert info["signatures"][0]["intact"] is False
    assert "KHÔNG hợp lệ" in signature_summary(info)


@pytest.mark.parametrize(
    ("size", "text"), [(850, "850 B"), (12_700, "12,4 KB"), (10 * 1024 * 1024, "10 MB")]
)
def test_sizes_are_written_the_vietnamese_way(size, text):
    assert human_size(size) == text
