"""R6: how alike the lookup judges names, addresses and matters — the pieces its score is
made of (app.petitions.matching)."""

from __future__ import annotations

import pytest

from app.petitions.matching import (
    MatterQuery,
    address_similarity,
    marked_name_penalty,
    matter_similarity,
    name_similarity,
    signatures,
)
from app.petitions.normalize import fold, fold_address

MY_TAN = 21


def _name(typed: str, stored: str) -> float:
    return name_similarity(tuple(fold(typed).split()), fold(stored))


@pytest.mark.parametrize(
    "typed",
    ["Nguyễn Văn Hùng", "Hùng Văn Nguyễn", "Hung Van Nguyen", "Nguyễn Hùng", "Nguyễn Văn Hùnh"],
)
def test_the_same_person_typed_another_way_is_alike(typed):
    assert _name(typed, "Nguyễn Văn Hùng") >= 0.85


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Lê Thị Hoa", "Lê Thị Hạnh"),
        ("Nguyễn Văn Hải", "Nguyễn Văn Hậu"),
        ("Trần Văn Sơn", "Phạm Văn Sơn"),
        ("Nguyễn Văn Hùng", "Nguyễn Thị Hùng"),
    ],
)
def test_another_given_or_family_name_is_another_person(typed, stored):
    assert _name(typed, stored) < 0.85


def test_a_western_order_name_searches_both_readings():
    assert "tran son" in signatures(("son", "van", "tran"))
    assert "mai nguyen" in signatures(("mai", "thi", "nguyen"))
    assert "nguyen mai" in signatures(("mai", "thi", "nguyen"))


def test_diacritics_typed_and_different_cost_a_little():
    assert marked_name_penalty("Nguyễn Văn Hùng", "Nguyễn Văn Hưng") > 0
    assert marked_name_penalty("Nguyen Van Hung", "Nguyễn Văn Hưng") == 0
    assert marked_name_penalty("Nguyễn Văn Hùnh", "Nguyễn Văn Hùng") == 0


def _address(typed: str, stored: str, commune: int | None = MY_TAN) -> float | None:
    return address_similarity(fold_address(typed), commune, fold_address(stored), MY_TAN)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ấp Ba", "Ấp 3, Xã Mỹ Tân, Thành phố Cao Lãnh"),
        ("ấp Bình Hòa", "Ấp Bình Hoà, Xã Mỹ Tân"),
        ("Khóm 2, P.11", "Số 12, đường Lê Lợi, Khóm 2, Phường 11"),
        ("Ấp Hưng Thạnh", "Ấp Hưng Thạnh, Xã Mỹ Tân, Huyện Tháp Mười"),
    ],
)
def test_the_same_hamlet_typed_another_way_is_alike(typed, stored):
    assert _address(typed, stored) == 1.0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ấp 3", "Ấp 31, Xã Mỹ Tân"),
        ("Ấp An Hòa", "Ấp 5, Xã Mỹ Tân"),
        ("Ấp Hưng Phú", "Ấp Hưng Thạnh, Xã Mỹ Tân"),
        ("Số 98, đường Lê Lợi, Khóm 2", "Số 12, đường Lê Lợi, Khóm 2, Phường 11"),
    ],
)
def test_another_hamlet_or_house_of_the_commune_lowers_the_likeness(typed, stored):
    assert _address(typed, stored) < 0.5


def test_no_hamlet_on_one_side_is_no_evidence_either_way():
    assert _address("", "Ấp 3, Xã Mỹ Tân") == 0.9
    assert _address("Ấp 3", "Xã Mỹ Tân") == 0.9
    assert _address("", "Ấp 3", commune=None) is None


def test_another_commune_is_far():
    assert address_similarity("ap 3", 99, "ap 3 xa my tan", MY_TAN) == 0.1


def test_the_matter_weighs_telling_words_and_not_the_place():
    stored = fold(
        "Khiếu nại Quyết định số 1520/QĐ-UBND thu hồi đất thửa số 125, tờ bản đồ số 7 tại "
        "Ấp 3, xã Mỹ Tân"
    )
    places = frozenset({"ap", "3", "xa", "my", "tan"})
    same = MatterQuery.from_text("thu hồi đất thửa 125 tờ bản đồ 7", places)
    other_plot = MatterQuery.from_text("thu hồi đất thửa 981 tờ bản đồ 40", places)
    only_place = MatterQuery.from_text("Ấp 3 xã Mỹ Tân", places)
    assert matter_similarity(same, stored) == pytest.approx(1.0)
    assert matter_similarity(other_plot, stored) < 0.5
    assert matter_similarity(only_place, stored) < 0.3
    assert same.distinctive(2) == ["125", "thua"]
    assert only_place.distinctive(3) == []
    assert MatterQuery.from_text("bồi thường thu hồi đất").distinctive(3) == []
