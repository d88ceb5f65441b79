"""Wire the Vietnamese interface pieces that need the Flask app: call ``init_ui(app)``
once in the app factory, after ``AppBuilder.init_app``.

* WTForms' own messages ("This field is required.", "Field cannot be longer than 50
  characters." …) come from WTForms' ``wtforms`` gettext domain, which has no Vietnamese;
  Flask-WTF takes the translations of a request from ``request.wtforms_translations``,
  which ``init_ui`` points at the app's catalog (where ``make catalog`` puts WTForms'
  msgids).
* FAB's confirmation and alert dialogs hard-code "Cancel" and "OK"; translated copies in
  app/ui/templates/ take precedence over FAB's.
* "Not found" (404) and "access denied" (403, what FAB 5 answers a logged-in user lacking
  a permission) show a Vietnamese page in the application's layout instead of Werkzeug's
  English one; REST API addresses keep a JSON answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, current_app, render_template, request, request_started
from flask.typing import ResponseReturnValue
from flask_babel import get_translations, lazy_gettext
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import Forbidden, HTTPException, NotFound

TEMPLATES = Path(__file__).resolve().parent / "templates"
_EXTENSION = "donthu_ui"
_ERROR_TEXTS = {
    NotFound.code: (
        lazy_gettext("Page not found"),
        lazy_gettext("The page you asked for does not exist, or your account may not see it."),
    ),
    Forbidden.code: (
        lazy_gettext("Access is Denied"),
        lazy_gettext("Your account does not have the right to open this page."),
    ),
}


class CatalogTranslations:
    """The WTForms translations interface answered by the app's catalog (current locale)."""

    def ugettext(self, string: str) -> str:
        """Translate a WTForms message."""
        return get_translations().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        """Translate a WTForms message with a plural form."""
        return get_translations().ungettext(singular, plural, n)


_CATALOG_TRANSLATIONS = CatalogTranslations()


def _use_catalog_for_wtforms(sender: Flask, **extra: Any) -> None:
    request.wtforms_translations = _CATALOG_TRANSLATIONS


def error_page(error: HTTPException) -> ResponseReturnValue:
    """The answer to a 404 or 403: a Vietnamese page, or JSON under /api/."""
    if request.path.startswith("/api/"):
        return {"message": error.name}, error.code
    title, message = _ERROR_TEXTS[error.code]
    appbuilder = current_app.appbuilder
    page = render_template(
        "ui/error.html",
        base_template=appbuilder.base_template,
        appbuilder=appbuilder,
        title=title,
        message=message,
    )
    return page, error.code


def init_ui(app: Flask) -> None:
    """Install the WTForms translations, FAB template overrides and the error pages on
    ``app``; a second call does nothing."""
    if _EXTENSION in app.extensions:
        return
    app.extensions[_EXTENSION] = True
    request_started.connect(_use_catalog_for_wtforms, app)
    app.jinja_env.loader = ChoiceLoader([FileSystemLoader(TEMPLATES), app.jinja_env.loader])
    for code in _ERROR_TEXTS:
        app.register_error_handler(code, error_page)
