"""Default rows of the time-limit table (legal-domain.md §2.7, §3.1, §3.2).

Seeded by ``flask calendar seed`` and ``flask app init``; administrators then own the
table (a new law = a new row with a later ``valid_from``). Where the law is uncertain the
``note`` states the default chosen and the doubt. Counting: periods the law writes as
"ngày làm việc" count working days; the others count calendar days, the start day not
counted (BLDS Art. 147), the last day moved to the next working day when it is not one
(BLDS Art. 148(5)).
"""

from __future__ import annotations

import datetime as dt

from app.calendar.results import RuleSpec, Unit

WD, CD = Unit.WORKING_DAYS, Unit.CALENDAR_DAYS

# Effective dates of the instruments the rows start from.
LUAT_KN_2011 = dt.date(2012, 7, 1)  # Luật Khiếu nại 02/2011/QH13
LUAT_TCD_2013 = dt.date(2014, 7, 1)  # Luật Tiếp công dân 42/2013/QH13
TT_07_2014 = dt.date(2014, 12, 15)  # TT 07/2014/TT-TTCP, replaced by TT 05/2021 on 15/11/2021
ND_155_2026 = dt.date(2026, 7, 1)  # NĐ 155/2026/NĐ-CP amending NĐ 124/2020 (unconfirmed)

_CALENDAR_DAYS_DOUBT = (
    "Luật ghi “ngày”, không nói ngày làm việc hay ngày lịch. Mặc định: tính ngày lịch, "
    "ngày cuối trùng ngày nghỉ thì chuyển sang ngày làm việc tiếp theo (BLDS 2015 Điều "
    "148 khoản 5). Chưa có hướng dẫn chính thức; có thể đổi đơn vị tính ở bảng này."
)
_ACCEPTANCE_DOUBT = (
    "Luật ghi “10 ngày”; TT 07/2013/TT-TTCP (sửa đổi bởi TT 02/2016) và NĐ 124/2020 "
    "Điều 16 khoản 1 tính 10 ngày làm việc. Mặc định: 10 ngày làm việc."
)
_FROM_ACCEPTANCE = "Ngày thụ lý giải quyết khiếu nại"
_FROM_DECISION_RECEIVED = (
    "Ngày nhận được quyết định giải quyết lần đầu, hoặc ngày hết thời hạn giải quyết lần "
    "đầu mà khiếu nại không được giải quyết"
)


def _rule(
    code: str,
    name: str,
    length: int,
    unit: Unit,
    legal_ref: str,
    counts_from: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    note: str | None = None,
) -> RuleSpec:
    return RuleSpec(
        code=code,
        name=name,
        length=length,
        unit=unit,
        roll_forward=True,
        legal_ref=legal_ref,
        counts_from=counts_from,
        valid_from=valid_from,
        valid_to=valid_to,
        note=note,
    )


