"""Bulk import of petitions (issue 7): the dry run reports every bad row by line, column
and reason and changes nothing; the import is all or nothing; importing the same rows
again creates nothing twice; rows outside the importer's data scope (R11) are refused."""

from __future__ import annotations

import gc
import json
import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.audit.models import AuditLog
from app.core.actor import Actor, acting_as
from app.core.clock import now_utc
from app.extensions import db
from app.imports import petitions as petition_import
from app.imports import service
from app.imports.models import DONE, FAILED, INVALID, ImportBatch
from app.imports.service import PETITIONS, check_upload, dry_run, keep_batch, queue, run_import
from app.outbox.models import CASE, PENDING, OutboxItem
from app.outbox.payloads import build_payload
from app.petitions.lookup import LookupQuery, lookup
from app.petitions.models import Case, Citizen, Petition, PetitionEvent
from tests.imports_helpers import PETITION_HEADERS, csv_file, petition_row, xlsx_file
from tests.petitions_intake_helpers import (
    CCCD_HUNG,
    commune,
    freeze_now,
    hung,
    land_complaint,
    receive,
    user,
)


def _counts() -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model.__table__))
        for model in (Petition, Citizen, Case, PetitionEvent)
    )


def _import(data: bytes, username: str = "caolanh.quantri", name: str = "so-don-2026.csv"):
    account = user(username)
    with acting_as(Actor(account.id, account.username, account.agency_id)):
        batch = check_upload(db.session, PETITIONS, name, data, account)
        db.session.commit()
        if batch.status == INVALID:
            return batch
        queue(db.session, batch)
        db.session.commit()
        return run_import(db.session, batch.id, account)


def _lan(**changes):
    values = {
        "Số vào sổ": "502",
        "Họ và tên người đứng đơn": "Trần Thị Lan",
        "Số CCCD/CMND": "087185004321",
        "Năm sinh": "1985",
        "Giới tính": "Nữ",
        "Số điện thoại": "0939555666",
        "Loại đơn": "Kiến nghị",
        "Mã lĩnh vực": "kp_khac",
        "Nội dung tóm tắt": "Kiến nghị sửa chữa đường giao thông nông thôn ấp 2",
        "Quyết định, hành vi bị khiếu nại": "",
    }
    values.update(changes)
    return petition_row(**values)


@pytest.fixture
def clock(app_ctx):
    freeze_now()
    return app_ctx


def test_dry_run_reports_every_bad_row_by_line_and_column_and_changes_nothing(clock):
    rows = [
        petition_row(),  # line 2: good
        _lan(**{"Mã cơ quan tiếp nhận": "DT17-999-TCD"}),  # 3: unknown agency
        _lan(**{"Số vào sổ": "503", "Ngày nhận": "31/02/2026"}),  # 4: impossible date
        _lan(**{"Số vào sổ": "504", "Số CCCD/CMND": "08718500432"}),  # 5: 11 digits
        _lan(**{"Số vào sổ": "505", "Nội dung tóm tắt": ""}),  # 6: summary missing
        petition_row(),  # 7: same agency, number and year as line 2
        _lan(**{"Số vào sổ": "506", "Mã cơ quan tiếp nhận": "DT17-876-TCD"}),  # 8: Lai Vung
        _lan(**{"Số vào sổ": "507", "Loại đơn": "Tố cáo"}),  # 9: not a kind received
    ]
    before = _counts()
    account = user("caolanh.quantri")
    result = dry_run(db.session, PETITIONS, "so-don.csv", csv_file(PETITION_HEADERS, rows), account)

    found = {(error["line"], error["column"]): error["message"] for error in result.errors}
    assert found[(3, "Mã cơ quan tiếp nhận")] == "Không có cơ quan nào mang mã “DT17-999-TCD”."
    assert "dd/mm/yyyy" in found[(4, "Ngày nhận")]
    assert "12 chữ số" in found[(5, "Số CCCD/CMND")]
    assert found[(6, "Nội dung tóm tắt")] == "Trường này là bắt buộc."
    assert "dòng 2" in found[(7, "—")]
    assert found[(8, "Mã cơ quan tiếp nhận")] == "Cơ quan này ngoài phạm vi dữ liệu của bạn."
    assert "Tố cáo" in found[(9, "Loại đơn")]
    assert {line for line, _ in found} == {3, 4, 5, 6, 7, 8, 9}
    assert result.rows_total == 8 and result.new_count == 1
    assert _counts() == before


