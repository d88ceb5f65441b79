"""Date inputs with bootstrap-datepicker in dd/mm/yyyy and the interface's language.

The picker is started by bootstrap-datepicker's own ``data-provide="datepicker"``
attribute, so inputs FAB's search form adds later work too; its Vietnamese texts are in
app/static/js/bootstrap-datepicker.vi.js, loaded by donthu/baselayout.html. The class is
``vn-date``/``vn-datetime`` (not FAB's ``appbuilder_date``), so FAB's ab.js does not
re-initialise the picker with its yyyy-mm-dd format.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_babel import get_locale
from markupsafe import Markup
from wtforms.fields import Field
from wtforms.widgets import html_params

PICKER_FORMAT = "dd/mm/yyyy"


def _picker_language() -> str:
    """The datepicker locale matching the interface language (``vi`` outside requests)."""
    locale = get_locale() if has_request_context() else None
    return locale.language if locale else "vi"


class VNDatePickerWidget:
    """A text input for dd/mm/yyyy with a calendar button."""

    css_class = "vn-date"
    placeholder = "dd/mm/yyyy"

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        """Render the input group; ``kwargs`` become attributes of the input."""
        kwargs.setdefault("id", field.id)
        kwargs["class"] = f"form-control {kwargs.get('class', '')}".strip()
        kwargs.setdefault("placeholder", self.placeholder)
        wrapper = html_params(
            class_=f"input-group date {self.css_class}",
            data_provide="datepicker",
            data_date_format=PICKER_FORMAT,
            data_date_language=_picker_language(),
            data_date_autoclose="true",
            data_date_today_highlight="true",
            data_date_force_parse="false",
        )
        field_input = html_params(
            type="text", name=field.name, value=field._value(), autocomplete="off", **kwargs
        )
        return Markup(
            f"<div {wrapper}>"
            '<span class="input-group-addon"><i class="fa fa-calendar cursor-hand"></i></span>'
            f"<input {field_input}></div>"
        )


class VNDateTimePickerWidget(VNDatePickerWidget):
    """A text input for dd/mm/yyyy hh:mm; the picker sets the date and keeps the time
    (app/static/js/donthu-ui.js)."""

    css_class = "vn-datetime"
    placeholder = "dd/mm/yyyy hh:mm"
