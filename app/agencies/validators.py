"""Form validators of the agency add/edit screens: each calls the rule and shows its
Vietnamese message on the field, so a refused edit saves nothing (R1–R3)."""

from __future__ import annotations

from typing import Any

from wtforms import Field, Form
from wtforms.validators import ValidationError

from app.agencies.models import Agency
from app.agencies.services import AgencyRuleError, check_operating_office, check_validity
from app.agencies.tree import TreeError, check_code, check_parent
from app.extensions import db


def _edited_agency(form: Form) -> Agency:
    """The agency being edited (FAB sets ``form._id`` on edit), or a new one on add."""
    pk: Any = getattr(form, "_id", None)
    agency = db.session.get(Agency, int(pk)) if pk is not None else None
    return agency if agency is not None else Agency()


def valid_code(form: Form, field: Field) -> None:
    """Agency codes are path segments: no "/", no spaces (tree.check_code)."""
    try:
        check_code(field.data or "")
    except TreeError as exc:
        raise ValidationError(str(exc)) from exc


def parent_outside_subtree(form: Form, field: Field) -> None:
    """R1: the parent may be neither the agency itself nor one of its descendants."""
    try:
        check_parent(_edited_agency(form), field.data)
    except TreeError as exc:
        raise ValidationError(str(exc)) from exc


def operating_office_of_assigning_agency(form: Form, field: Field) -> None:
    """R3: only a task-assigning agency names the office that enters its tasks."""
    try:
        check_operating_office(_edited_agency(form), bool(form.assigns_tasks.data), field.data)
    except AgencyRuleError as exc:
        raise ValidationError(str(exc)) from exc


def validity_in_order(form: Form, field: Field) -> None:
    """The validity ends on or after the day it starts."""
    try:
        check_validity(form.valid_from.data, field.data)
    except AgencyRuleError as exc:
        raise ValidationError(str(exc)) from exc