def test_a_file_with_bad_rows_cannot_be_imported(clock):
    data = csv_file(PETITION_HEADERS, [petition_row(), _lan(**{"Năm sinh": "năm tám lăm"})])
    before = _counts()
    batch = _import(data)
    assert batch.status == INVALID
    assert batch.errors == [{"line": 3, "column": "Năm sinh", "message": "Nhập một số nguyên."}]
    with pytest.raises(ValueError):
        queue(db.session, batch)
    assert _counts() == before


def test_import_creates_petitions_with_their_citizens_cases_deadlines_and_history(clock):
    batch = _import(csv_file(PETITION_HEADERS, [petition_row(), _lan()]))
    assert batch.status == DONE and batch.rows_created == 2

    petition = db.session.scalar(
        select(Petition).where(Petition.register_number == 502, Petition.register_year == 2026)
    )
    assert petition.agency.code == "DT17-866-TCD"
    assert petition.kind == "recommendation" and petition.channel == "post"
    assert petition.status == "received" and petition.due_date is not None
    citizen = petition.signatories[0].citizen
    assert citizen.full_name == "Trần Thị Lan" and citizen.id_number == "087185004321"
    assert citizen.name_folded == "tran thi lan"  # the duplicate lookup finds her (R6)
    assert petition.signatory_names == "tran thi lan"  # and the list's search word (R12)
    assert petition.case.main_citizen_id == citizen.id
    assert petition.case.code.startswith("VV2026-DT17-866-TCD-")
    event = petition.events[0]
    assert event.event == "received" and "so-don-2026.csv" in event.note


def test_the_import_is_audited_once_with_the_files_sha256(clock):
    data = csv_file(PETITION_HEADERS, [petition_row(), _lan()])
    batch = _import(data)
    entries = db.session.scalars(
        select(AuditLog).where(
            AuditLog.table_name == "import_batch", AuditLog.record_id == str(batch.id)
        )
    ).all()
    done = [
        entry for entry in entries if (entry.changes or {}).get("status", [None, None])[1] == DONE
    ]
    assert len(done) == 1
    assert batch.sha256 in done[0].record_label
    assert done[0].username == "caolanh.quantri"


def test_importing_the_same_rows_again_creates_nothing_twice(clock):
    rows = [petition_row(), _lan()]
    first = _import(csv_file(PETITION_HEADERS, rows))
    assert first.rows_created == 2
    after_first = _counts()

    again = _import(csv_file(PETITION_HEADERS, rows))
    as_excel = _import(xlsx_file(PETITION_HEADERS, rows), name="so-don-2026.xlsx")
    assert (again.status, again.rows_created, again.rows_existing) == (DONE, 0, 2)
    assert (as_excel.status, as_excel.rows_created, as_excel.rows_existing) == (DONE, 0, 2)
    assert _counts() == after_first

    # one new row beside the old ones: only it is added, for the citizen already known
    more = _import(csv_file(PETITION_HEADERS, [*rows, petition_row(**{"Số vào sổ": "503"})]))
    assert (more.rows_created, more.rows_existing) == (1, 2)
    hung = db.session.scalars(select(Citizen).where(Citizen.id_number == "087078001234")).all()
    assert len(hung) == 1


def test_a_failure_in_the_middle_saves_nothing(clock, monkeypatch):
    monkeypatch.setattr(petition_import, "CHUNK", 1)
    calls = []
    original = petition_import._Inserter.insert_chunk

    def crash_on_second(self, chunk):
        calls.append(chunk)
        if len(calls) == 2:
            raise RuntimeError("mất kết nối cơ sở dữ liệu")
        original(self, chunk)

    monkeypatch.setattr(petition_import._Inserter, "insert_chunk", crash_on_second)
    before = _counts()
    batch = _import(csv_file(PETITION_HEADERS, [petition_row(), _lan()]))
    assert batch.status == FAILED and "mất kết nối" in batch.error
    assert _counts() == before


