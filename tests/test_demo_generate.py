"""The synthetic data generator makes the petitions asked for, with data the intake rules
would accept, the lookup keys the listener would compute, and repeat submissions."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.core.clock import now_utc
from app.demo.generate import generate_petitions
from app.extensions import db
from app.petitions.choices import KINDS, REPEAT_KINDS, STATUSES
from app.petitions.identity import parse_id_number, parse_phone
from app.petitions.keys import citizen_key_values, petition_search_text, place_names
from app.petitions.lookup import LookupQuery, lookup
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory
from app.petitions.normalize import fold_name

N = 400


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


@pytest.fixture
def generated(app_ctx):
    """400 synthetic petitions added to the demo province; the counts before and the
    counts the generator reports."""
    before = {model: _count(model) for model in (Petition, Case, Citizen)}
    first_id = (db.session.scalar(select(func.max(Petition.id))) or 0) + 1
    counts = generate_petitions(db.session, N, seed=20261128)
    return {"before": before, "first_id": first_id, **counts}


def _petitions(generated):
    return list(
        db.session.scalars(
            select(Petition).where(Petition.id >= generated["first_id"]).order_by(Petition.id)
        )
    )


def test_the_requested_number_of_petitions_with_their_citizens_and_cases(generated):
    before = generated["before"]
    assert generated["petitions"] == N
    assert _count(Petition) == before[Petition] + N
    assert _count(Case) == before[Case] + generated["cases"]
    assert _count(Citizen) == before[Citizen] + generated["citizens"]
    assert generated["signatories"] >= N
    assert N / 1.4 < generated["cases"] < N
    unsigned = select(Petition.id).where(~Petition.id.in_(select(PetitionSignatory.petition_id)))
    assert db.session.scalars(unsigned).all() == []


def test_identity_numbers_and_phones_pass_the_intake_checks(generated):
    citizens = db.session.scalars(select(Citizen)).all()
    with_number = [c for c in citizens if c.id_number]
    assert len(with_number) > 0.8 * len(citizens)
    for citizen in with_number:
        info = parse_id_number(citizen.id_number, birth_year=None, sex=citizen.sex)
        if info.kind == "cccd":
            assert info.birth_year == citizen.birth_year
    assert len({c.id_number for c in with_number}) == len(with_number)
    for citizen in citizens:
        if citizen.phone:
            assert parse_phone(citizen.phone) == citizen.phone


def test_names_follow_vietnamese_family_name_frequencies(generated):
    families = Counter(
        fold_name(c.full_name).split()[0] for c in db.session.scalars(select(Citizen))
    )
    total = sum(families.values())
    assert 0.28 < families["nguyen"] / total < 0.48
    assert families["nguyen"] > families["tran"] > families["bui"]
    assert len(families) >= 15


def test_petitions_are_received_by_receiving_agencies_over_2024_to_today(generated):
    receivers = set(db.session.scalars(select(Agency.id).where(Agency.receives_petitions)))
    petitions = _petitions(generated)
    assert {p.agency_id for p in petitions} <= receivers
    assert len({p.agency_id for p in petitions}) > 30
    first = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert all(first <= p.received_at <= now_utc() for p in petitions)
    assert {p.received_at.year for p in petitions} >= {2024, 2025, 2026}
    assert {p.kind for p in petitions} == set(KINDS)
    assert {p.status for p in petitions} <= set(STATUSES)
    assert all(p.due_date is not None for p in petitions if p.status != "filed")
    pairs = Counter((p.agency_id, p.register_year, p.register_number) for p in petitions)
    assert max(pairs.values()) == 1


def test_some_cases_were_filed_again_at_other_agencies(generated):
    by_case: dict[int, list[Petition]] = {}
    for petition in _petitions(generated):
        by_case.setdefault(petition.case_id, []).append(petition)
    repeated = [ps for ps in by_case.values() if len(ps) > 1]
    assert len(repeated) >= 0.05 * len(by_case)
    assert any(len({p.agency_id for p in ps}) > 1 for ps in repeated)
    for petitions in repeated:
        first, *later = sorted(petitions, key=lambda p: p.received_at)
        assert not first.is_repeat
        assert all(p.is_repeat and p.status == "filed" for p in later)
        assert all(p.repeat_kind in REPEAT_KINDS for p in later)


def test_lookup_keys_equal_what_the_listener_computes(generated):
    for citizen in db.session.scalars(select(Citizen).limit(150)):
        expected = citizen_key_values(
            citizen.full_name,
            citizen.address_detail,
            place_names(db.session, citizen.commune_unit_id),
        )
        assert {key: getattr(citizen, key) for key in expected} == expected
    for petition in _petitions(generated)[:150]:
        assert petition.search_text == petition_search_text(
            petition.summary, petition.contested_act, petition.contested_author, petition.content
        )


def test_a_generated_petition_is_found_by_the_lookup(generated, app_ctx):
    petition = next(p for p in _petitions(generated) if p.signatories[0].citizen.id_number)
    citizen = petition.signatories[0].citizen
    matches = lookup(
        db.session,
        LookupQuery(
            full_name=citizen.full_name.upper(),
            address=citizen.address_detail,
            commune_unit_id=citizen.commune_unit_id,
            matter=petition.summary[:80],
        ),
        app_ctx.appbuilder.sm.find_user(username="btcd.giamsat"),
    )
    assert matches and matches[0].case_id == petition.case_id


def test_the_same_seed_gives_the_same_petitions(app_ctx):
    def snapshot():
        return [
            (p.summary, p.received_at, p.agency_id, p.status)
            for p in db.session.scalars(select(Petition).order_by(Petition.id))
        ]

    base = len(snapshot())

    generate_petitions(db.session, 60, seed=7)
    first = snapshot()
    db.session.remove()
    app_ctx.extensions["test_snapshot"].restore()
    generate_petitions(db.session, 60, seed=7)
    assert snapshot() == first
    generate_petitions(db.session, 60, seed=8)
    assert snapshot()[base + 60 :] != first[base:]


def test_the_command_reports_what_it_added(app):
    with app.app_context():
        before = db.session.scalar(select(func.count(Petition.id)))
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["demo", "generate", "--petitions", "25"])
    assert result.exit_code == 0, result.output
    assert "Đã thêm 25 đơn" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Petition.id))) == before + 25
        db.session.remove()
