"""The managed list of grounds for not accepting a complaint (Luật Khiếu nại Art. 11):
system administrators add, reword or retire grounds (a ground is retired by unticking
"in use", never deleted: refusals recorded on it keep it)."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.complaints.models import ComplaintGround
from app.security.views_base import DomainModelView


class ComplaintGroundModelView(DomainModelView):
    """Grounds for non-acceptance, in the order the refusal form offers them."""

    datamodel = SQLAInterface(ComplaintGround)
    list_title = _l("Grounds for non-acceptance")
    show_title = _l("Ground for non-acceptance")
    add_title = _l("Add a ground for non-acceptance")
    edit_title = _l("Edit a ground for non-acceptance")
    list_columns = ["sort_order", "name", "legal_ref", "active"]
    show_columns = ["code", "name", "legal_ref", "sort_order", "active"]
    add_columns = edit_columns = show_columns
    search_columns = ["name", "legal_ref", "active"]
    base_order = ("sort_order", "asc")
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    label_columns = {
        "code": _l("Code"),
        "name": _l("Ground for non-acceptance"),
        "legal_ref": _l("Legal basis"),
        "sort_order": _l("Display order"),
        "active": _l("Ground in use"),
    }
    description_columns = {
        "code": _l("Fixed name used by the software, e.g. het_thoi_hieu"),
        "active": _l("Untick to stop offering the ground; refusals recorded on it keep it."),
    }