def _import_after_agency_stops_receiving(username: str, rows: list, agency_code: str):
    """The dry run of ``rows`` passes, then the agency ``agency_code`` stops receiving
    petitions before the import is confirmed: the batch and the counts before it."""
    account = user(username)
    with acting_as(Actor(account.id, account.username, account.agency_id)):
        batch = check_upload(
            db.session, PETITIONS, "so-don.csv", csv_file(PETITION_HEADERS, rows), account
        )
        queue(db.session, batch)
        db.session.commit()
        before = _counts()
        agency = db.session.scalar(select(Agency).where(Agency.code == agency_code))
        agency.receives_petitions = False
        db.session.commit()
        return run_import(db.session, batch.id, account), before


def test_a_row_that_went_bad_since_the_dry_run_fails_the_whole_import(clock):
    batch, before = _import_after_agency_stops_receiving(
        "caolanh.quantri", [petition_row(), _lan()], "DT17-866-TCD"
    )
    assert batch.status == FAILED
    assert {error["line"] for error in batch.errors} == {2, 3}
    assert _counts() == before


def test_the_import_saves_rows_while_it_checks_the_rest_and_a_late_bad_row_undoes_them(
    clock, monkeypatch
):
    """Issue 7: the import checks the file again one chunk at a time and inserts each
    chunk once it has passed; a row that went bad since the dry run, after chunks were
    inserted, still leaves nothing saved and is reported by its line. The rows it holds
    are out of the garbage collector's sight while it runs and given back after."""
    monkeypatch.setattr(service, "CHECK_CHUNK", 1)
    inserted = []
    frozen = []
    original = petition_import._Inserter.insert_chunk

    def counting(self, chunk):
        inserted.append([row.line for row in chunk])
        frozen.append(gc.get_freeze_count())
        original(self, chunk)

    monkeypatch.setattr(petition_import._Inserter, "insert_chunk", counting)
    rows = [
        petition_row(),
        _lan(),
        _lan(**{"Số vào sổ": "503", "Mã cơ quan tiếp nhận": "DT17-876-TCD"}),
    ]
    batch, before = _import_after_agency_stops_receiving("admin", rows, "DT17-876-TCD")
    assert inserted == [[2], [3]]
    assert all(count > 0 for count in frozen) and gc.get_freeze_count() == 0
    assert batch.status == FAILED
    assert [error["line"] for error in batch.errors] == [4]
    assert _counts() == before


def test_the_system_administrator_imports_for_any_agency(clock):
    rows = [petition_row(), _lan(**{"Mã cơ quan tiếp nhận": "DT17-876-TCD"})]
    batch = _import(csv_file(PETITION_HEADERS, rows), username="admin")
    assert (batch.status, batch.rows_created) == (DONE, 2)


def test_a_csv_without_bom_with_semicolons_and_a_missing_column(clock):
    account = user("caolanh.quantri")
    text = (
        ";".join(PETITION_HEADERS)
        + "\n"
        + ";".join(str(value) for value in petition_row().values())
    )
    result = dry_run(db.session, PETITIONS, "a.csv", text.encode(), account)
    assert result.ok and result.new_count == 1
    headers = [header for header in PETITION_HEADERS if header != "Ngày nhận"]
    result = dry_run(db.session, PETITIONS, "a.csv", csv_file(headers, [petition_row()]), account)
    assert result.errors == [
        {"line": 1, "column": "Ngày nhận", "message": "Thiếu cột bắt buộc này ở dòng tiêu đề."}
    ]
    result = dry_run(db.session, PETITIONS, "a.csv", "Tên\n".encode("cp1258"), account)
    assert "UTF-8" in result.errors[0]["message"]


def test_cli_dry_run_lists_bad_rows_and_changes_nothing(app, tmp_path: Path):
    freeze_now()
    path = tmp_path / "so-don.csv"
    path.write_bytes(csv_file(PETITION_HEADERS, [petition_row(), _lan(**{"Giới tính": "X"})]))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "petitions", str(path), "--dry-run"])
    assert result.exit_code == 1
    assert "Dòng 3, cột “Giới tính”" in result.output
    # without --dry-run: one pass, the bad row listed and nothing saved
    with app.app_context():
        before = _counts()
    result = runner.invoke(args=["import", "petitions", str(path)])
    assert result.exit_code == 1
    assert "Dòng 3, cột “Giới tính”" in result.output
    # no dry run came before: the message does not speak of data changed since one
    assert (
        "Không nhập được, không có gì được lưu: Có dòng của tệp không đạt kiểm tra."
        in result.output
    )
    with app.app_context():
        assert _counts() == before
    path.write_bytes(csv_file(PETITION_HEADERS, [petition_row(), _lan()]))
    result = runner.invoke(args=["import", "petitions", str(path), "--dry-run"])
    assert result.exit_code == 0 and "2 dòng mới" in result.output
    result = runner.invoke(args=["import", "petitions", str(path)])
    assert result.exit_code == 0 and "Đã nhập 2 dòng" in result.output
    result = runner.invoke(args=["import", "petitions", str(path)])
    assert result.exit_code == 0 and "Đã nhập 0 dòng, bỏ qua 2 dòng" in result.output
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(ImportBatch).where(ImportBatch.status == DONE)
            )
            == 2
        )


