"""Agency services on the demo province (R1–R3 and the 2025 reform)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.agencies.importer import import_agencies
from app.agencies.models import Agency
from app.agencies.outline import IN_FORCE, INACTIVE, SUCCEEDED, agency_outline, fold_vietnamese
from app.agencies.services import (
    AgencyRuleError,
    ancestors,
    assigning_agencies,
    check_operating_office,
    check_validity,
    predecessors_of,
    receiving_agencies,
    subordinates,
    successor_on,
    successors_of,
    user_count,
)
from app.demo.loader import DATA_DIR
from app.extensions import db

REFORM_DAY = dt.date(2025, 7, 1)


def agency(code: str) -> Agency:
    return db.session.scalar(select(Agency).where(Agency.code == code))


@pytest.fixture
def reform(app_ctx):
    """The demo province with the 2025 two-tier structure loaded on top of 2017."""
    import_agencies(DATA_DIR / "dong-thap-2025-agencies.csv", db.session)
    db.session.commit()


def test_two_2017_departments_are_succeeded_by_one_2025_department(reform):
    merged = agency("DT25-SNNMT")
    for code in ("DT17-STNMT", "DT17-SNNPTNT"):
        old = agency(code)
        assert successor_on(old, REFORM_DAY) == merged
        assert successor_on(old, REFORM_DAY - dt.timedelta(days=1)) == old
    assert [s.predecessor.code for s in predecessors_of(merged)] == [
        "DT17-SNNPTNT",
        "DT17-STNMT",
    ]
    assert [s.effective_date for s in predecessors_of(merged)] == [REFORM_DAY, REFORM_DAY]


def test_a_2017_commune_is_succeeded_by_its_2025_commune(reform):
    # Map: 29866 Phường 1 (Cao Lãnh city) went into 29869 Phường Cao Lãnh on 1/7/2025.
    old = agency("DT17-29866-UB")
    assert successor_on(old, dt.date(2026, 1, 1)).name == "Ủy ban nhân dân Phường Cao Lãnh"
    assert [s.successor.code for s in successors_of(old)] == ["DT25-29869-UB"]


def test_a_split_commune_resolves_to_the_successor_keeping_its_code(reform):
    # Xã Tân Thạnh (30157) was split between Xã Thanh Bình and the new Xã Tân Thạnh.
    old = agency("DT17-30157-UB")
    assert len(successors_of(old)) == 2
    assert successor_on(old, REFORM_DAY).code == "DT25-30157-UB"


def test_an_agency_never_succeeded_holds_its_own_records(app_ctx):
    board = agency("DT17-866-TCD")
    assert successor_on(board, dt.date(2030, 1, 1)) == board
    assert predecessors_of(board) == [] and successors_of(board) == []


def test_subordinates_are_the_tree_descendants_in_force(app_ctx):
    city = agency("DT17-866-UB")
    codes = [a.code for a in subordinates(city, dt.date(2024, 1, 1))]
    assert len(codes) == 3 + 15
    assert "DT17-866-TCD" in codes and "DT17-29881-UB" in codes
    assert "DT17-866-UB" not in codes and "DT17-876-TCD" not in codes


def test_subordinates_leave_out_succeeded_agencies(reform):
    province_2017 = agency("DT17-UBT")
    before = subordinates(province_2017, REFORM_DAY - dt.timedelta(days=1))
    after = {a.code for a in subordinates(province_2017, REFORM_DAY)}
    assert len(before) == 226
    assert "DT17-STNMT" not in after and "DT17-29866-UB" not in after
    assert "DT17-866-UB" in after  # not succeeded in the demo file


def test_receiving_agencies_are_the_r2_kinds(app_ctx):
    kinds = {a.kind.code for a in receiving_agencies(db.session, dt.date(2024, 1, 1))}
    assert kinds == {
        "inspectorate",
        "citizen_reception_board",
        "department_inspectorate",
        "district_inspectorate",
        "district_reception_board",
        "commune_pc",
    }
    assert len(receiving_agencies(db.session, dt.date(2024, 1, 1))) == 1 + 1 + 15 + 12 + 12 + 144


def test_receiving_agencies_follow_the_2025_reform(reform):
    codes = {a.code for a in receiving_agencies(db.session, REFORM_DAY)}
    assert "DT25-28261-UB" in codes and "DT25-TTT" in codes
    assert "DT17-TTT" not in codes and "DT17-29866-UB" not in codes


def test_assigning_agencies_come_with_their_operating_office(app_ctx):
    pairs = {
        a.code: a.operating_office.code for a in assigning_agencies(db.session, dt.date(2024, 1, 1))
    }
    assert len(pairs) == 1 + 12
    assert pairs["DT17-UBT"] == "DT17-VPUB"
    assert pairs["DT17-866-UB"] == "DT17-866-VP"


def test_an_inactive_agency_neither_receives_nor_assigns(app_ctx):
    inspectorate = agency("DT17-TTT")
    inspectorate.valid_to = dt.date(2024, 12, 31)
    city = agency("DT17-866-UB")
    city.active = False
    db.session.flush()
    on = dt.date(2025, 1, 1)
    assert inspectorate not in receiving_agencies(db.session, on)
    assert city not in assigning_agencies(db.session, on)


def test_ancestors_run_from_the_root_to_the_parent(app_ctx):
    chain = [a.code for a in ancestors(agency("DT17-866-TCD"))]
    assert chain == ["DT17-UBT", "DT17-866-UB", "DT17-866-VP"]
    assert ancestors(agency("DT17-UBT")) == []


def test_user_count_counts_the_agency_accounts(app_ctx):
    assert user_count(agency("DT17-VPUB")) == 2
    assert user_count(agency("DT17-866-VP")) == 1
    assert user_count(agency("DT17-876-UB")) == 0


def test_only_an_assigning_agency_has_an_operating_office(app_ctx):
    city, office = agency("DT17-866-UB"), agency("DT17-866-VP")
    check_operating_office(city, True, office)
    check_operating_office(city, False, None)
    with pytest.raises(AgencyRuleError, match="Chỉ cơ quan giao nhiệm vụ"):
        check_operating_office(city, False, office)
    with pytest.raises(AgencyRuleError, match="cơ quan khác"):
        check_operating_office(city, True, city)


def test_validity_cannot_end_before_it_starts():
    check_validity(dt.date(2025, 7, 1), dt.date(2025, 7, 1))
    check_validity(None, dt.date(2020, 1, 1))
    with pytest.raises(AgencyRuleError, match="Ngày hết hiệu lực"):
        check_validity(dt.date(2025, 7, 1), dt.date(2025, 6, 30))


def test_folding_makes_vietnamese_searchable_without_tone_marks():
    assert fold_vietnamese("Ủy ban nhân dân thành phố  Cao Lãnh") == (
        "uy ban nhan dan thanh pho cao lanh"
    )
    assert fold_vietnamese("Đồng Tháp") == "dong thap"
    assert fold_vietnamese("Xã Mỹ Ngãi") == fold_vietnamese("xa my ngai")


def test_outline_nests_the_scope_and_marks_succession(reform):
    roots = agency_outline(db.session, Agency.path.startswith("/DT17-UBT/"), REFORM_DAY)
    assert [root.code for root in roots] == ["DT17-UBT"]
    first_level = [child.code for child in roots[0].children]
    assert first_level[:2] == ["DT17-VPUB", "DT17-TTT"]  # kind order, then name
    statuses = {node.code: node.status for node in roots[0].children}
    assert statuses["DT17-STNMT"] == SUCCEEDED
    assert statuses["DT17-866-UB"] == IN_FORCE
    city = next(node for node in roots[0].children if node.code == "DT17-866-UB")
    assert city.operating_office == "Văn phòng HĐND và UBND thành phố Cao Lãnh"
    communes = [n.name for n in city.children if n.kind == "Ủy ban nhân dân cấp xã"]
    assert communes[:3] == [
        "Ủy ban nhân dân Phường 1",
        "Ủy ban nhân dân Phường 2",
        "Ủy ban nhân dân Phường 3",
    ]


def test_outline_roots_are_the_top_of_a_partial_scope(app_ctx):
    agency("DT17-866-TT").active = False
    db.session.flush()
    roots = agency_outline(db.session, Agency.path.startswith("/DT17-UBT/DT17-866-UB/"), REFORM_DAY)
    assert [root.code for root in roots] == ["DT17-866-UB"]
    inspectorate = next(n for n in roots[0].children if n.code == "DT17-866-TT")
    assert inspectorate.status == INACTIVE
    assert "cao lanh" in roots[0].search_text