def _resolution(
    instance: str, name: str, lengths: tuple[int, int, int, int], article: str
) -> list[RuleSpec]:
    """The four variants of a resolution limit: normal, complex, remote, complex + remote."""
    suffixes = ("", ".complex", ".remote", ".complex_remote")
    labels = ("", " (vụ việc phức tạp)", " (vùng sâu, vùng xa)", " (vùng sâu, vùng xa, phức tạp)")
    return [
        _rule(
            f"complaint.{instance}{suffix}",
            f"Thời hạn {name.lower()}{label}",
            length,
            CD,
            f"Luật Khiếu nại 2011, Điều {article}",
            _FROM_ACCEPTANCE,
            LUAT_KN_2011,
            note=_CALENDAR_DAYS_DOUBT,
        )
        for suffix, label, length in zip(suffixes, labels, lengths, strict=True)
    ]


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    _rule(
        "petition.processing",
        "Thời hạn xử lý đơn",
        10,
        WD,
        "TT 07/2014/TT-TTCP, TT 05/2021/TT-TTCP (thực tiễn áp dụng)",
        "Ngày nhận được đơn",
        TT_07_2014,
        note=(
            "Chưa tìm thấy thời hạn xử lý đơn chung trong TT 07/2014 và TT 05/2021. Mặc định "
            "10 ngày làm việc theo thực tiễn các phần mềm khiếu nại; cần tỉnh xác nhận."
        ),
    ),
    _rule(
        "reception.reply",
        "Trả lời người được tiếp sau khi tiếp công dân",
        10,
        WD,
        "Luật Tiếp công dân 2013, Điều 28 khoản 1",
        "Ngày nhận được nội dung khiếu nại, kiến nghị, phản ánh",
        LUAT_TCD_2013,
    ),
    _rule(
        "complaint.acceptance",
        "Thời hạn thụ lý giải quyết khiếu nại",
        10,
        WD,
        "Luật Khiếu nại 2011, Điều 27 và 36 khoản 1; NĐ 124/2020/NĐ-CP, Điều 16 khoản 1",
        "Ngày nhận được đơn khiếu nại thuộc thẩm quyền",
        LUAT_KN_2011,
        valid_to=ND_155_2026 - dt.timedelta(days=1),
        note=_ACCEPTANCE_DOUBT,
    ),
    _rule(
        "complaint.acceptance",
        "Thời hạn thụ lý giải quyết khiếu nại",
        7,
        WD,
        "NĐ 155/2026/NĐ-CP sửa đổi NĐ 124/2020/NĐ-CP, Điều 16 khoản 1",
        "Ngày nhận được đơn khiếu nại thuộc thẩm quyền",
        ND_155_2026,
        note=(
            "Chưa xác nhận: nội dung NĐ 155/2026 (07 ngày làm việc từ 01/07/2026) chỉ có từ "
            "một nguồn chưa kiểm chứng. Kiểm tra văn bản chính thức trước khi áp dụng."
        ),
    ),
    *_resolution("first_instance", "Giải quyết khiếu nại lần đầu", (30, 45, 45, 60), "28"),
    *_resolution("second_instance", "Giải quyết khiếu nại lần hai", (45, 60, 60, 70), "37"),
    _rule(
        "complaint.limitation",
        "Thời hiệu khiếu nại",
        90,
        CD,
        "Luật Khiếu nại 2011, Điều 9",
        "Ngày nhận được hoặc biết được quyết định, hành vi hành chính",
        LUAT_KN_2011,
        note=(
            "Thời gian ốm đau, thiên tai, địch họa, đi công tác, học tập ở nơi xa hoặc trở ngại "
            "khách quan khác không tính vào thời hiệu (được trừ như một khoảng tạm dừng). "
            + _CALENDAR_DAYS_DOUBT
        ),
    ),
    _rule(
        "complaint.decision_delivery",
        "Gửi quyết định giải quyết khiếu nại lần đầu",
        3,
        WD,
        "Luật Khiếu nại 2011, Điều 32",
        "Ngày ban hành quyết định giải quyết khiếu nại lần đầu",
        LUAT_KN_2011,
    ),
    _rule(
        "complaint.second_complaint_window",
        "Thời hạn khiếu nại lần hai hoặc khởi kiện",
        30,
        CD,
        "Luật Khiếu nại 2011, Điều 33 khoản 1",
        _FROM_DECISION_RECEIVED,
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "complaint.second_complaint_window.remote",
        "Thời hạn khiếu nại lần hai hoặc khởi kiện (vùng sâu, vùng xa)",
        45,
        CD,
        "Luật Khiếu nại 2011, Điều 33 khoản 1",
        _FROM_DECISION_RECEIVED,
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "complaint.decision_in_force",
        "Quyết định giải quyết khiếu nại có hiệu lực pháp luật",
        30,
        CD,
        "Luật Khiếu nại 2011, Điều 44",
        "Ngày ban hành quyết định giải quyết khiếu nại (lần đầu: nếu không có khiếu nại lần hai)",
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "complaint.decision_in_force.remote",
        "Quyết định giải quyết khiếu nại có hiệu lực pháp luật (vùng sâu, vùng xa)",
        45,
        CD,
        "Luật Khiếu nại 2011, Điều 44",
        "Ngày ban hành quyết định giải quyết khiếu nại (lần đầu: nếu không có khiếu nại lần hai)",
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "discipline.limitation.first",
        "Thời hiệu khiếu nại quyết định kỷ luật lần đầu",
        15,
        CD,
        "Luật Khiếu nại 2011, Điều 48",
        "Ngày nhận được quyết định kỷ luật",
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "discipline.limitation.second",
        "Thời hiệu khiếu nại quyết định kỷ luật lần hai",
        10,
        CD,
        "Luật Khiếu nại 2011, Điều 48",
        "Ngày nhận được quyết định giải quyết khiếu nại lần đầu",
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "discipline.limitation.second.dismissal",
        "Thời hiệu khiếu nại lần hai quyết định kỷ luật buộc thôi việc",
        30,
        CD,
        "Luật Khiếu nại 2011, Điều 48",
        "Ngày nhận được quyết định giải quyết khiếu nại lần đầu",
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "discipline.acceptance",
        "Thời hạn thụ lý khiếu nại quyết định kỷ luật",
        10,
        WD,
        "Luật Khiếu nại 2011, Điều 50",
        "Ngày nhận được đơn khiếu nại quyết định kỷ luật",
        LUAT_KN_2011,
        note=(
            "Luật ghi “10 ngày”. Mặc định 10 ngày làm việc như thụ lý khiếu nại hành chính; "
            "chưa rõ thay đổi 07 ngày làm việc từ 01/07/2026 (NĐ 155/2026) có áp dụng không."
        ),
    ),
    _rule(
        "discipline.resolution",
        "Thời hạn giải quyết khiếu nại quyết định kỷ luật",
        30,
        CD,
        "Luật Khiếu nại 2011, Điều 50",
        _FROM_ACCEPTANCE,
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
    _rule(
        "discipline.resolution.complex",
        "Thời hạn giải quyết khiếu nại quyết định kỷ luật (vụ việc phức tạp)",
        45,
        CD,
        "Luật Khiếu nại 2011, Điều 50",
        _FROM_ACCEPTANCE,
        LUAT_KN_2011,
        note=_CALENDAR_DAYS_DOUBT,
    ),
)
