"""The landing page per role: who I am, today's date, what needs my attention, where to go."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, IndexView, expose
from flask_babel import get_locale

from app.core.clock import today_local
from app.home.attention import attention_cards
from app.home.dates import long_date
from app.home.links import quick_links
from app.home.profile import agency_chain, full_name, role_names
from app.home.providers import register_default_providers


class HomeView(IndexView):
    """Landing page (FAB_INDEX_VIEW); anonymous visitors are sent to the login form."""

    index_template = "home/index.html"

    @expose("/")
    def index(self) -> ResponseReturnValue:
        """Show the logged-in user their agency, roles, today's date, cards and quick links."""
        user = getattr(g, "user", None)
        if user is None or not user.is_authenticated:
            return redirect(url_for(self.appbuilder.sm.auth_view.endpoint + ".login"))
        cards = attention_cards(user)
        return self.render_template(
            self.index_template,
            appbuilder=self.appbuilder,
            user=user,
            full_name=full_name(user),
            chain=agency_chain(user.agency) if user.agency is not None else [],
            roles=role_names(user),
            today=long_date(today_local(), str(get_locale() or "vi")),
            cards=cards,
            urgent=any(card.urgent for card in cards),
            links=quick_links(),
        )


def register(appbuilder: AppBuilder) -> None:
    """Register the landing page's own attention providers (the page itself is FAB's index)."""
    register_default_providers()
