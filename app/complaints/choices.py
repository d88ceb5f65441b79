"""Closed lists of complaint resolution with their UI labels (English msgids)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DOSSIER_STATUSES = {
    "pending": _l("Awaiting acceptance"),
    "accepted": _l("Accepted, being resolved"),
    "suspended": _l("Suspended"),
    "not_accepted": _l("Not accepted"),
    "resolved": _l("Resolved by decision"),
    "withdrawn": _l("Withdrawn"),
}
OPEN_DOSSIER_STATUSES = ("pending", "accepted", "suspended")
STEP_KINDS = {
    "verification_assigned": _l("Verification assigned"),
    "verification_report": _l("Verification report"),
    "dialogue": _l("Dialogue minutes"),
    "complex_set": _l("Decision: complex case"),
    "remote_set": _l("Decision: remote or difficult area"),
    "suspended": _l("Suspension"),
    "resumed": _l("Resumption"),
    "withdrawal_partial": _l("Partial withdrawal"),
    "withdrawal_full": _l("Complete withdrawal"),
    "other": _l("Other step"),
}
# The steps of the work of resolution a clerk records by hand (the others are recorded
# by their own action: flags, suspension, resumption, withdrawal).
WORK_STEP_KINDS = ("verification_assigned", "verification_report", "dialogue", "other")
FIRST_INSTANCE_RESULTS = {
    "right": _l("Complaint right"),
    "wrong": _l("Complaint wrong"),
    "partly_right": _l("Complaint partly right"),
}
SECOND_INSTANCE_RESULTS = {
    "upheld": _l("First decision upheld"),
    "cancelled_amended": _l("First decision cancelled or amended"),
}
DECISION_MODES = {
    "decision": _l("Resolved by an administrative decision"),
    "withdrawn": _l("Withdrawn after explanation and persuasion"),
}
# The results of a decision as the forms count them (01/KQGQ, 2c).
DECISION_RESULT_LABELS = {
    "money_to_state": _l("Money to recover to the State (million VND)"),
    "land_to_state": _l("Land to recover to the State (m²)"),
    "money_to_organisations": _l("Money returned to organisations (million VND)"),
    "land_to_organisations": _l("Land returned to organisations (m²)"),
    "money_to_individuals": _l("Money returned to individuals (million VND)"),
    "land_to_individuals": _l("Land returned to individuals (m²)"),
    "organisations_restored": _l("Organisations whose rights were restored"),
    "individuals_restored": _l("Individuals whose rights were restored"),
    "persons_for_sanction": _l("Persons recommended for administrative sanction"),
    "officials_for_sanction": _l("of whom officials"),
    "cases_to_investigators": _l("Cases referred to investigators"),
    "persons_to_investigators": _l("Persons referred to investigators"),
    "officials_to_investigators": _l("of whom officials (referred)"),
}
# Enforcement of a decision in force (Luật KN Art. 46; form 02/KQGQ).
ENFORCEMENT_LABELS = {
    "done": _l("The decision has been fully enforced"),
    "done_on": _l("Enforced on"),
    "money_to_recover": _l("Money to recover to the State (million VND)"),
    "money_recovered": _l("Money recovered to the State (million VND)"),
    "land_to_recover": _l("Land to recover to the State (m²)"),
    "land_recovered": _l("Land recovered to the State (m²)"),
    "money_to_return_organisations": _l("Money to return to organisations (million VND)"),
    "money_returned_organisations": _l("Money returned to organisations (million VND)"),
    "land_to_return_organisations": _l("Land to return to organisations (m²)"),
    "land_returned_organisations": _l("Land returned to organisations (m²)"),
    "money_to_return_individuals": _l("Money to return to individuals (million VND)"),
    "money_returned_individuals": _l("Money returned to individuals (million VND)"),
    "land_to_return_individuals": _l("Land to return to individuals (m²)"),
    "land_returned_individuals": _l("Land returned to individuals (m²)"),
    "persons_sanctioned": _l("Persons sanctioned"),
    "officials_sanctioned": _l("of whom officials"),
    "cases_prosecuted": _l("Cases prosecuted"),
    "persons_prosecuted": _l("Persons prosecuted"),
    "officials_prosecuted": _l("of whom officials (prosecuted)"),
}
