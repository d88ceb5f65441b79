"""Quick links of the landing page: the screens a user's roles open, taken from the menu.

A link is shown only when the user sees that menu entry (FAB's ``menu_access``) and may
open the screen behind it, so each role gets its own set: system administrators the accounts,
agencies, audit log and calendar; agency administrators their accounts (R10); everyone
else the agency list, until later domains add their screens here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_appbuilder.const import PERMISSION_PREFIX
from flask_appbuilder.menu import MenuItem
from flask_babel import gettext

USERS_MENU = "List Users"
AGENCIES_MENU = "Agency list"
AUDIT_MENU = "Audit log"
CALENDAR_MENU = "Calendar overrides"

# Menu entries offered as quick links, in the order shown.
QUICK_LINK_MENUS = (USERS_MENU, AGENCIES_MENU, AUDIT_MENU, CALENDAR_MENU)


@dataclass(frozen=True)
class QuickLink:
    """A shortcut to a screen: its (translated) menu label, address and icon."""

    label: str
    url: str
    icon: str


def can_open(menu_name: str) -> bool:
    """True when the request's user sees the menu entry ``menu_name`` and may open the
    screen behind it: ``menu_access`` on the entry and the permission of the view's
    default page (R10, R11)."""
    item = current_app.appbuilder.menu.find(menu_name)
    return item is not None and _may_open(item)


def menu_url(menu_name: str) -> str | None:
    """Address of the registered menu entry ``menu_name``, or None when it is not registered."""
    item = current_app.appbuilder.menu.find(menu_name)
    return item.get_url() if item is not None else None


def quick_links() -> list[QuickLink]:
    """The quick links the request's user may open, in ``QUICK_LINK_MENUS`` order."""
    links = []
    for name in QUICK_LINK_MENUS:
        item = current_app.appbuilder.menu.find(name)
        if item is not None and _may_open(item):
            links.append(QuickLink(gettext(str(item.label)), item.get_url(), item.icon))
    return links


def _may_open(item: MenuItem) -> bool:
    sm = current_app.appbuilder.sm
    if not sm.has_access("menu_access", item.name):
        return False
    view = item.baseview
    if view is None:
        return True
    method = view.default_view
    permission = PERMISSION_PREFIX + view.method_permission_name.get(method, method)
    return bool(sm.has_access(permission, view.class_permission_name))
