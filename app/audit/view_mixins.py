"""ModelView mixins: soft delete from FAB screens, and a record's history on its page (R9).

    class PetitionModelView(HistoryShowMixin, SoftDeleteViewMixin, ScopedModelView):
        datamodel = SoftDeleteInterface(Petition)

``SoftDeleteViewMixin`` checks the deletion rules before FAB deletes (a refusal is
flashed in Vietnamese) and adds a "delete selected" list action that soft-deletes within
the view's base filters (FAB's own ``action_post`` fetches the rows unfiltered) and
needs the same ``can_delete`` permission as the single delete.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect
from flask_appbuilder.actions import action
from flask_appbuilder.exceptions import DatabaseException
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.audit.guards import DeletionRefused, check_delete
from app.audit.history import history_for
from app.audit.interface import SoftDeleteInterface
from app.audit.softdelete import is_soft_deletable


class SoftDeleteViewMixin:
    """Delete (single and bulk) marks records deleted; rules can refuse (R9)."""

    def __init__(self, **kwargs: Any):
        if not isinstance(self.datamodel, SoftDeleteInterface) or not is_soft_deletable(
            self.datamodel.obj
        ):
            raise TypeError(
                f"{type(self).__name__}: datamodel must be a SoftDeleteInterface "
                "over a model with SoftDeleteMixin"
            )
        self.method_permission_name = {
            **(type(self).method_permission_name or {}),
            "muldelete": "delete",
        }
        super().__init__(**kwargs)

    def pre_delete(self, item: Any) -> None:
        """Refuse, with the rule's message, a delete that a deletion rule forbids."""
        super().pre_delete(item)
        check_delete(item)

    @action(
        "muldelete",
        _l("Delete"),
        _l("Delete the selected records? An administrator can restore them."),
        "fa-trash",
        single=False,
    )
    def muldelete(self, items: Any) -> Any:
        """Soft-delete the selected records that are in the user's scope and allowed."""
        items = items if isinstance(items, list) else [items]
        allowed = []
        for item in items:
            scoped = None
            if item is not None:
                pk = self.datamodel.get_pk_value(item)
                scoped = self.datamodel.get(pk, self._base_filters)
            if scoped is None:
                continue
            try:
                self.pre_delete(scoped)
            except DeletionRefused as refusal:
                flash(str(refusal), "danger")
            else:
                allowed.append(scoped)
        if allowed:
            try:
                self.datamodel.delete_all(allowed)
            except DatabaseException as error:
                flash(str(error), "danger")
            else:
                for item in allowed:
                    self.post_delete(item)
                flash(gettext("%(count)d records deleted.", count=len(allowed)), "success")
        self.update_redirect()
        return redirect(self.get_redirect())


class HistoryShowMixin:
    """The show page lists the record's own audit history under its fields (R9)."""

    show_template = "audit/show_with_history.html"

    def _get_show_widget(self, pk, item, widgets=None, actions=None, show_fieldsets=None):
        widgets = super()._get_show_widget(
            pk, item, widgets=widgets, actions=actions, show_fieldsets=show_fieldsets
        )
        widgets["history"] = history_for(item)
        return widgets
