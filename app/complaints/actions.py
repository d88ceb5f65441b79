"""The steps of a dossier as the screens and the REST API take them: read the values sent
(app.complaints.form_values), check the version the user saw, call the service
(app.complaints.services), say what happened.

One function, ``apply_action``, for both faces, so a step is refused the same way on
screen (message next to the field, nothing saved) and over REST (422 JSON). Steps:

=========  ===========================================================================
accept     accepted_on, notice_number (Luật KN Art. 27, 36)
refuse     not_accepted_on, ground (id of the managed list, Art. 11), notice_number
step       kind (verification assigned / report / dialogue / other), on, doc_number, note
flags      complex_case, remote_area (checkboxes: the state wanted), on, doc_number
suspend    on, doc_number, note (the reason)
resume     on, doc_number
withdraw   scope (complete / partial), persons, on, note (Art. 10)
decide     decided_on, number, signer, mode, result, the results (money in million VND,
           land in m², counts) and sent_to_parties_on (Art. 31, 32, 40)
delivery   sent_to_parties_on, decision_version_id (Art. 32)
enforce    done, done_on, to recover / recovered, to return / returned, sanctioned,
           prosecuted, enforcement_version_id (Art. 46)
=========  ===========================================================================

Every step sends ``version_id``, the dossier's version the user saw.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit.since import what_changed_after_stale_flush
from app.complaints import services
from app.complaints.clock_display import delivery_warning
from app.complaints.form_values import FieldErrors, FormValues
from app.complaints.models import ComplaintDossier, ComplaintGround
from app.complaints.services import DecisionData, DossierConflict, DossierRefused, NotAllowed

MONEY_PLACES = 3
LAND_PLACES = 2
DECISION_AMOUNTS = (
    "money_to_state",
    "land_to_state",
    "money_to_organisations",
    "land_to_organisations",
    "money_to_individuals",
    "land_to_individuals",
)
DECISION_COUNTS = (
    "organisations_restored",
    "individuals_restored",
    "persons_for_sanction",
    "officials_for_sanction",
    "cases_to_investigators",
    "persons_to_investigators",
    "officials_to_investigators",
)
ENFORCEMENT_AMOUNTS = (
    "money_to_recover",
    "money_recovered",
    "land_to_recover",
    "land_recovered",
    "money_to_return_organisations",
    "money_returned_organisations",
    "land_to_return_organisations",
    "land_returned_organisations",
    "money_to_return_individuals",
    "money_returned_individuals",
    "land_to_return_individuals",
    "land_returned_individuals",
)
ENFORCEMENT_COUNTS = (
    "persons_sanctioned",
    "officials_sanctioned",
    "cases_prosecuted",
    "persons_prosecuted",
    "officials_prosecuted",
)


class ActionRefused(Exception):
    """A step refused: messages by field ("" for the whole step) and the HTTP status the
    API answers (403 not allowed, 409 changed meanwhile, 422 a rule or a value)."""

    def __init__(self, errors: dict[str, str], status: int = 422):
        super().__init__(" ".join(errors.values()))
        self.errors = errors
        self.status = status


@dataclass(frozen=True)
class ActionDone:
    """What the user is told after a step: a message, and a warning when the step was
    recorded but breaks a time limit (a decision sent late)."""

    message: str
    warning: str | None = None


def _places(name: str) -> int:
    return MONEY_PLACES if name.startswith("money") else LAND_PLACES


def _date_text(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _accept(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    on, number = v.date("accepted_on"), v.text("notice_number")
    v.check()
    services.accept(session, dossier, user, on, number)
    return ActionDone(
        gettext(
            "The complaint was accepted for resolution; the resolution deadline is %(date)s.",
            date=_date_text(dossier.resolution_due),
        )
    )


def _refuse(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    on, ground_id, number = v.date("not_accepted_on"), v.whole("ground"), v.text("notice_number")
    v.check()
    ground = session.get(ComplaintGround, ground_id) if ground_id is not None else None
    services.refuse(session, dossier, user, on, ground, number)
    return ActionDone(gettext("The complaint was not accepted; the dossier is closed."))


def _step(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    kind, on = v.text("kind"), v.date("on")
    doc, note = v.text("doc_number"), v.text("note")
    v.check()
    services.record_step(session, dossier, user, kind, on, doc, note)
    return ActionDone(gettext("The step was recorded."))


def _resolution_due_message(dossier: ComplaintDossier) -> str:
    if dossier.status == "suspended":
        return gettext("The resolution deadline will be counted again when it is resumed.")
    return gettext(
        "The resolution deadline is now %(date)s.", date=_date_text(dossier.resolution_due)
    )


def _flags(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    on, doc = v.date("on"), v.text("doc_number")
    complex_case, remote_area = v.flag("complex_case"), v.flag("remote_area")
    v.check()
    services.set_flags(
        session, dossier, user, on, doc, complex_case=complex_case, remote_area=remote_area
    )
    return ActionDone(
        gettext("The decision was recorded.") + " " + _resolution_due_message(dossier)
    )


def _suspend(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    on, doc, note = v.date("on"), v.text("doc_number"), v.text("note")
    v.check()
    services.suspend(session, dossier, user, on, doc, note)
    return ActionDone(
        gettext("The resolution is suspended: its deadline stops counting until it is resumed.")
    )


def _resume(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    on, doc = v.date("on"), v.text("doc_number")
    v.check()
    services.resume(session, dossier, user, on, doc)
    return ActionDone(gettext("The resolution resumed.") + " " + _resolution_due_message(dossier))


def _withdraw(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    scope, on, note = v.text("scope"), v.date("on"), v.text("note")
    persons = v.whole("persons")
    if scope not in ("complete", "partial"):
        v.errors["scope"] = gettext("Say whether the withdrawal is complete or partial.")
    v.check()
    complete = scope == "complete"
    services.withdraw(session, dossier, user, on, complete=complete, persons=persons, note=note)
    if complete:
        return ActionDone(gettext("The complaint was withdrawn; the dossier is closed."))
    return ActionDone(
        gettext("The partial withdrawal was recorded; the resolution continues for the others.")
    )


def _decision_data(v: FormValues) -> DecisionData:
    mode = v.text("mode") or "decision"
    return DecisionData(
        decided_on=v.date("decided_on"),
        number=v.text("number"),
        signer=v.text("signer"),
        mode=mode,
        result=v.text("result") if mode == "decision" else None,
        sent_to_parties_on=v.date("sent_to_parties_on"),
        **{name: v.amount(name, _places(name)) for name in DECISION_AMOUNTS},
        **{name: v.count(name) for name in DECISION_COUNTS},
    )


def _decide(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    data = _decision_data(v)
    v.check()
    decision = services.decide(session, dossier, user, data)
    if decision.in_time:
        message = gettext("The decision was recorded: resolved within the time limit.")
    else:
        message = gettext("The decision was recorded: resolved after the time limit.")
    return ActionDone(message, delivery_warning(session, decision))


def _decision(dossier: ComplaintDossier) -> Any:
    if dossier.decision is None:
        raise DossierRefused(gettext("Record the resolution decision first."))
    return dossier.decision


def _delivery(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    on, version = v.date("sent_to_parties_on"), v.whole("decision_version_id")
    v.check()
    decision = _decision(dossier)
    services.check_version(decision, version)
    services.record_delivery(session, decision, user, on)
    return ActionDone(
        gettext("The day the decision was sent was recorded."),
        delivery_warning(session, decision),
    )


def _enforce(session: Session, dossier: ComplaintDossier, user: Any, v: FormValues) -> ActionDone:
    values: dict[str, Any] = {name: v.amount(name, _places(name)) for name in ENFORCEMENT_AMOUNTS}
    values.update({name: v.count(name) for name in ENFORCEMENT_COUNTS})
    values["done"] = v.flag("done")
    values["done_on"] = v.date("done_on")
    version = v.whole("enforcement_version_id")
    v.check()
    decision = _decision(dossier)
    if decision.enforcement is not None:
        services.check_version(decision.enforcement, version)
    services.record_enforcement(session, decision, user, **values)
    return ActionDone(gettext("The enforcement of the decision was recorded."))


Handler = Callable[[Session, ComplaintDossier, Any, FormValues], ActionDone]
ACTIONS: dict[str, Handler] = {
    "accept": _accept,
    "refuse": _refuse,
    "step": _step,
    "flags": _flags,
    "suspend": _suspend,
    "resume": _resume,
    "withdraw": _withdraw,
    "decide": _decide,
    "delivery": _delivery,
    "enforce": _enforce,
}


def apply_action(
    session: Session,
    dossier: ComplaintDossier,
    user: Any,
    action: str,
    values: Mapping[str, Any],
) -> ActionDone:
    """Take step ``action`` on ``dossier`` with the values sent (module docstring), on the
    version the user saw. Raises ActionRefused (nothing changed; the caller rolls back)."""
    if action not in ACTIONS:
        raise ActionRefused({"": gettext("Unknown step.")}, 404)
    reader = FormValues(values)
    if reader.raw("version_id") is None:
        message = gettext("Send the version of the dossier the step was taken on.")
        raise ActionRefused({"version_id": message})
    try:
        services.check_version(dossier, reader.whole("version_id"))
        return ACTIONS[action](session, dossier, user, reader)
    except FieldErrors as unreadable:
        raise ActionRefused(unreadable.errors) from unreadable
    except DossierConflict as conflict:
        raise ActionRefused({"": conflict.message}, 409) from conflict
    except NotAllowed as refused:
        raise ActionRefused({"": refused.message}, 403) from refused
    except DossierRefused as refused:
        raise ActionRefused({refused.field or "": refused.message}) from refused
    except StaleDataError as stale:
        seen = reader.whole("version_id")
        changed = what_changed_after_stale_flush(session, dossier, seen)
        raise ActionRefused({"": DossierConflict(changed).message}, 409) from stale
