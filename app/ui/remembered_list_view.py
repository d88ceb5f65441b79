"""FAB's generated list pages remember their filters, sort, search words and page size
for the session (issue 8), like the purpose-built lists (app.ui.remembered_filters).

FAB 5 keeps only a page history for its "back" redirects: opening a list from the menu
shows it unfiltered. This mixin stores the list's query string (``_flt_*``, ``_oc_*``,
``_od_*``, ``psize_*``; not ``page_*``) in the session and, when the list is opened with
no query string, redirects to the remembered one. ``?reset=1`` ("Xóa bộ lọc", a link
the list template adds) forgets it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import expose, has_access

from app.ui.remembered_filters import RESET, SESSION_PREFIX

LIST_TEMPLATE = "ui/remembered_list.html"


class RememberedListMixin:
    """Put it before FAB's ModelView: its list page remembers what the user last asked."""

    list_template = LIST_TEMPLATE

    def _remembered_key(self) -> str:
        return f"{SESSION_PREFIX}fab.{type(self).__name__}"

    @expose("/list/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """The list as FAB shows it, reopened with the arguments last used (issue 8)."""
        key = self._remembered_key()
        if RESET in request.args:
            session.pop(key, None)
            return redirect(url_for(f"{type(self).__name__}.list"))
        if not request.args:
            remembered = session.get(key)
            if remembered:
                return redirect(f"{url_for(f'{type(self).__name__}.list')}?{urlencode(remembered)}")
        else:
            session[key] = [
                (name, value)
                for name, value in request.args.items(multi=True)
                if not name.startswith("page_")
            ]
        return super().list()
