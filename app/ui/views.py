"""Base for model views with Vietnamese dates: forms, search filters, list and show pages.

Use it instead of FAB's ``ModelView``::

    from app.ui.views import VNModelView

    class TimeLimitRuleModelView(VNModelView):
        datamodel = SQLAInterface(TimeLimitRule)

or put ``VNViewMixin`` first in front of another FAB CRUD view (for example
``class ScopedUserDBModelView(VNViewMixin, UserDBModelView)``). Nothing else is needed:

* add, edit and search forms FAB generates get ``VNDateField``/``VNDateTimeField`` for
  Date and DateTime columns (dd/mm/yyyy, Vietnamese date picker, ISO also accepted);
  forms a view supplies itself (``add_form = ...``) are left alone, and a column can keep
  a special field through ``add_form_extra_fields``/``edit_form_extra_fields``;
* the empty choice of relation pickers reads "(không có)" instead of ``__None``;
* search filters on Date and DateTime columns read dd/mm/yyyy (local time);
* list and show pages print dates dd/mm/yyyy, timestamps ``HH:MM dd/mm/yyyy`` in
  Vietnamese local time (the ``vndate``/``vndatetime`` filters of app.templating),
  booleans Có/Không, and nothing for empty values. A formatter the view declares in
  ``formatters_columns`` wins over these.

``VNModelView`` (and the scoped bases in app.security.views_base) also remember the list
page's filters, sort and page size for the session (app.ui.remembered_list_view).
"""

from __future__ import annotations

from flask_appbuilder import ModelView

from app.ui.filters import VNFilterConverter
from app.ui.formatters import column_formatters
from app.ui.forms import label_blank_choices, use_vn_date_fields
from app.ui.remembered_list_view import RememberedListMixin

_GENERATED_FORMS = ("search_form", "add_form", "edit_form")


class VNViewMixin:
    """Vietnamese dates and values for a FAB CRUD view; put it before the FAB base class."""

    def _init_properties(self) -> None:
        # The converter must be set before FAB computes the search filters.
        self.datamodel.filter_converter_class = VNFilterConverter
        super()._init_properties()
        columns = dict.fromkeys([*self.list_columns, *self.show_columns])
        self.formatters_columns = {
            **column_formatters(self.datamodel, columns),
            **self.formatters_columns,
        }

    def _init_forms(self) -> None:
        generated = [name for name in _GENERATED_FORMS if not getattr(self, name, None)]
        super()._init_forms()
        for name in generated:
            form = getattr(self, name, None)
            if form is not None:
                label_blank_choices(use_vn_date_fields(form))


class VNModelView(RememberedListMixin, VNViewMixin, ModelView):
    """FAB's ModelView with Vietnamese dates and values (see the module docstring)."""
