"""Orphaned upload files (issue 7, Uploads): a file stored but never named by a committed
record (a worker killed mid-request) is moved to quarantine once older than a day, by
``flask files sweep --apply`` and by the daily housekeeping job; the command alone only
lists; a file a record names — even a deleted one — is never touched."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from app.core.clock import now_utc
from app.extensions import db
from app.files.storage import Incoming, store_files
from app.jobs.models import CLI
from app.jobs.runner import run_now
from tests import petition_records as records
from tests import sample_files as samples

ORPHAN = "2026/11/0f3c5b1e9a7d4c2b8e6f1a3d5c7b9e2f.pdf"
HALF_WRITTEN = "2026/11/7a1e4c9b2d6f8a3c5e7b9d1f2a4c6e8b.jpg.part"
RECENT_ORPHAN = "2026/11/c4e6a8b0d2f4a6c8e0b2d4f6a8c0e2b4.png"
PROGRESS = "imports/17.json"


def _age(path: Path, days: float) -> None:
    moment = time.time() - days * 86400
    os.utime(path, (moment, moment))


def _write(root: Path, name: str, days: float) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(samples.minimal_pdf("Don cua ba Tran Thi Lan"))
    _age(path, days)
    return path


@pytest.fixture
def storage(app, monkeypatch, tmp_path):
    """A storage location of its own holding: Hùng's attachment and a deleted one (both
    named by records, three days old), an orphan and a half-written file of two days ago,
    an orphan of an hour ago, and an import's progress file (not a stored file)."""
    root = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(root))
    with app.app_context():
        petition = records.petition()
        kept, deleted = store_files(
            db.session,
            petition,
            petition.agency_id,
            [
                Incoming("don-khieu-nai-ong-hung.pdf", samples.minimal_pdf()),
                Incoming("ban-sao-cccd.pdf", samples.minimal_pdf("Ban sao CCCD")),
            ],
        )
        deleted.deleted_at = now_utc()
        db.session.commit()
        named = [kept.stored_name, deleted.stored_name]
        db.session.remove()
    for name in named:
        _age(root / name, 3)
    for name, days in ((ORPHAN, 2), (HALF_WRITTEN, 2), (RECENT_ORPHAN, 1 / 24), (PROGRESS, 5)):
        _write(root, name, days)
    return root, named


def _left(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def test_the_command_only_lists_by_default(app, storage):
    root, named = storage
    before = _left(root)
    result = app.test_cli_runner().invoke(args=["files", "sweep"])
    assert result.exit_code == 0, result.output
    assert ORPHAN in result.output and HALF_WRITTEN in result.output
    assert RECENT_ORPHAN not in result.output
    assert not any(name in result.output for name in named)
    assert "Chạy thử: 2 tệp" in result.output and "--apply" in result.output
    assert _left(root) == before


def test_apply_moves_the_old_orphans_to_quarantine_and_nothing_else(app, storage):
    root, named = storage
    result = app.test_cli_runner().invoke(args=["files", "sweep", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Đã chuyển 2 tệp không thuộc hồ sơ nào" in result.output
    assert _left(root) == {
        *named,
        RECENT_ORPHAN,
        PROGRESS,
        f"quarantine/{ORPHAN}",
        f"quarantine/{HALF_WRITTEN}",
    }
    again = app.test_cli_runner().invoke(args=["files", "sweep", "--apply"])
    assert "Đã chuyển 0 tệp" in again.output


def test_the_daily_housekeeping_job_sweeps_too(app, storage):
    root, named = storage
    result = run_now(app, "housekeeping", trigger=CLI)
    assert result.status == "succeeded", result.error
    assert "đã chuyển 2 tệp tải lên không thuộc hồ sơ nào vào thư mục cách ly" in result.outcome
    assert set(named) <= _left(root)
    assert not (root / ORPHAN).exists()
    assert (root / "quarantine" / ORPHAN).exists()


def test_a_recent_file_becomes_an_orphan_a_day_after_it_was_written(app, storage):
    root, _named = storage
    _age(root / RECENT_ORPHAN, 1 + 1 / 24)
    app.test_cli_runner().invoke(args=["files", "sweep", "--apply"])
    assert (root / "quarantine" / RECENT_ORPHAN).exists()


def test_no_storage_location_yet_is_nothing_to_sweep(app, monkeypatch, tmp_path):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "chua-co"))
    result = app.test_cli_runner().invoke(args=["files", "sweep", "--apply"])
    assert result.exit_code == 0, result.output
    assert "Đã chuyển 0 tệp" in result.output
