"""Default managed lists: subject areas as the forms count them, and outcome reasons.

Legal sources: TT 07/2014/TT-TTCP Art. 6–9, 21–28 and TT 05/2021/TT-TTCP (reasons), the
TT 03/2013 forms 2a–2c and TT 01/2024 forms 01–04/XLD (subject-area column groups),
summarised in /work/shared/domain/legal-domain.md §2 and §5.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.petitions.models import ReasonCode, SubjectArea

# code, name, applies to, TT 01/2024 group, TT 03/2013 group
SUBJECT_AREAS: list[tuple[str, str, str, str, str]] = [
    (
        "kn_dat_dai",
        "Đất đai (thu hồi, bồi thường, giải tỏa, tranh chấp)",
        "complaint",
        "admin_land_housing",
        "admin_land",
    ),
    ("kn_nha_tai_san", "Nhà ở, tài sản", "complaint", "admin_land_housing", "admin_housing"),
    ("kn_chinh_sach", "Chế độ, chính sách", "complaint", "admin_policy", "admin_policy"),
    (
        "kn_cbccvc",
        "Chế độ cán bộ, công chức, viên chức",
        "complaint",
        "admin_policy",
        "admin_officials",
    ),
    (
        "kn_hanh_chinh_khac",
        "Hành chính khác (chính trị, văn hóa, xã hội)",
        "complaint",
        "admin_other",
        "admin_other",
    ),
    ("kn_tu_phap", "Tư pháp", "complaint", "judicial", "judicial"),
    ("kn_dang_doan_the", "Đảng, đoàn thể", "complaint", "party", "party"),
    ("kn_khac", "Lĩnh vực khác", "complaint", "other", "other"),
    ("kp_chinh_sach", "Chế độ, chính sách", "recommendation", "policy", "other"),
    ("kp_dat_dai", "Đất đai", "recommendation", "land", "other"),
    ("kp_tu_phap", "Tư pháp", "recommendation", "judicial", "other"),
    ("kp_khac", "Lĩnh vực khác", "recommendation", "other", "other"),
]

# code, outcome, name, legal reference
REASONS: list[tuple[str, str, str, str]] = [
    (
        "thuoc_tham_quyen",
        "accepted",
        "Thuộc thẩm quyền, đủ điều kiện thụ lý",
        "TT 07/2014 Điều 7 khoản 1; TT 05/2021",
    ),
    (
        "kien_nghi_thuoc_tham_quyen",
        "accepted",
        "Kiến nghị, phản ánh thuộc thẩm quyền",
        "TT 07/2014 Điều 21 khoản 1",
    ),
    (
        "kien_nghi_ngoai_tham_quyen",
        "forwarded",
        "Kiến nghị, phản ánh không thuộc thẩm quyền: chuyển cơ quan có thẩm quyền",
        "TT 07/2014 Điều 21 khoản 2",
    ),
    (
        "thuoc_cap_duoi",
        "forwarded",
        "Thuộc thẩm quyền giải quyết của cơ quan cấp dưới",
        "TT 07/2014 Điều 7 khoản 3",
    ),
    (
        "khieu_nai_ngoai_tham_quyen",
        "guided",
        "Khiếu nại không thuộc thẩm quyền: hướng dẫn một lần đến cơ quan có thẩm quyền",
        "TT 07/2014 Điều 8 khoản 1",
    ),
    (
        "nhieu_noi_dung",
        "guided",
        "Đơn có nhiều nội dung thuộc thẩm quyền của nhiều cơ quan: hướng dẫn tách đơn",
        "TT 07/2014 Điều 22",
    ),
    (
        "tham_quyen_to_tung",
        "guided",
        "Thuộc thẩm quyền của cơ quan tiến hành tố tụng, thi hành án",
        "TT 07/2014 Điều 23",
    ),
    (
        "tham_quyen_dang_doan_the",
        "guided",
        "Thuộc thẩm quyền của tổ chức Đảng, đoàn thể, tổ chức khác",
        "TT 07/2014 Điều 25, 26",
    ),
    (
        "bo_sung_thong_tin",
        "guided",
        "Khiếu nại chưa đủ điều kiện thụ lý: hướng dẫn bổ sung thông tin, tài liệu",
        "TT 07/2014 Điều 7 khoản 2; TT 05/2021 Mẫu số 02",
    ),
    (
        "chuyen_khong_dung_tham_quyen",
        "returned",
        "Đơn do cơ quan khác chuyển đến không đúng thẩm quyền: trả lại",
        "TT 07/2014 Điều 8 khoản 2",
    ),
    (
        "an_danh",
        "archived",
        "Đơn nặc danh, không rõ họ tên, địa chỉ người viết đơn",
        "TT 07/2014 Điều 6 khoản 2",
    ),
    (
        "gui_nhieu_noi",
        "archived",
        "Đơn gửi nhiều nơi, đã gửi đúng cơ quan có thẩm quyền",
        "TT 07/2014 Điều 6 khoản 2",
    ),
    (
        "da_huong_dan",
        "archived",
        "Đã được hướng dẫn một lần về cùng nội dung",
        "TT 07/2014 Điều 6 khoản 2",
    ),
    (
        "da_giai_quyet",
        "archived",
        "Đã có quyết định giải quyết có hiệu lực, không có tình tiết mới",
        "TT 07/2014 Điều 28; TT 05/2021 Điều 28",
    ),
    (
        "khong_ro_noi_dung",
        "archived",
        "Đơn không rõ nội dung, không đọc được, rách nát",
        "TT 07/2014 Điều 28",
    ),
    (
        "het_thoi_hieu",
        "archived",
        "Khiếu nại đã hết thời hiệu, thời hạn",
        "Luật Khiếu nại Điều 9; TT 07/2014 Điều 28",
    ),
    (
        "khong_du_dieu_kien",
        "archived",
        "Đơn không đủ điều kiện xử lý (thiếu chữ ký, ngày viết, nội dung…)",
        "TT 07/2014 Điều 6 khoản 2",
    ),
]


def seed_petition_lists(session: Session) -> int:
    """Insert the default subject areas and reasons that are missing; return how many."""
    added = 0
    areas = set(session.scalars(select(SubjectArea.code)))
    for order, (code, name, applies, group_2021, group_2013) in enumerate(SUBJECT_AREAS):
        if code not in areas:
            session.add(
                SubjectArea(
                    code=code,
                    name=name,
                    applies_to=applies,
                    group_2021=group_2021,
                    group_2013=group_2013,
                    sort_order=order,
                )
            )
            added += 1
    reasons = set(session.scalars(select(ReasonCode.code)))
    for order, (code, outcome, name, legal_ref) in enumerate(REASONS):
        if code not in reasons:
            session.add(
                ReasonCode(
                    code=code, outcome=outcome, name=name, legal_ref=legal_ref, sort_order=order
                )
            )
            added += 1
    session.flush()
    return added
