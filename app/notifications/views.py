"""The notifications screen ("Thông báo") and the bell with the unread count in the navbar.

The bell: ``install_bell(app)`` puts app/notifications/templates before the other template
folders; its ``appbuilder/navbar_right.html`` draws the bell, then includes FAB's own
navbar_right (reachable as ``fab/appbuilder/navbar_right.html``), so nothing of FAB's
template is copied. The count comes from the ``unread_notifications()`` template function.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, current_app, flash, g, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from app.extensions import db
from app.notifications import service

TEMPLATES = Path(__file__).resolve().parent / "templates"
_EXTENSION = "notifications.bell"
VIEW_NAME = "NotificationView"


def safe_link(link: str | None) -> str | None:
    """A notification's link if it is a path of this application (never another site)."""
    if link and link.startswith("/") and not link.startswith("//") and "\\" not in link:
        return link
    return None


class NotificationView(BaseView):
    """The user's notifications, newest first; opening one marks it read."""

    route_base = "/notifications"
    default_view = "list"

    @expose("/")
    @has_access
    def list(self) -> ResponseReturnValue:
        """Every notification addressed to the user or their agency, unread ones marked."""
        items = service.notifications_for(db.session, g.user)
        return self.render_template(
            "notifications/list.html",
            items=items,
            unread=sum(1 for item in items if item.unread),
            safe_link=safe_link,
        )

    @expose("/<int:pk>/open", methods=["POST"])
    @has_access
    def open(self, pk: int) -> ResponseReturnValue:
        """Mark one notification read and go to what it is about."""
        notification = service.find_for(db.session, g.user, pk)
        if notification is None:
            abort(404)
        service.mark_read(db.session, g.user, [notification.id])
        db.session.commit()
        return redirect(safe_link(notification.link) or url_for(".list"))

    @expose("/read-all", methods=["POST"])
    @has_access
    def read_all(self) -> ResponseReturnValue:
        """Mark every notification of the user read."""
        count = service.mark_read(db.session, g.user)
        db.session.commit()
        flash(gettext("%(count)s notifications marked as read.", count=count), "info")
        return redirect(url_for(".list"))


def unread_notifications() -> int:
    """Template function: the request user's unread notifications (0 when logged out or
    without access to the notifications screen)."""
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    if not current_app.appbuilder.sm.has_access("can_list", VIEW_NAME):
        return 0
    return service.unread_count(db.session, user)


def install_bell(app: Flask) -> None:
    """Serve the navbar override with the bell and give templates ``unread_notifications``
    (once per app)."""
    if _EXTENSION in app.extensions:
        return
    app.extensions[_EXTENSION] = True
    fab_templates = PrefixLoader({"fab": PackageLoader("flask_appbuilder", "templates")})
    app.jinja_env.loader = ChoiceLoader(
        [FileSystemLoader(TEMPLATES), fab_templates, app.jinja_env.loader]
    )
    app.jinja_env.globals["unread_notifications"] = unread_notifications


def register(appbuilder: AppBuilder) -> None:
    """Add the notifications screen (reached from the bell) and the bell itself."""
    appbuilder.add_view_no_menu(NotificationView)
    install_bell(current_app._get_current_object())
