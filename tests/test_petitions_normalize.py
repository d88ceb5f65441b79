"""The lookup sees through the ways the same name, address and matter get typed (R6, R12)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.petitions.normalize import (
    fold,
    fold_address,
    fold_name,
    given_name,
    matter_terms,
    name_signature,
)


@pytest.mark.parametrize(
    "variant",
    [
        "Nguyễn Văn Hùng",
        "NGUYỄN VĂN HÙNG",
        "nguyen van hung",
        "Nguyễn  Văn   Hùng",
        unicodedata.normalize("NFD", "Nguyễn Văn Hùng"),
        "Nguyễn Văn Hùng.",
    ],
)
def test_name_variants_fold_to_one_form(variant):
    assert fold_name(variant) == "nguyen van hung"


def test_d_with_stroke_folds_to_d():
    assert fold("Đặng Thị Đào") == "dang thi dao"


def test_missing_middle_name_keeps_the_signature():
    assert name_signature("Nguyễn Văn Hùng") == name_signature("Nguyễn Hùng") == "nguyen hung"
    assert name_signature("Trần Thị Ngọc Ánh") == "tran anh"
    assert given_name("Lê Thị Mai") == "mai"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ấp 3, xã Mỹ Tân, TP. Cao Lãnh", "ap 3 xa my tan thanh pho cao lanh"),
        ("ấp Ba, X.Mỹ Tân, TP.Cao Lãnh", "ap 3 xa my tan thanh pho cao lanh"),
        ("Khóm Bốn, P.11, TX. Hồng Ngự", "khom 4 phuong 11 thi xa hong ngu"),
        ("Kp. 2, TT. Mỹ Thọ, H. Cao Lãnh", "khu pho 2 thi tran my tho huyen cao lanh"),
        ("Ấp Năm, xã Tân Hòa", "ap 5 xa tan hoa"),
    ],
)
def test_address_abbreviations_and_number_words(typed, expected):
    assert fold_address(typed) == expected


def test_nam_is_only_a_number_after_a_unit_word():
    assert fold_address("đường Nam Kỳ Khởi Nghĩa") == "duong nam ky khoi nghia"


def test_matter_terms_drop_common_words():
    terms = matter_terms("Khiếu nại về việc bồi thường đất khi thu hồi để làm đường")
    assert "boi" in terms and "thuong" in terms and "thu" in terms
    assert "ve" not in terms and "de" not in terms


@given(st.text())
def test_fold_is_idempotent_and_ascii(text):
    once = fold(text)
    assert fold(once) == once
    assert all(ch.isascii() for ch in once)


@given(st.text())
def test_fold_ignores_unicode_normal_form(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)


def reference_fold(text: str) -> str:
    """The definition of folding, one character at a time."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(
        "".join(
            ch if ch in "0123456789abcdefghijklmnopqrstuvwxyz" else " " for ch in stripped
        ).split()
    )


@given(
    st.text(
        st.sampled_from(
            VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " ,.;-/()“”–…²°0123456789"
        )
    )
    | st.text()
)
def test_fold_of_vietnamese_text_and_of_any_text_follows_its_definition(text):
    """R6, R12: the fast path for Vietnamese text folds as the definition does; the
    folded names and matters stored by earlier versions still meet new ones."""
    assert fold(text) == reference_fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == reference_fold(text)
