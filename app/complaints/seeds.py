"""Grounds for not accepting a complaint (Luật Khiếu nại 2011, Art. 11)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.complaints.models import ComplaintGround

GROUNDS: list[tuple[str, str, str]] = [
    (
        "noi_bo",
        "Quyết định hành chính nội bộ, chỉ đạo điều hành, văn bản quy phạm pháp luật, "
        "bí mật nhà nước",
        "Luật Khiếu nại Điều 11 khoản 1",
    ),
    (
        "khong_lien_quan",
        "Quyết định, hành vi không liên quan trực tiếp đến quyền, lợi ích hợp "
        "pháp của người khiếu nại",
        "Luật Khiếu nại Điều 11 khoản 2",
    ),
    (
        "nang_luc",
        "Người khiếu nại không có năng lực hành vi dân sự đầy đủ mà không có người đại "
        "diện hợp pháp",
        "Luật Khiếu nại Điều 11 khoản 3",
    ),
    ("dai_dien", "Người đại diện không hợp pháp", "Luật Khiếu nại Điều 11 khoản 4"),
    (
        "khong_chu_ky",
        "Đơn khiếu nại không có chữ ký hoặc điểm chỉ của người khiếu nại",
        "Luật Khiếu nại Điều 11 khoản 5",
    ),
    (
        "het_thoi_hieu",
        "Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng",
        "Luật Khiếu nại Điều 11 khoản 6",
    ),
    (
        "da_co_qd_lan_hai",
        "Khiếu nại đã có quyết định giải quyết khiếu nại lần hai",
        "Luật Khiếu nại Điều 11 khoản 7",
    ),
    (
        "dinh_chi_qua_30_ngay",
        "Có văn bản thông báo đình chỉ việc giải quyết mà sau 30 ngày "
        "người khiếu nại không tiếp tục khiếu nại",
        "Luật Khiếu nại Điều 11 khoản 8",
    ),
    (
        "toa_an",
        "Việc khiếu nại đã được Tòa án thụ lý hoặc đã được giải quyết bằng bản án, "
        "quyết định của Tòa án",
        "Luật Khiếu nại Điều 11 khoản 9",
    ),
]


def seed_complaint_grounds(session: Session) -> int:
    """Insert the grounds that are missing; return how many were added."""
    existing = set(session.scalars(select(ComplaintGround.code)))
    added = 0
    for order, (code, name, legal_ref) in enumerate(GROUNDS):
        if code not in existing:
            session.add(
                ComplaintGround(code=code, name=name, legal_ref=legal_ref, sort_order=order)
            )
            added += 1
    session.flush()
    return added
