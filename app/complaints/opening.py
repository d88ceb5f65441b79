"""Opening a dossier when the competent agency accepts a complaint petition for resolution.

Connected to ``app.petitions.hooks.petition_accepted`` (sent by petition processing inside
its transaction): a complaint accepted for resolution gets the dossier of its case at the
right instance (legal-domain.md §3, Luật KN Art. 27, 36):

- the case has no dossier yet: first instance;
- the case's first-instance dossier ended with a decision: second instance, reviewing
  that decision (the citizen complains against it, Luật KN Art. 33);
- otherwise the acceptance is refused (nothing is saved) with the reason: the case
  already has a dossier at that instance (open it instead), or a second-instance decision
  exists (Luật KN Art. 11(7): not accepted again).

Recommendations and reflections accepted for resolution get no dossier.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.complaints.choices import DOSSIER_STATUSES
from app.complaints.models import ComplaintDossier
from app.complaints.services import DossierRefused, open_dossier
from app.petitions.hooks import petition_accepted
from app.petitions.models import Petition
from app.petitions.refusals import ProcessingRefused


def _refusal(dossier: ComplaintDossier) -> str:
    if dossier.instance == 2:
        return gettext(
            "This case already has a second-instance dossier at %(agency)s: a complaint "
            "about it is not accepted again (Luật Khiếu nại Art. 11(7)).",
            agency=dossier.agency.name,
        )
    return gettext(
        "This case already has a first-instance dossier at %(agency)s (%(status)s) and no "
        "decision yet: continue in that dossier instead of opening another.",
        agency=dossier.agency.name,
        status=DOSSIER_STATUSES.get(dossier.status, dossier.status),
    )


def open_for_petition(session: Session, petition: Petition, user: Any) -> ComplaintDossier:
    """Open the dossier of an accepted complaint petition at the instance its case has
    reached (module docstring); DossierRefused when the case cannot have another."""
    dossiers = list(
        session.scalars(
            select(ComplaintDossier)
            .where(ComplaintDossier.case_id == petition.case_id)
            .order_by(ComplaintDossier.instance)
        )
    )
    if not dossiers:
        return open_dossier(session, petition, user)
    latest = dossiers[-1]
    decision = latest.decision
    if latest.instance == 1 and decision is not None and decision.mode == "decision":
        return open_dossier(session, petition, user, instance=2, reviewed_decision=decision)
    raise DossierRefused(_refusal(latest))


def open_on_acceptance(petition: Petition, *, session: Session, user: Any) -> None:
    """The ``petition_accepted`` receiver: a complaint gets its dossier; a refusal
    refuses the acceptance (the processing form shows it under the outcome)."""
    if petition.kind != "complaint":
        return
    try:
        open_for_petition(session, petition, user)
    except DossierRefused as refused:
        raise ProcessingRefused({"outcome": refused.message}) from refused


def connect_opening() -> None:
    """Connect the receiver (once per process; connecting again has no effect)."""
    petition_accepted.connect(open_on_acceptance)
