"""Vietnamese sort key: alphabet, tones, case, normalisation, numbers, and database order."""

from __future__ import annotations

import re
import unicodedata
from functools import cmp_to_key

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import literal, select, union_all

from app.core.vnsort import vietnamese_sort_key as key

ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
VOWELS = set("aăâeêioôơuưy")
TONES = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # CLDR: huyền hỏi ngã sắc nặng


def _reference_table() -> dict[str, tuple[int, int]]:
    """Every letter, in both cases and with every tone, as (alphabet rank, tone rank)."""
    table = {}
    for rank, letter in enumerate(ALPHABET):
        for tone_rank, tone in enumerate(TONES if letter in VOWELS else [""]):
            for cased in (letter, letter.upper()):
                table[unicodedata.normalize("NFC", cased + tone)] = (rank, tone_rank)
    return table


TABLE = _reference_table()


def reference(text: str) -> tuple[list[tuple[int, ...]], list[int]]:
    """An independent model of the order: word separators < numbers (by value) < letters
    (alphabet rank) on the first level, the letters' tones on the second."""
    primary: list[tuple[int, ...]] = []
    tones: list[int] = []
    for token in re.findall(r"\d+|\w|\W+", unicodedata.normalize("NFC", text)):
        if token.isdigit():
            primary.append((1, int(token)))
        elif token in TABLE:
            rank, tone = TABLE[token]
            primary.append((2, rank))
            tones.append(tone)
        elif primary and primary[-1] != (0,):
            primary.append((0,))
    while primary and primary[-1] == (0,):
        primary.pop()
    return primary, tones


def _sign(a: object, b: object) -> int:
    return (a > b) - (a < b)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Dương", "Đào"),
        ("Anh", "Ánh"),
        ("U", "Ư"),
        ("Uy", "Ư"),
        ("O", "Ô"),
        ("Ô", "Ơ"),
        ("A", "Ă"),
        ("Ă", "Â"),
        ("E", "Ê"),
        ("Ê", "G"),
        ("Hòa Bình", "Hồng Ngự"),
        ("An Giang", "Anh"),
        ("Phường 2", "Phường 10"),
        ("Phường 10", "Phường A"),
        ("Lai Vung", "Lấp Vò"),
        ("Tam Nông", "Tân Hồng"),
        ("ma", "mà"),
        ("mà", "mả"),
        ("mả", "mã"),
        ("mã", "má"),
        ("má", "mạ"),
        ("mạ", "mai"),
    ],
)
def test_pairs_sort_in_vietnamese_order(before: str, after: str) -> None:
    assert key(before) < key(after)


def test_anh_is_immediately_followed_by_anh_with_acute() -> None:
    names = ["Bình", "Anh Đào", "Ánh", "An", "Anh", "Ảnh", "Ba"]
    assert sorted(names, key=key) == ["An", "Anh", "Ảnh", "Ánh", "Anh Đào", "Ba", "Bình"]


def test_a_province_list_sorts_like_a_vietnamese_reader_expects() -> None:
    names = ["Đồng Tháp", "Điện Biên", "Đà Nẵng", "Dak Lak", "Cà Mau", "Cao Bằng", "An Giang"]
    expected = ["An Giang", "Cà Mau", "Cao Bằng", "Dak Lak", "Đà Nẵng", "Điện Biên", "Đồng Tháp"]
    assert sorted(names, key=key) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("ĐỒNG THÁP", "đồng tháp"),
        (unicodedata.normalize("NFD", "Nguyễn Thị Ánh"), "Nguyễn Thị Ánh"),
        ("  Cao   Lãnh ", "Cao Lãnh"),
        ("Sở Lao động - Thương binh", "Sở Lao động, Thương binh"),
        ("Phường 01", "Phường 1"),
    ],
)
def test_equivalent_spellings_have_equal_keys(one: str, other: str) -> None:
    assert key(one) == key(other)


def test_key_is_plain_lowercase_ascii_and_cut_to_the_column_width() -> None:
    name = "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng và công nghiệp tỉnh Đồng Tháp"
    assert re.fullmatch(r"[0-9a-z]+", key(name))
    assert len(key(name * 3)) == 255
    assert len(key(name * 2, max_length=150)) == 150
    assert key("") == "0"


VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(
        [*TABLE, " ", "-", ",", ".", "0", "1", "2", "9", "đ", "Đ", "ư", "Ừ", "ợ", "Ỹ"]
    ),
    max_size=12,
)


@given(VIETNAMESE_TEXT, VIETNAMESE_TEXT)
def test_key_order_matches_the_reference_model(a: str, b: str) -> None:
    assert _sign(key(a, 10_000), key(b, 10_000)) == _sign(reference(a), reference(b))


@given(VIETNAMESE_TEXT)
def test_key_ignores_case_and_normalisation(text: str) -> None:
    expected = key(text)
    assert key(text.upper()) == expected
    assert key(text.lower()) == expected
    assert key(unicodedata.normalize("NFD", text)) == expected


def test_database_orders_keys_in_vietnamese_order(app_ctx) -> None:
    from app.extensions import db

    names = ["Đào", "Dương", "Ánh", "Anh", "Ư", "U", "Phường 10", "Phường 2", "Ân", "Ăn"]
    rows = union_all(
        *[select(literal(key(name)).label("k"), literal(name).label("name")) for name in names]
    ).subquery()
    ordered = db.session.execute(select(rows.c.name).order_by(rows.c.k)).scalars().all()
    assert ordered == sorted(names, key=cmp_to_key(lambda a, b: _sign(reference(a), reference(b))))
