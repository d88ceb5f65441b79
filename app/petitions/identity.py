"""Checks of citizens' identity numbers and phone numbers (issue: bad input refused).

CCCD (căn cước công dân, 12 digits, Thông tư 07/2016/TT-BCA and 59/2021/TT-BCA):
digits 1–3 the province of birth registration, digit 4 sex and century of birth, digits
5–6 the last two digits of the year of birth, 7–12 a random serial. CMND (old identity
card): 9 digits (a 12-digit CMND shares the CCCD layout). Messages are Vietnamese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The 63 province codes of the CCCD (before the 2025 merger; cards stay valid).
CCCD_PROVINCE_CODES = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031
    033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064
    066 067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095
    096""".split()
)
# Digit 4: (sex, first year of the century).
_CENTURY_DIGIT = {
    "0": ("male", 1900),
    "1": ("female", 1900),
    "2": ("male", 2000),
    "3": ("female", 2000),
    "4": ("male", 2100),
    "5": ("female", 2100),
    "6": ("male", 2200),
    "7": ("female", 2200),
    "8": ("male", 1800),
    "9": ("female", 1800),
}
_MOBILE_PREFIXES = ("03", "05", "07", "08", "09")


class IdentityError(ValueError):
    """An identity or phone number is invalid; the message is shown next to the field."""


_NOT_DIGIT = re.compile(r"\D")
_NOT_ID_CHARACTER = re.compile(r"[^\d\s.\-]")
_NOT_PHONE_CHARACTER = re.compile(r"[^\d\s.\-+()]")


@dataclass(frozen=True)
class IdNumberInfo:
    """What a valid identity number tells: its kind and, for a CCCD, birth data."""

    number: str
    kind: str  # "cccd" | "cmnd"
    province_code: str | None = None
    sex: str | None = None
    birth_year: int | None = None


def digits_only(text: str | None) -> str:
    """Keep the digits of a number typed with spaces, dots or dashes."""
    if not text or (text.isascii() and text.isdigit()):
        return text or ""
    return _NOT_DIGIT.sub("", text)


def parse_id_number(
    text: str, *, birth_year: int | None = None, sex: str | None = None
) -> IdNumberInfo:
    """Validate a CCCD (12 digits) or CMND (9 digits); cross-check the birth year and sex
    encoded in a CCCD with those entered. Raises IdentityError with a Vietnamese message."""
    number = digits_only(text)
    if text and _NOT_ID_CHARACTER.search(text):
        raise IdentityError("Số định danh chỉ gồm chữ số.")
    if len(number) == 9:
        return IdNumberInfo(number=number, kind="cmnd")
    if len(number) != 12:
        raise IdentityError(
            "Số định danh phải có 12 chữ số (CCCD) hoặc 9 chữ số (CMND cũ); "
            f"đã nhập {len(number)} chữ số."
        )
    province = number[:3]
    if province not in CCCD_PROVINCE_CODES:
        raise IdentityError(f"Mã tỉnh “{province}” ở đầu số CCCD không tồn tại.")
    encoded_sex, century = _CENTURY_DIGIT[number[3]]
    year = century + int(number[4:6])
    if birth_year is not None and birth_year != year:
        raise IdentityError(
            f"Số CCCD cho biết năm sinh {year}, khác năm sinh đã nhập ({birth_year})."
        )
    if sex is not None and sex in ("male", "female") and sex != encoded_sex:
        raise IdentityError("Giới tính đã nhập không khớp với chữ số thứ tư của số CCCD.")
    return IdNumberInfo(
        number=number, kind="cccd", province_code=province, sex=encoded_sex, birth_year=year
    )


def normalize_phone(text: str | None) -> str:
    """Vietnamese phone number in national form (0xxxxxxxxx); +84/84 prefixes folded."""
    number = digits_only(text)
    if number.startswith("84") and len(number) in (11, 12):
        number = "0" + number[2:]
    return number


def parse_phone(text: str) -> str:
    """Validate a mobile (10 digits, 03/05/07/08/09) or landline (11 digits, 02…) number."""
    if _NOT_PHONE_CHARACTER.search(text or ""):
        raise IdentityError("Số điện thoại chỉ gồm chữ số.")
    number = normalize_phone(text)
    if len(number) == 10 and number.startswith(_MOBILE_PREFIXES):
        return number
    if len(number) == 11 and number.startswith("02"):
        return number
    raise IdentityError(
        "Số điện thoại không hợp lệ: di động 10 số (03, 05, 07, 08, 09…) hoặc cố định 11 số (02…)."
    )
