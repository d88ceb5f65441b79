"""The Vietnamese interface on top of Flask-AppBuilder: dd/mm/yyyy date fields, widgets and
search filters, list/show formatters, the ``VNModelView`` base and ``init_ui`` (docs/i18n.md).
"""
