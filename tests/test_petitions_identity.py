"""Identity and phone numbers typed by clerks: valid ones accepted, bad ones refused with a
Vietnamese message (issue 3, "Bad input")."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.petitions.identity import (
    CCCD_PROVINCE_CODES,
    IdentityError,
    normalize_phone,
    parse_id_number,
    parse_phone,
)


def test_cccd_of_a_woman_born_1985_in_dong_thap():
    info = parse_id_number("087 185 001234", birth_year=1985, sex="female")
    assert info.kind == "cccd"
    assert info.province_code == "087"
    assert info.birth_year == 1985
    assert info.sex == "female"


def test_cccd_born_2003_male():
    info = parse_id_number("082203004567")
    assert info.birth_year == 2003 and info.sex == "male"


def test_old_cmnd_nine_digits():
    assert parse_id_number("341234567").kind == "cmnd"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("08718500123", "12 chữ số"),
        ("0871850012345", "12 chữ số"),
        ("003185001234", "Mã tỉnh “003”"),
        ("08718A001234", "chỉ gồm chữ số"),
        ("", "12 chữ số"),
    ],
)
def test_bad_id_numbers_are_refused(text, message):
    with pytest.raises(IdentityError, match=message):
        parse_id_number(text)


def test_cccd_birth_year_must_match_year_entered():
    with pytest.raises(IdentityError, match="năm sinh 1985"):
        parse_id_number("087185001234", birth_year=1958)


def test_cccd_sex_must_match():
    with pytest.raises(IdentityError, match="Giới tính"):
        parse_id_number("087185001234", sex="male")


@given(
    province=st.sampled_from(sorted(CCCD_PROVINCE_CODES)),
    digit=st.sampled_from("0123"),
    year=st.integers(0, 99),
    serial=st.integers(0, 999999),
)
def test_every_well_formed_cccd_is_accepted(province, digit, year, serial):
    number = f"{province}{digit}{year:02d}{serial:06d}"
    info = parse_id_number(number)
    assert info.birth_year % 100 == year
    assert info.province_code == province


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0277.3851.234", "02773851234"),
    ],
)
def test_phone_numbers_in_any_notation(text, expected):
    assert parse_phone(text) == expected
    assert normalize_phone(text) == expected


@pytest.mark.parametrize("text", ["091234567", "0112345678", "09123456789", "abc"])
def test_bad_phone_numbers_are_refused(text):
    with pytest.raises(IdentityError, match="điện thoại"):
        parse_phone(text)
