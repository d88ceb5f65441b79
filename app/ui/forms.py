"""Adapt the form classes FAB generates for a model view to the Vietnamese interface.

FAB's ``GeneralModelConverter`` maps Date columns to WTForms ``DateField`` and DateTime
columns to ``DateTimeField`` (``FieldConverter.conversion_table``), both yyyy-mm-dd, and
many-to-one relations to ``QuerySelectField`` whose empty choice WTForms 3.3 labels with
its internal value ``__None``. ``VNViewMixin`` (app.ui.views) applies both functions below
to every form FAB builds for a view.
"""

from __future__ import annotations

from flask_appbuilder.fields import QuerySelectField
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms.fields import DateField, DateTimeField
from wtforms.fields.core import UnboundField

from app.ui.dates import VNDateField, VNDateTimeField

NO_CHOICE = lazy_gettext("(none)")
_DATE_REPLACEMENTS = {DateField: VNDateField, DateTimeField: VNDateTimeField}


def _unbound_fields(form_class: type[FlaskForm]) -> list[tuple[str, UnboundField]]:
    return [
        (name, value)
        for name in dir(form_class)
        if isinstance(value := getattr(form_class, name), UnboundField)
    ]


def use_vn_date_fields(form_class: type[FlaskForm]) -> type[FlaskForm]:
    """Replace, in place, the plain ``DateField``/``DateTimeField`` fields of ``form_class``
    with ``VNDateField``/``VNDateTimeField`` (same label, description, validators, default).

    Only fields of exactly those classes are replaced (a custom field chosen on purpose is
    kept); the field order is preserved. Returns ``form_class`` for chaining.
    """
    for name, unbound in _unbound_fields(form_class):
        replacement = _DATE_REPLACEMENTS.get(unbound.field_class)
        if replacement is None:
            continue
        kwargs = {k: v for k, v in unbound.kwargs.items() if k not in ("widget", "format")}
        field = UnboundField(replacement, *unbound.args, name=unbound.name, **kwargs)
        field.creation_counter = unbound.creation_counter
        setattr(form_class, name, field)
    return form_class


def label_blank_choices(form_class: type[FlaskForm]) -> type[FlaskForm]:
    """Give the empty choice of FAB's relation pickers a translated label, "(không có)",
    instead of ``__None``, unless the field sets ``blank_text`` itself. Returns
    ``form_class``."""
    for _name, unbound in _unbound_fields(form_class):
        if issubclass(unbound.field_class, QuerySelectField):
            unbound.kwargs.setdefault("blank_text", NO_CHOICE)
    return form_class
