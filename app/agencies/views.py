"""Agency screens: the generated list/show/edit and the tree."""

from __future__ import annotations

from flask import abort, g
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from wtforms import BooleanField

from app.agencies import services, validators
from app.agencies.models import Agency, AgencyKind
from app.agencies.outline import agency_outline, count_nodes
from app.audit.history import history_for
from app.audit.interface import SoftDeleteInterface
from app.audit.view_mixins import SoftDeleteViewMixin
from app.core.clock import today_local
from app.extensions import db
from app.security.scope import ScopeFilter, scope_condition, sees_whole_province
from app.security.views_base import DomainModelView

AGENCY_FORM_COLUMNS = [
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


def capability_checkboxes() -> dict[str, BooleanField]:
    """Checkboxes for the R2/R3 capabilities that may be left unticked (FAB marks fields of
    NOT NULL columns required, so an unticked box would be refused)."""
    return {
        "receives_petitions": BooleanField(
            _l("Receives petitions"), description=_l("R2: the agency receives citizens' petitions.")
        ),
        "assigns_tasks": BooleanField(
            _l("Assigns tasks"),
            description=_l("R3: the agency assigns tasks to its subordinate agencies."),
        ),
    }


class AgencyKindModelView(DomainModelView):
    """Agency kinds (administrators)."""

    datamodel = SQLAInterface(AgencyKind)
    list_title = _l("Agency kinds")
    show_title = _l("Agency kind")
    add_title = _l("Add agency kind")
    edit_title = _l("Edit agency kind")
    list_columns = ["code", "name", "receives_petitions", "assigns_tasks"]
    add_form_extra_fields = capability_checkboxes()
    edit_form_extra_fields = add_form_extra_fields
    label_columns = {
        "code": _l("Code"),
        "name": _l("Name"),
        "receives_petitions": _l("Receives petitions"),
        "assigns_tasks": _l("Assigns tasks"),
    }


class AgencyModelView(SoftDeleteViewMixin, DomainModelView):
    """Agencies in the user's scope; delete is a soft delete (R9)."""

    datamodel = SoftDeleteInterface(Agency)
    base_filters = [["id", ScopeFilter, lambda: None]]
    list_columns = ["code", "name", "kind", "parent", "active"]
    search_columns = ["code", "name", "short_name", "kind", "active"]
    base_order = ("path", "asc")
    list_title = _l("Agency list")
    add_title = _l("Add agency")
    edit_title = _l("Edit agency")
    show_template = "agencies/show.html"
    add_columns = AGENCY_FORM_COLUMNS
    edit_columns = AGENCY_FORM_COLUMNS
    add_form_query_rel_fields = {
        "parent": [["id", ScopeFilter, None]],
        "operating_office": [["id", ScopeFilter, None]],
    }
    edit_form_query_rel_fields = add_form_query_rel_fields
    add_form_extra_fields = {
        **capability_checkboxes(),
        "active": BooleanField(
            _l("Active"), description=_l("Untick when the agency no longer works."), default=True
        ),
    }
    edit_form_extra_fields = add_form_extra_fields
    validators_columns = {
        "code": [validators.valid_code],
        "parent": [validators.parent_outside_subtree],
        "operating_office": [validators.operating_office_of_assigning_agency],
        "valid_to": [validators.validity_in_order],
    }
    label_columns = {
        "code": _l("Code"),
        "name": _l("Name"),
        "short_name": _l("Short name"),
        "kind": _l("Kind"),
        "parent": _l("Parent agency"),
        "active": _l("Active"),
        "receives_petitions": _l("Receives petitions"),
        "assigns_tasks": _l("Assigns tasks"),
        "operating_office": _l("Operating office"),
        "admin_unit_code": _l("Administrative unit code"),
        "valid_from": _l("Valid from"),
        "valid_to": _l("Valid to"),
        "note": _l("Note"),
        # Technical fields, named in the agency's history of changes (R9).
        "id": _l("Internal number"),
        "kind_id": _l("Kind"),
        "parent_id": _l("Parent agency"),
        "operating_office_id": _l("Operating office"),
        "name_key": _l("Sort key"),
        "path": _l("Tree path"),
        "depth": _l("Tree level"),
        "source_status": _l("Data source status"),
    }
    description_columns = {
        "code": _l("A stable code without spaces or “/”, e.g. DT17-866-UB."),
        "parent": _l("The superior agency; an agency cannot be placed under its own subtree."),
        "operating_office": _l(
            "R3: the office that enters and tracks the tasks of an assigning agency."
        ),
        "admin_unit_code": _l("GSO code of the administrative unit the agency serves."),
    }

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        """The agency page: superiors, children, capabilities, succession, accounts."""
        agency = self.datamodel.get(self._deserialize_pk_if_composite(pk), self._base_filters)
        if agency is None:
            abort(404)
        self.update_redirect()
        today = today_local()
        outline = agency_outline(
            db.session, or_(Agency.id == agency.id, Agency.parent_id == agency.id), today
        )
        chain = services.ancestors(agency)
        predecessors = services.predecessors_of(agency)
        successors = services.successors_of(agency)
        related = [a.id for a in chain] + [agency.operating_office_id]
        related += [s.predecessor_id for s in predecessors]
        related += [s.successor_id for s in successors]
        return self.render_template(
            self.show_template,
            pk=agency.id,
            title=agency.name,
            agency=agency,
            node=outline[0],
            chain=chain,
            predecessors=predecessors,
            successors=successors,
            user_count=services.user_count(agency),
            linkable=_ids_in_scope(related),
            can_edit=self.appbuilder.sm.has_access("can_edit", self.class_permission_name),
            history=history_for(agency),
        )

    def pre_add(self, item: Agency) -> None:
        """Keep the Vietnamese sort key in step with the name; then the scope write guard."""
        services.refresh_name_key(item)
        super().pre_add(item)

    def pre_update(self, item: Agency) -> None:
        """Keep the Vietnamese sort key in step with the name; then the scope write guard."""
        services.refresh_name_key(item)
        super().pre_update(item)


class AgencyTreeView(BaseView):
    """R1–R3: the agency tree of the user's data scope, searchable as you type."""

    route_base = "/agencies/tree"
    default_view = "tree"

    @expose("/")
    @has_access
    def tree(self):
        """The whole tree of the user's scope (system administrators, monitors: the province)."""
        user = g.user
        roots = agency_outline(db.session, scope_condition(Agency, user), today_local())
        province_wide = sees_whole_province(user)
        agency = getattr(user, "agency", None)
        return self.render_template(
            "agencies/tree.html",
            roots=roots,
            total=count_nodes(roots),
            province_wide=province_wide,
            superiors=[] if province_wide or agency is None else services.ancestors(agency),
        )


def _ids_in_scope(ids: list[int | None]) -> set[int]:
    """Which of these agencies the request's user may open (the data scope, in SQL)."""
    wanted = {agency_id for agency_id in ids if agency_id is not None}
    if not wanted:
        return set()
    condition = scope_condition(Agency, g.user)
    return set(db.session.scalars(select(Agency.id).where(Agency.id.in_(wanted), condition)))


def register(appbuilder: AppBuilder) -> None:
    """Add the agency screens to the menu."""
    appbuilder.add_view(
        AgencyTreeView,
        "Agency tree",
        label=_l("Agency tree"),
        icon="fa-sitemap",
        category="Agencies",
        category_label=_l("Agencies"),
    )
    appbuilder.add_view(
        AgencyModelView,
        "Agency list",
        label=_l("Agency list"),
        icon="fa-sitemap",
        category="Agencies",
        category_label=_l("Agencies"),
    )
    appbuilder.add_view(
        AgencyKindModelView,
        "Agency kinds",
        label=_l("Agency kinds"),
        icon="fa-tags",
        category="Agencies",
    )
