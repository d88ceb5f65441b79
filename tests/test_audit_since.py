"""The details of a conflict message (issue 7, "Nothing lost"; R9): what others changed
in a record after the user's version, read from the audit log."""

from __future__ import annotations

import datetime as dt

from app.audit.since import MOST_CHANGES_SHOWN, changes_since, what_changed
from app.core.clock import set_now
from app.extensions import db
from tests.petitions_processing_records import received_petition


def _edit(petition, when: dt.datetime, summary: str) -> None:
    set_now(when)
    petition.summary = summary
    db.session.commit()


def test_a_current_version_has_nothing_to_tell(app_ctx):
    petition = received_petition()
    assert what_changed(petition, petition.version_id) == ""
    assert what_changed(petition, None) == ""


def test_each_missed_update_is_named_newest_first(app_ctx):
    petition = received_petition()
    seen = petition.version_id
    _edit(petition, dt.datetime(2026, 11, 27, 9, 30), "Khiếu nại về bồi thường đất ở")
    _edit(petition, dt.datetime(2026, 11, 27, 10, 15), "Khiếu nại về bồi thường đất nông nghiệp")
    entries = changes_since(petition, seen)
    assert [entry.at for entry in entries] == ["27/11/2026 10:15", "27/11/2026 09:30"]
    told = what_changed(petition, seen)
    assert told.startswith("Thay đổi trong lúc đó: 27/11/2026 10:15, system đã sửa Tóm tắt")
    assert "→ Khiếu nại về bồi thường đất nông nghiệp." in told
    # The update the user had already seen is not repeated.
    assert len(changes_since(petition, seen + 1)) == 1


def test_a_long_run_of_changes_is_cut_to_the_newest(app_ctx):
    petition = received_petition()
    seen = petition.version_id
    for minute in range(MOST_CHANGES_SHOWN + 2):
        _edit(petition, dt.datetime(2026, 11, 27, 9, minute), f"Nội dung lần {minute}")
    entries = changes_since(petition, seen)
    assert len(entries) == MOST_CHANGES_SHOWN
    assert entries[0].at == f"27/11/2026 09:0{MOST_CHANGES_SHOWN + 1}"
