"""The user guide in the application (R22, R23): its pages, their pictures, and the help
link every screen shows in the navbar (``help_link()`` in templates)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, redirect, request, send_from_directory, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose
from flask_login import current_user

from app.guide.pages import IMAGE_DIR, PAGES, help_topic, page_html


def signed_in(method: Callable[..., ResponseReturnValue]) -> Callable[..., ResponseReturnValue]:
    """Any signed-in user may read the guide; others are sent to the login page first."""

    @wraps(method)
    def guarded(self: BaseView, *args, **kwargs) -> ResponseReturnValue:
        if not current_user.is_authenticated:
            return redirect(self.appbuilder.get_url_for_login_with(request.full_path))
        return method(self, *args, **kwargs)

    return guarded


class GuideView(BaseView):
    """The guide's pages, for every signed-in user (nothing in it is confidential)."""

    route_base = "/guide"
    default_view = "index"

    @expose("/")
    @signed_in
    def index(self) -> ResponseReturnValue:
        """The list of the guide's pages, one per role."""
        return self.render_template("guide/index.html", pages=PAGES.values())

    @expose("/<slug>")
    @signed_in
    def page(self, slug: str) -> ResponseReturnValue:
        """One page of the guide; 404 for a name that is not one."""
        page = PAGES.get(slug) or abort(404)
        return self.render_template(
            "guide/page.html", page=page, body=page_html(page), pages=PAGES.values()
        )

    @expose("/img/<name>")
    @signed_in
    def image(self, name: str) -> ResponseReturnValue:
        """A screenshot of the guide (file names only; no path leaves docs/guide/img)."""
        return send_from_directory(IMAGE_DIR, name, mimetype="image/png", max_age=3600)


def help_link() -> str | None:
    """For a signed-in user, the address of the guide's section for the screen being
    shown, or of the guide's first page when the screen has none."""
    if not current_user.is_authenticated:
        return None
    topic = help_topic(request.endpoint)
    if topic is None:
        return url_for("GuideView.index")
    page, section = topic
    return url_for("GuideView.page", slug=page, _anchor=section)


def register(appbuilder: AppBuilder) -> None:
    """The guide's pages and the ``help_link()`` template function of the navbar."""
    appbuilder.add_view_no_menu(GuideView())
    current_app.jinja_env.globals["help_link"] = help_link
