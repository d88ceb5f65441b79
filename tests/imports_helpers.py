"""Import files for the import tests: petitions and tasks of the demo province as CSV
or Excel, built from rows of Vietnamese values under the template's headers."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook

from app.imports.petitions import COLUMNS as PETITION_COLUMNS
from app.imports.tasks import COLUMNS as TASK_COLUMNS

PETITION_HEADERS = [column.header for column in PETITION_COLUMNS]
TASK_HEADERS = [column.header for column in TASK_COLUMNS]


def petition_row(**changes: Any) -> dict[str, Any]:
    """A valid petition row of Cao Lãnh's citizen reception board (headers → values)."""
    values = {
        "Mã cơ quan tiếp nhận": "DT17-866-TCD",
        "Số vào sổ": "501",
        "Ngày nhận": "02/03/2026",
        "Hình thức nhận": "Qua bưu chính",
        "Loại đơn": "Khiếu nại",
        "Mã lĩnh vực": "kn_dat_dai",
        "Nội dung tóm tắt": "Khiếu nại quyết định thu hồi đất tại khóm 3, Phường 1",
        "Nội dung đơn": "Tôi không đồng ý với mức bồi thường khi thu hồi đất ở.",
        "Quyết định, hành vi bị khiếu nại": "Quyết định số 245/QĐ-UBND ngày 02/10/2025",
        "Họ và tên người đứng đơn": "Nguyễn Văn Hùng",
        "Số CCCD/CMND": "087078001234",
        "Năm sinh": "1978",
        "Giới tính": "Nam",
        "Số điện thoại": "0918123456",
        "Mã xã/phường": "",
        "Địa chỉ (số nhà, ấp, khóm)": "Số 12 đường Nguyễn Huệ, khóm 3",
        "Số người ký đơn": "1",
    }
    values.update(changes)
    return values


def task_row(**changes: Any) -> dict[str, Any]:
    """A valid task row: Cao Lãnh's district PC assigns its inspectorate."""
    values = {
        "Mã cơ quan giao nhiệm vụ": "DT17-866-UB",
        "Loại văn bản": "Công văn",
        "Số văn bản": "125",
        "Ký hiệu": "UBND-TCD",
        "Trích yếu": "V/v giải quyết đơn của bà Nguyễn Thị Lan",
        "Ngày ban hành": "05/03/2026 09:30",
        "Người chỉ đạo": "Đặng Văn Hải",
        "Người ký": "Đặng Văn Hải",
        "Người soạn thảo": "Bùi Thị Hoa",
        "Độ mật": "Không mật",
        "Mã cơ quan nhận nhiệm vụ": "DT17-866-TT",
        "Vai trò": "Chủ trì",
        "Thời hạn": "30/04/2026",
        "Thông tin khác": "",
    }
    values.update(changes)
    return values


def csv_file(headers: list[str], rows: list[dict[str, Any]], *, bom: bool = True) -> bytes:
    """A CSV in UTF-8 (with the BOM Excel writes, by default)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(header, "") for header in headers])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_file(headers: list[str], rows: list[dict[str, Any]]) -> bytes:
    """An Excel workbook with the header row and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) or None for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
