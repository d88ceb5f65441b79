"""Issue 7, "Nothing lost": ``flask backup`` and ``flask restore`` round trip on the
suite's database (SQLite or PostgreSQL) with petitions, their attachments and the audit
log (R9); a damaged, altered or foreign archive is refused and changes nothing.

The round trip restores into a scratch database (a new SQLite file, or a PostgreSQL
database the test creates and drops) and compares it row for row with the original.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from app.audit.chain import verify_chain
from app.audit.models import AuditLog
from app.backup.service import code_revision, restore_backup
from app.core.actor import SYSTEM_ACTOR, acting_as
from app.extensions import db
from app.files.models import StoredFile
from app.files.storage import Incoming, upload_root
from app.petitions.attachments import add_attachments
from app.petitions.models import Citizen, Petition
from tests import petition_records as records
from tests import sample_files as samples
from tests.tasks_records import user

COMPARED_TABLES = (Petition, Citizen, StoredFile, AuditLog)


def _head(app) -> str:
    return code_revision(app.extensions["migrate"].directory)


@pytest.fixture(autouse=True)
def _own_upload_folder(app, tmp_path, monkeypatch) -> None:
    """A storage location of the test's own: the suite's is shared by every test."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))


@pytest.fixture
def stamped(app) -> Iterator[str]:
    """The suite's database marked as migrated to this code's head (it is built with
    create_all, which leaves no ``alembic_version``), as ``flask db upgrade`` leaves it."""
    head = _head(app)
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        connection.execute(text("INSERT INTO alembic_version VALUES (:head)"), {"head": head})
    yield head
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def scratch_engine(app, tmp_path) -> Iterator[Engine]:
    """An empty database of the suite's kind, dropped afterwards."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        engine = create_engine(f"sqlite:///{tmp_path / 'restored.db'}")
        yield engine
        engine.dispose()
        return
    name = f"donthu_restore_{uuid.uuid4().hex[:8]}"
    server = url.rsplit("/", 1)[0]
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(f"{server}/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _petitions_with_attachments(app) -> list[int]:
    """Two complaints received in Cao Lãnh, one with a signed PDF and a photo, the other
    with a Word record of the meeting; committed as the clerk."""
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        clerk = user("caolanh.tcd")
        first = records.petition(register_number=125)
        second = records.petition(
            register_number=126,
            citizens=[
                records.citizen(full_name="Trần Thị Mỹ Lệ", id_number="087180004321", sex="female")
            ],
            summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất thửa số 45, tờ bản đồ 12",
        )
        signer, _certificate = samples.signing_identity()
        add_attachments(
            db.session,
            first,
            [
                Incoming("Đơn khiếu nại (bản gốc).pdf", samples.signed_pdf(signer)),
                Incoming("Ảnh hiện trạng thửa đất.png", samples.png()),
            ],
            clerk,
            is_original=True,
        )
        add_attachments(
            db.session, second, [Incoming("Biên bản làm việc.docx", samples.docx())], clerk
        )
        db.session.commit()
        ids = [first.id, second.id]
        db.session.remove()
    return ids


def _rows(connection, model) -> list[dict]:
    table = model.__table__
    return [dict(row._mapping) for row in connection.execute(select(table).order_by(table.c.id))]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backup(app, destination: Path):
    return app.test_cli_runner().invoke(args=["backup", "--output", str(destination)])


def _restore(app, archive: Path, *options: str):
    return app.test_cli_runner().invoke(args=["restore", str(archive), *options])


def _petition_count(app) -> int:
    with app.app_context():
        count = len(db.session.scalars(select(Petition.id)).all())
        db.session.remove()
    return count


def test_round_trip_brings_back_petitions_files_and_the_audit_chain(
    app, stamped, scratch_engine, tmp_path
):
    demo = _petition_count(app)
    petition_ids = _petitions_with_attachments(app)
    archive = tmp_path / "donthu-backup.tar.gz"

    result = _backup(app, archive)
    assert result.exit_code == 0, result.output
    assert f"Đã sao lưu vào: {archive}" in result.output
    assert f"{demo + 2} đơn thư, 3 tệp đính kèm" in result.output
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # citizens' personal data

    restored_files = tmp_path / "restored-uploads"
    report = restore_backup(
        archive,
        scratch_engine,
        restored_files,
        expected_revision=stamped,
        overwrite=False,
        actor=SYSTEM_ACTOR,
    )
    assert report.files_written == 3
    assert report.counts["petition"] == demo + 2

    with app.app_context(), db.engine.connect() as original:
        with scratch_engine.connect() as restored:
            for model in COMPARED_TABLES[:-1]:
                assert _rows(restored, model) == _rows(original, model), model.__tablename__
            original_log, restored_log = _rows(original, AuditLog), _rows(restored, AuditLog)
            # R9: the chain is the archived one, then one entry recording the restore.
            assert restored_log[:-1] == original_log
            assert restored_log[-1]["action"] == "database_restore"
            assert restored_log[-1]["record_label"] == archive.name
            assert restored_log[-1]["prev_hash"] == original_log[-1]["hash"]
            report = verify_chain(restored)
            assert report.ok and report.entries == len(original_log) + 1
            stored = _rows(restored, StoredFile)
        uploads = upload_root()
    assert {row["owner_id"] for row in stored} == set(petition_ids)
    for row in stored:
        copy = restored_files / row["stored_name"]
        assert copy.read_bytes() == (uploads / row["stored_name"]).read_bytes()
        assert _sha256(copy) == row["sha256"]


def test_a_backup_taken_while_a_clerk_keeps_entering_petitions_is_of_one_moment(
    app, stamped, scratch_engine, tmp_path
):
    entered: list[int] = []
    stop = threading.Event()

    def clerk() -> None:
        with app.app_context(), acting_as(SYSTEM_ACTOR):
            while not stop.is_set():
                records.petition(register_number=500 + len(entered))
                db.session.commit()
                entered.append(500 + len(entered))
            db.session.remove()

    writer = threading.Thread(target=clerk)
    writer.start()
    try:
        while len(entered) < 3:
            time.sleep(0.05)
        at_start = len(entered)
        result = _backup(app, tmp_path / "giua-gio-lam-viec.tar.gz")
        at_end = len(entered)
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output

    restore_backup(
        tmp_path / "giua-gio-lam-viec.tar.gz",
        scratch_engine,
        tmp_path / "restored-uploads",
        expected_revision=stamped,
        overwrite=False,
        actor=SYSTEM_ACTOR,
    )  # compares every main table's count with the manifest
    with scratch_engine.connect() as restored:
        numbers = restored.scalars(
            select(Petition.register_number).where(Petition.register_number >= 500)
        ).all()
        logged = restored.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.table_name == "petition", AuditLog.record_label.like("5__/2026%"))
        )
        assert verify_chain(restored).ok
    # The petitions up to one moment, each with its audit entry, none half there.
    assert at_start <= len(numbers) <= at_end + 1
    assert sorted(numbers) == entered[: len(numbers)]
    assert logged == len(numbers)


def test_restore_over_data_needs_yes_then_puts_everything_back(app, stamped, tmp_path):
    demo = _petition_count(app)
    _petitions_with_attachments(app)
    archive = tmp_path / "truoc-khi-sua.tar.gz"
    assert _backup(app, archive).exit_code == 0
    with app.app_context():
        stored_name = db.session.scalars(select(StoredFile.stored_name)).first()
        lost_file = upload_root() / stored_name
        original_bytes = lost_file.read_bytes()
    lost_file.unlink()  # a file lost from the storage location…
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        records.petition(register_number=127)  # …and a petition entered after the backup
        db.session.commit()
        db.session.remove()

    refused = _restore(app, archive)
    assert refused.exit_code == 1
    assert "Cơ sở dữ liệu đang có dữ liệu (" in refused.output
    assert f"{demo + 3} đơn thư" in refused.output and "--yes" in refused.output
    assert _petition_count(app) == demo + 3 and not lost_file.exists()

    result = _restore(app, archive, "--yes")
    assert result.exit_code == 0, result.output
    assert "Đã khôi phục bản sao lưu lúc" in result.output
    assert f"{demo + 2} đơn thư" in result.output and "đã ghi 1 tệp đính kèm" in result.output
    assert _petition_count(app) == demo + 2
    assert lost_file.read_bytes() == original_bytes
    verify = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0 and verify.output.startswith("OK ")


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy ``archive`` to ``target`` member by member, passing each through ``change``."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            member, data = change(member, data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))


def _state(app) -> tuple[int, int, list[str]]:
    with app.app_context():
        petitions = _petition_count(app)
        entries = len(db.session.scalars(select(AuditLog.id)).all())
        db.session.remove()
        files = sorted(p.name for p in upload_root().rglob("*") if p.is_file())
    return petitions, entries, files


def test_a_damaged_or_altered_archive_is_refused_and_changes_nothing(app, stamped, tmp_path):
    _petitions_with_attachments(app)
    archive = tmp_path / "donthu.tar.gz"
    assert _backup(app, archive).exit_code == 0
    with app.app_context(), acting_as(SYSTEM_ACTOR):
        records.petition(register_number=127)
        db.session.commit()
        db.session.remove()
    before = _state(app)

    damaged = tmp_path / "hong.tar.gz"
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    damaged.write_bytes(bytes(data))
    truncated = tmp_path / "thieu.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: len(data) * 2 // 3])

    def swap_a_file(member, content):
        return member, (samples.png() if member.name.endswith(".docx") else content)

    altered = tmp_path / "bi-sua.tar.gz"
    _rewrite(archive, altered, swap_a_file)

    def escape(member, content):
        if member.name.endswith(".png"):
            member.name = "files/../../../etc/cron.d/donthu"
        return member, content

    escaping = tmp_path / "duong-dan-la.tar.gz"
    _rewrite(archive, escaping, escape)

    unreadable = "bị hỏng hoặc không đầy đủ"
    # Zeroed bytes inside an already compressed pg_dump can still inflate: the checksum
    # of the database member then tells.
    mismatched = "không khớp với bản kê của nó ("
    for bad, messages in (
        (damaged, (unreadable, mismatched + "database.")),
        (truncated, (unreadable,)),
        (altered, (mismatched + "files/",)),
        (escaping, ("mà một bản sao lưu không bao giờ có",)),
    ):
        result = _restore(app, bad, "--yes")
        assert result.exit_code == 1, bad.name
        assert any(message in result.output for message in messages), result.output
        assert "chưa khôi phục gì" in result.output or "bị từ chối" in result.output
        assert _state(app) == before, bad.name


def test_an_archive_of_another_migration_revision_is_refused(app, tmp_path):
    archive = tmp_path / "chua-danh-dau.tar.gz"
    assert _backup(app, archive).exit_code == 0  # the test database carries no revision
    before = _state(app)
    result = _restore(app, archive, "--yes")
    assert result.exit_code == 1
    assert "phiên bản cấu trúc dữ liệu (migration) —" in result.output
    assert f"mã nguồn hiện ở {_head(app)}" in result.output
    assert _state(app) == before


def test_an_archive_of_the_other_database_kind_is_refused(app, stamped, tmp_path):
    archive = tmp_path / "donthu.tar.gz"
    assert _backup(app, archive).exit_code == 0
    kind = (
        "postgresql" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else "sqlite"
    )
    other = "sqlite" if kind == "postgresql" else "postgresql"
    members = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}

    def as_other_kind(member, content):
        if member.name == members[kind]:
            member.name = members[other]
        if member.name == "manifest.json":
            manifest = json.loads(content)
            manifest["database"] = other
            manifest["members"][members[other]] = manifest["members"].pop(members[kind])
            content = json.dumps(manifest).encode()
        return member, content

    foreign = tmp_path / "he-khac.tar.gz"
    _rewrite(archive, foreign, as_other_kind)
    before = _state(app)
    result = _restore(app, foreign, "--yes")
    assert result.exit_code == 1
    assert f"chứa cơ sở dữ liệu {other} nhưng hệ thống này chạy trên {kind}" in result.output
    assert _state(app) == before


def test_a_backup_names_stored_files_lost_or_changed_on_disk(app, tmp_path):
    _petitions_with_attachments(app)
    with app.app_context():
        lost, changed, _intact = db.session.scalars(
            select(StoredFile.stored_name).order_by(StoredFile.id)
        ).all()
        (upload_root() / lost).unlink()
        (upload_root() / changed).write_bytes(samples.minimal_pdf("Noi dung da bi thay doi"))
    archive = tmp_path / "donthu.tar.gz"

    result = _backup(app, archive)

    assert result.exit_code == 1  # a scheduled backup shows up as failed
    assert f"Tệp đính kèm bị mất khỏi thư mục lưu trữ: {lost};" in result.output
    assert f"tệp đính kèm có nội dung khác với mã SHA-256 đã ghi: {changed}." in result.output
    with tarfile.open(archive, "r:gz") as tar:  # still written: the best copy there is
        manifest = json.load(tar.extractfile("manifest.json"))
    assert (manifest["missing_files"], manifest["damaged_files"]) == ([lost], [changed])
    assert len([name for name in manifest["members"] if name.startswith("files/")]) == 2


def test_backup_never_overwrites_an_archive(app, tmp_path):
    archive = tmp_path / "donthu.tar.gz"
    archive.write_bytes(b"an older backup")
    result = _backup(app, archive)
    assert result.exit_code == 1
    assert "đã có; hãy chọn tên khác" in result.output
    assert archive.read_bytes() == b"an older backup"


def test_a_backup_is_never_written_into_the_storage_location(app, tmp_path):
    with app.app_context():
        uploads = upload_root()
    uploads.mkdir(parents=True)
    result = _backup(app, uploads)
    assert result.exit_code == 1
    assert "Hãy ghi bản sao lưu ra ngoài thư mục lưu trữ tệp đính kèm" in result.output
    assert not any(uploads.iterdir())


def test_backup_into_a_folder_names_the_archive_by_date(app, tmp_path):
    result = _backup(app, tmp_path)
    assert result.exit_code == 0, result.output
    (archive,) = tmp_path.glob("donthu-*.tar.gz")
    kind = (
        "postgresql" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else "sqlite"
    )
    assert archive.name.startswith(f"donthu-{kind}-")
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
    assert names[-1] == "manifest.json"
    assert names[0] == ("database.pgdump" if kind == "postgresql" else "database.sqlite3")
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".backup-*"))


def test_without_pg_dump_on_path_postgresql_backup_says_what_to_install(app, tmp_path, monkeypatch):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    monkeypatch.setenv("PATH", str(tmp_path))
    result = _backup(app, tmp_path / "donthu.tar.gz")
    assert result.exit_code == 1
    assert "Không tìm thấy chương trình pg_dump trong PATH" in result.output
    assert "postgresql-client" in result.output
    assert not os.listdir(tmp_path)