def test_two_imports_of_the_same_file_at_once_save_it_once(clock, monkeypatch):
    """Two administrators confirm the same file at the same moment: the one that commits
    second finds the register numbers taken and saves nothing. One row per chunk: the
    database refuses the first while the next is being sent (on PostgreSQL from the
    import's COPY thread), and the import stops there."""
    monkeypatch.setattr(petition_import, "CHUNK", 1)
    account = user("caolanh.quantri")
    data = csv_file(PETITION_HEADERS, [petition_row(), _lan()])
    with acting_as(Actor(account.id, account.username, account.agency_id)):
        late = dry_run(db.session, PETITIONS, "so-don.csv", data, account, keep_rows=True)
        late_batch = keep_batch(db.session, PETITIONS, "so-don.csv", data, account, late)
        queue(db.session, late_batch)
        db.session.commit()
        assert _import(data).rows_created == 2
        after_first = _counts()
        batch = run_import(db.session, late_batch.id, account, checked=late)
    assert batch.status == FAILED
    assert batch.error.startswith("Cơ sở dữ liệu từ chối việc nhập")
    assert "INSERT" not in batch.error
    assert _counts() == after_first


def test_a_known_citizen_is_reused_and_completed(clock):
    """R6: Hùng was received at the counter without a phone; the spreadsheet row with his
    CCCD joins him and gives the phone, as the intake would."""
    receive(land_complaint(signatories=[hung(phone=None)]))
    row = petition_row(
        **{"Số điện thoại": "0918123456", "Họ và tên người đứng đơn": "Ng. Văn Hùng"}
    )
    batch = _import(csv_file(PETITION_HEADERS, [row]))
    assert batch.rows_created == 1
    citizens = db.session.scalars(select(Citizen).where(Citizen.id_number == CCCD_HUNG)).all()
    assert len(citizens) == 1 and citizens[0].phone == "0918123456"
    imported = db.session.scalar(select(Petition).where(Petition.register_number == 501))
    assert imported.signatories[0].citizen_id == citizens[0].id
    # the list's search word reads the name on file, not the row's abbreviation (R12)
    assert imported.signatory_names == "nguyen van hung"


def test_decomposed_vietnamese_is_stored_composed(clock):
    """A spreadsheet typed with a decomposed keyboard (NFD) is stored as the screens store
    it (NFC), so the lookup and the lists find it."""
    name = unicodedata.normalize("NFD", "Nguyễn Văn Hùng")
    summary = unicodedata.normalize("NFD", "Khiếu nại quyết định thu hồi đất tại khóm 3")
    row = petition_row(**{"Họ và tên người đứng đơn": name, "Nội dung tóm tắt": summary})
    assert _import(csv_file(PETITION_HEADERS, [row])).rows_created == 1
    petition = db.session.scalar(select(Petition).where(Petition.register_number == 501))
    assert petition.summary == unicodedata.normalize("NFC", summary)
    assert petition.signatories[0].citizen.full_name == "Nguyễn Văn Hùng"


def test_imported_cases_are_numbered_on_past_99999(clock):
    """R6: an import continues the agency's case codes of the year numerically, past
    "…-99999" (as the intake does)."""
    db.session.add(
        Case(
            code="VV2026-DT17-866-TCD-99999",
            agency_id=db.session.scalar(select(Agency.id).where(Agency.code == "DT17-866-TCD")),
            title="Kiến nghị nạo vét kênh Ông Kho",
            kind="recommendation",
            opened_at=now_utc(),
        )
    )
    db.session.commit()
    assert _import(csv_file(PETITION_HEADERS, [petition_row(), _lan()])).status == DONE
    codes = db.session.scalars(
        select(Case.code).where(Case.code.startswith("VV2026-DT17-866-TCD-")).order_by(Case.id)
    ).all()
    assert codes == [
        "VV2026-DT17-866-TCD-99999",
        "VV2026-DT17-866-TCD-100000",
        "VV2026-DT17-866-TCD-100001",
    ]


