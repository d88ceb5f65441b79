"""REST API of the agency tree (R1–R3, R7): ``/api/v1/agency/``.

Everyone reads the agencies of their data scope (system administrators and monitors:
the whole province); only system administrators write (by permissions, app.security.roles).
Agencies are never deleted here: an agency that stops working is made inactive or given
an end of validity. Relations are exposed as relationship paths (``parent.id``), never as
raw foreign keys (the marshmallow 4 trap in the FAB notes); writes name them by id
(``{"parent": 12}``).
"""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.agencies.models import Agency
from app.agencies.services import (
    AgencyRuleError,
    check_operating_office,
    check_validity,
    refresh_name_key,
)
from app.agencies.tree import TreeError, check_code, check_parent
from app.security.views_base import ScopedModelRestApi
from app.security.write_guard import WriteRefused

_SUMMARY = [
    "id",
    "code",
    "name",
    "short_name",
    "kind.id",
    "kind.code",
    "kind.name",
    "parent.id",
    "parent.code",
    "parent.name",
    "depth",
    "receives_petitions",
    "assigns_tasks",
    "active",
]
_WRITABLE = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "receives_petitions",
    "assigns_tasks",
    "operating_office",
    "admin_unit_code",
    "active",
    "valid_from",
    "valid_to",
    "note",
]


class AgencyApi(ScopedModelRestApi):
    """Agencies of the caller's scope; writes checked by the tree rules."""

    resource_name = "agency"
    datamodel = SQLAInterface(Agency)
    base_permissions = ["can_get", "can_info", "can_post", "can_put"]
    base_order = ("path", "asc")
    list_columns = _SUMMARY
    show_columns = [
        *_SUMMARY,
        "path",
        "operating_office.id",
        "operating_office.name",
        "admin_unit_code",
        "valid_from",
        "valid_to",
        "note",
    ]
    add_columns = _WRITABLE
    edit_columns = _WRITABLE
    search_columns = ["code", "name", "short_name", "kind", "parent", "active"]
    order_columns = ["code", "name", "depth"]
    # the agency screens' labels: they name the field in refusal messages and in _info
    label_columns = {
        "code": _l("Code"),
        "name": _l("Name"),
        "short_name": _l("Short name"),
        "kind": _l("Kind"),
        "parent": _l("Parent agency"),
        "receives_petitions": _l("Receives petitions"),
        "assigns_tasks": _l("Assigns tasks"),
        "operating_office": _l("Operating office"),
        "admin_unit_code": _l("Administrative unit code"),
        "active": _l("Active"),
        "valid_from": _l("Valid from"),
        "valid_to": _l("Valid to"),
        "note": _l("Note"),
    }

    def pre_add(self, item: Agency) -> None:
        """R1–R3: the tree rules of the agency screens, as 422 refusals."""
        check_agency_rules(item)

    def pre_update(self, item: Agency) -> None:
        """R1–R3: the tree rules of the agency screens, as 422 refusals."""
        check_agency_rules(item)


def check_agency_rules(agency: Agency) -> None:
    """R1–R3: valid code, a parent outside its own subtree, an operating office only for an
    assigning agency, validity in order; keeps the Vietnamese sort key current."""
    try:
        check_code(agency.code or "")
    except TreeError as exc:
        raise WriteRefused("code", str(exc)) from exc
    try:
        check_parent(agency, agency.parent)
    except TreeError as exc:
        raise WriteRefused("parent", str(exc)) from exc
    try:
        check_operating_office(agency, bool(agency.assigns_tasks), agency.operating_office)
    except AgencyRuleError as exc:
        raise WriteRefused("operating_office", str(exc)) from exc
    try:
        check_validity(agency.valid_from, agency.valid_to)
    except AgencyRuleError as exc:
        raise WriteRefused("valid_to", str(exc)) from exc
    refresh_name_key(agency)
