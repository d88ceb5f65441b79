"""Complaint resolution steps and decisions: what is allowed, refused, and recorded for
the official forms (01/KQGQ, 02/KQGQ)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.complaints import services
from app.complaints.models import ComplaintGround, ResolutionDecision
from app.complaints.services import DecisionData, DossierRefused
from app.core.clock import set_now
from app.extensions import db
from app.security.models import AppUser
from tests.test_complaints_clocks import _dossier, _inspectorate_clerk

D = dt.date


def _user(username: str) -> AppUser:
    return db.session.scalar(select(AppUser).where(AppUser.username == username))


def test_partly_right_decision_with_money_returned_in_time(app_ctx):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    set_now(dt.datetime(2026, 11, 2, 15))
    decision = services.decide(
        db.session,
        dossier,
        _inspectorate_clerk(),
        DecisionData(
            decided_on=D(2026, 10, 30),
            number="45/QĐ-UBND",
            signer="Phạm Thiện Nghĩa",
            result="partly_right",
            money_to_individuals=Decimal("125.500"),
            land_to_individuals=Decimal("320.5"),
            individuals_restored=2,
            persons_for_sanction=3,
            officials_for_sanction=1,
            sent_to_parties_on=D(2026, 11, 2),
        ),
    )
    db.session.commit()
    stored = db.session.scalar(
        select(ResolutionDecision).where(ResolutionDecision.id == decision.id)
    )
    assert stored.in_time is True and stored.result == "partly_right"
    assert stored.money_to_individuals == Decimal("125.500")
    assert (dossier.status, dossier.resolved_in_time) == ("resolved", True)


def test_decision_after_the_deadline_is_recorded_late(app_ctx):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    set_now(dt.datetime(2026, 11, 6, 9))
    services.decide(
        db.session,
        dossier,
        _inspectorate_clerk(),
        DecisionData(decided_on=D(2026, 11, 6), number="50/QĐ-UBND", result="wrong"),
    )
    assert dossier.resolved_in_time is False


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (DecisionData(decided_on=D(2026, 10, 30), number="1/QĐ", result="upheld"), "result"),
        (DecisionData(decided_on=D(2026, 10, 30), result="right"), "number"),
        (DecisionData(decided_on=D(2026, 10, 1), number="1/QĐ", result="right"), "decided_on"),
        (
            DecisionData(
                decided_on=D(2026, 10, 30),
                number="1/QĐ",
                result="right",
                persons_for_sanction=1,
                officials_for_sanction=2,
            ),
            "officials_for_sanction",
        ),
        (
            DecisionData(
                decided_on=D(2026, 10, 30),
                number="1/QĐ",
                result="right",
                money_to_state=Decimal("-1"),
            ),
            "money_to_state",
        ),
    ],
)
def test_bad_decisions_are_refused_and_nothing_changes(app_ctx, data, field):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    set_now(dt.datetime(2026, 10, 30, 15))
    with pytest.raises(DossierRefused) as refused:
        services.decide(db.session, dossier, _inspectorate_clerk(), data)
    assert refused.value.field == field
    assert dossier.status == "accepted" and dossier.decision is None


def test_second_instance_dossier_reviews_the_first_decision(app_ctx):
    from app.petitions.models import Petition

    first = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    clerk = _inspectorate_clerk()
    set_now(dt.datetime(2026, 10, 30, 15))
    decision = services.decide(
        db.session,
        first,
        clerk,
        DecisionData(decided_on=D(2026, 10, 30), number="45/QĐ-UBND", result="wrong"),
    )
    petition = db.session.get(Petition, first.petition_id)
    with pytest.raises(DossierRefused, match="lần đầu"):
        services.open_dossier(db.session, petition, clerk, instance=2)
    set_now(dt.datetime(2026, 11, 20, 9))
    second = services.open_dossier(
        db.session, petition, clerk, instance=2, reviewed_decision=decision
    )
    assert (second.instance, second.reviewed_decision_id) == (2, decision.id)


def test_refusing_acceptance_needs_a_legal_ground(app_ctx):
    dossier = _dossier(D(2026, 11, 2))
    set_now(dt.datetime(2026, 11, 5, 9))
    with pytest.raises(DossierRefused, match="căn cứ"):
        services.refuse(db.session, dossier, _inspectorate_clerk(), D(2026, 11, 5), None, "15/TB")
    ground = db.session.scalar(
        select(ComplaintGround).where(ComplaintGround.code == "het_thoi_hieu")
    )
    services.refuse(db.session, dossier, _inspectorate_clerk(), D(2026, 11, 5), ground, "15/TB")
    assert dossier.status == "not_accepted" and dossier.non_acceptance_ground.legal_ref.endswith(
        "6"
    )


def test_complete_withdrawal_closes_partial_keeps_resolving(app_ctx):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    dossier.petition.signatory_count = 6
    clerk = _inspectorate_clerk()
    set_now(dt.datetime(2026, 10, 20, 9))
    with pytest.raises(DossierRefused, match="số người"):
        services.withdraw(db.session, dossier, clerk, D(2026, 10, 20), complete=False)
    with pytest.raises(DossierRefused, match="ít hơn 6 người"):
        services.withdraw(db.session, dossier, clerk, D(2026, 10, 20), complete=False, persons=6)
    services.withdraw(db.session, dossier, clerk, D(2026, 10, 20), complete=False, persons=3)
    assert dossier.status == "accepted"
    assert services.remaining_complainants(dossier, dossier.petition) == 3
    services.withdraw(db.session, dossier, clerk, D(2026, 10, 20), complete=True)
    assert dossier.status == "withdrawn"


def test_only_the_competent_agency_acts_on_its_dossier(app_ctx):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    set_now(dt.datetime(2026, 10, 20, 9))
    with pytest.raises(DossierRefused, match="không thuộc cơ quan"):
        services.record_step(db.session, dossier, _user("laivung.tcd"), "dialogue", D(2026, 10, 20))
    with pytest.raises(DossierRefused, match="không có quyền"):
        services.record_step(db.session, dossier, _user("stnmt.canbo"), "dialogue", D(2026, 10, 20))


def test_enforcement_records_what_was_recovered_and_returned(app_ctx):
    dossier = _dossier(D(2026, 9, 28), D(2026, 10, 5))
    clerk = _inspectorate_clerk()
    set_now(dt.datetime(2026, 10, 30, 15))
    decision = services.decide(
        db.session,
        dossier,
        clerk,
        DecisionData(
            decided_on=D(2026, 10, 30),
            number="45/QĐ-UBND",
            result="right",
            money_to_state=Decimal("80"),
        ),
    )
    enforcement = services.record_enforcement(
        db.session, decision, clerk, money_to_recover=Decimal("80"), money_recovered=Decimal("50")
    )
    assert (enforcement.done, enforcement.money_recovered) == (False, Decimal("50"))
    with pytest.raises(DossierRefused):
        services.record_enforcement(db.session, decision, clerk, money_recovered=Decimal("-5"))