def test_a_decomposed_name_is_found_by_the_lookup_as_typed_composed(clock):
    """R6: a clerk typing Hùng's name with an ordinary (composed) keyboard finds the
    petition imported from a spreadsheet typed decomposed (NFD), and sees his name as
    the screens write it."""
    ward = commune("Phường 1", "866")
    nfd = {
        "Họ và tên người đứng đơn": unicodedata.normalize("NFD", "Nguyễn Văn Hùng"),
        "Địa chỉ (số nhà, ấp, khóm)": unicodedata.normalize("NFD", "Số 12 đường Nguyễn Huệ"),
        "Mã xã/phường": ward.code,
        "Số CCCD/CMND": "",
    }
    assert _import(csv_file(PETITION_HEADERS, [petition_row(**nfd)])).rows_created == 1
    imported = db.session.scalar(select(Petition).where(Petition.register_number == 501))

    matches = lookup(
        db.session,
        LookupQuery(full_name="Nguyễn Văn Hùng", commune_unit_id=ward.id),
        user("caolanh.tcd"),
    )

    found = {match.case_id: match for match in matches}
    assert imported.case_id in found
    assert found[imported.case_id].citizen_name == unicodedata.normalize("NFC", "Nguyễn Văn Hùng")


def test_imported_petitions_are_queued_for_the_national_database(clock, monkeypatch):
    """R7: each imported petition's case record is pending in the outbox, committed with
    the import, with the payload the capture builds for a petition received on screen —
    also for a citizen known before (Hùng) and one created by an earlier chunk (Lan)."""
    monkeypatch.setattr(petition_import, "CHUNK", 2)
    receive(land_complaint())
    before = db.session.scalar(select(func.max(OutboxItem.id)))
    rows = [
        petition_row(),
        _lan(),
        _lan(**{"Số vào sổ": "503", "Nội dung tóm tắt": "Phản ánh đèn đường ấp 2 không sáng"}),
    ]
    assert _import(csv_file(PETITION_HEADERS, rows)).rows_created == 3

    items = db.session.scalars(
        select(OutboxItem).where(OutboxItem.id > before).order_by(OutboxItem.id)
    ).all()
    petitions = db.session.scalars(
        select(Petition).where(Petition.register_number.in_((501, 502, 503)))
    ).all()
    assert sorted(item.petition_id for item in items) == sorted(p.id for p in petitions)
    for item in items:
        petition = db.session.get(Petition, item.petition_id)
        assert (item.kind, item.status, item.attempts) == (CASE, PENDING, 0)
        assert (item.record_table, item.record_id) == ("petition", petition.id)
        assert item.agency_id == petition.agency_id
        expected = build_payload(db.session, CASE, petition, item.message_id)
        assert item.payload == json.loads(json.dumps(expected))
    names = {item.payload["data"]["complainants"][0]["full_name"] for item in items}
    assert names == {"Nguyễn Văn Hùng", "Trần Thị Lan"}


def test_a_failed_import_queues_nothing(clock, monkeypatch):
    """R7: the queued records are rolled back with the import."""

    def crash(self, *args):
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(petition_import._Inserter, "queue_cases", crash)
    before = db.session.scalar(select(func.count(OutboxItem.id)))
    batch = _import(csv_file(PETITION_HEADERS, [petition_row(), _lan()]))
    assert batch.status == FAILED
    assert db.session.scalar(select(func.count(OutboxItem.id))) == before


def test_headers_typed_decomposed_are_recognised(clock):
    """Column titles typed with a decomposed keyboard (NFD) name the same columns."""
    headers = [unicodedata.normalize("NFD", header) for header in PETITION_HEADERS]
    row = {unicodedata.normalize("NFD", key): value for key, value in petition_row().items()}
    assert _import(csv_file(headers, [row])).rows_created == 1
