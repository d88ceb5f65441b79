"""The table mapping local codes to the national database's codes (national-database.md):
system administrators add and correct mappings (agencies, subject areas, petition kinds);
a mapping is corrected, never deleted. The same as ``flask outbox map``."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from app.outbox.models import NationalCode
from app.security.views_base import DomainModelView

CODE_KIND_LABELS = {
    "agency": _l("Agency"),
    "subject_area": _l("Subject area"),
    "petition_kind": _l("Petition kind"),
}


class NationalCodeModelView(DomainModelView):
    """Local → national codes, by kind."""

    datamodel = SQLAInterface(NationalCode)
    list_title = _l("National codes")
    show_title = _l("National code")
    add_title = _l("Add a national code")
    edit_title = _l("Edit a national code")
    list_columns = ["kind", "local_code", "national_code"]
    add_columns = edit_columns = show_columns = list_columns
    search_columns = ["kind", "local_code", "national_code"]
    base_order = ("local_code", "asc")
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    form_choices = {"kind": list(CODE_KIND_LABELS.items())}
    label_columns = {
        "kind": _l("Kind of code"),
        "local_code": _l("Local code"),
        "national_code": _l("National code"),
    }
    description_columns = {
        "local_code": _l(
            "The code in this software: an agency's code (DT17-866-TCD), a subject area's "
            "code (kn_dat_dai) or a petition kind (complaint, recommendation, reflection)."
        ),
        "national_code": _l("The code the national database gives the same thing."),
    }
    formatters_columns = {"kind": lambda kind: CODE_KIND_LABELS.get(kind, kind)}
