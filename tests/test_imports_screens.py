"""The import pages (issue 7): template download, upload → dry run listing every bad row →
confirm → background import with its progress polled; who may import (R10) and whose
imports they see (R11)."""

from __future__ import annotations

import datetime as dt
import io
import time

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.clock import now_utc, set_now, to_local
from app.extensions import db
from app.imports.models import ImportBatch
from app.petitions.models import Petition
from tests.conftest import login
from tests.imports_helpers import PETITION_HEADERS, csv_file, petition_row
from tests.petitions_intake_helpers import freeze_now


def _upload(client, data: bytes, name: str = "so-don-2026.csv", kind: str = "petitions"):
    return client.post(
        "/imports/upload",
        data={"kind": kind, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _petitions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Petition.__table__))


def test_the_template_has_the_vietnamese_headers(client):
    login(client, "caolanh.quantri")
    page = client.get("/imports/")
    assert page.status_code == 200
    assert "Nhập dữ liệu" in page.get_data(as_text=True)
    response = client.get("/imports/template/petitions")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] == "Mã cơ quan tiếp nhận *"
    assert "Số CCCD/CMND" in headers and "Ngày nhận *" in headers


def test_upload_dry_run_lists_bad_rows_and_saves_nothing(app, client):
    freeze_now()
    login(client, "caolanh.quantri")
    before = _petitions(app)
    rows = [petition_row(), petition_row(**{"Số vào sổ": "502", "Ngày nhận": "2026-13-40"})]
    response = _upload(client, csv_file(PETITION_HEADERS, rows))
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 lỗi: sửa tệp rồi tải lên lại" in page
    assert "<td>3</td><td>Ngày nhận</td>" in page
    assert 'id="run-import"' not in page
    batch_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    errors = client.get(f"/imports/{batch_id}/errors.csv").get_data(as_text=True)
    assert errors.startswith("\ufeffDòng,Cột,Lý do")
    assert client.post(f"/imports/{batch_id}/run").status_code == 302
    assert _petitions(app) == before


def test_upload_confirm_and_follow_the_progress(app, client):
    freeze_now()
    login(client, "caolanh.quantri")
    before = _petitions(app)
    rows = [petition_row(), petition_row(**{"Số vào sổ": "502", "Số CCCD/CMND": ""})]
    location = _upload(client, csv_file(PETITION_HEADERS, rows)).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Kiểm tra thử không thấy lỗi: sẽ nhập 2 dòng" in page
    assert _petitions(app) == before
    batch_id = int(location.rstrip("/").split("/")[-1])
    assert client.post(f"/imports/{batch_id}/run").status_code == 302
    for _ in range(120):
        response = client.get(f"/imports/{batch_id}/progress")
        if response.headers.get("HX-Refresh"):
            break
        time.sleep(0.5)
    assert "Đã nhập 2 dòng" in response.get_data(as_text=True)
    assert _petitions(app) == before + 2


def test_only_administrators_import_and_only_their_agencys_files(app, client):
    login(client, "caolanh.tcd")
    assert client.get("/imports/").status_code != 200
    client.get("/logout/")
    login(client, "admin")
    location = _upload(client, csv_file(PETITION_HEADERS, [petition_row()])).headers["Location"]
    batch_id = int(location.rstrip("/").split("/")[-1])
    assert client.get(f"/imports/{batch_id}").status_code == 200
    client.get("/logout/")
    login(client, "caolanh.quantri")
    assert client.get(f"/imports/{batch_id}").status_code == 404
    assert client.post(f"/imports/{batch_id}/run").status_code == 404
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).status == "checked"


def test_an_import_whose_process_stopped_is_shown_failed_with_nothing_saved(app, client):
    login(client, "caolanh.quantri")
    location = _upload(client, csv_file(PETITION_HEADERS, [petition_row()])).headers["Location"]
    batch_id = int(location.rstrip("/").split("/")[-1])
    with app.app_context():
        batch = db.session.get(ImportBatch, batch_id)
        batch.status, batch.started_at = "running", now_utc()
        db.session.commit()
        db.session.remove()
    set_now(to_local(now_utc() + dt.timedelta(minutes=11)).replace(tzinfo=None))
    page = client.get(location).get_data(as_text=True)
    assert "Việc nhập bị gián đoạn; không dòng nào của tệp được lưu." in page
    with app.app_context():
        assert db.session.get(ImportBatch, batch_id).status == "failed"
