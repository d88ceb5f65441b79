"""Idempotent sync of permissions and roles after migrating (FAB_UPDATE_PERMS is off)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from flask_appbuilder import AppBuilder
from flask_appbuilder.security.sqla.models import PermissionView

from app.security.roles import ROLE_PERMISSIONS, SYSADMIN, role_grants

# FAB's permission bookkeeping: on every sync it first creates a permission per exposed
# method, then drops those that ``method_permission_name`` folds into another, warning
# "Refused to delete, permission … does not exist" for each (about thirty lines that mean
# nothing to whoever installs the application). Errors still show.
_FAB_SECURITY_LOGGER = "flask_appbuilder.security.sqla.manager"


@contextmanager
def _quiet_fab_bookkeeping() -> Iterator[None]:
    logger = logging.getLogger(_FAB_SECURITY_LOGGER)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def sync_roles_and_permissions(appbuilder: AppBuilder) -> dict[str, int]:
    """Create every view's permissions, then give each code-defined role what it needs.

    The system administrator gets every permission. Permissions administrators added by
    hand are kept; permissions of views that no longer exist are removed by FAB's cleanup.
    Returns the number of permissions of each role.
    """
    sm = appbuilder.sm
    session = sm.session
    for role_name in [SYSADMIN, *ROLE_PERMISSIONS]:
        sm.find_role(role_name) or sm.add_role(role_name)
    with _quiet_fab_bookkeeping():
        appbuilder.add_permissions(update_perms=True)
        sm.security_cleanup(appbuilder.baseviews, appbuilder.menu)
    all_pvs = session.query(PermissionView).all()
    counts = {}
    for role_name in [SYSADMIN, *ROLE_PERMISSIONS]:
        role = sm.find_role(role_name)
        present = {pv.id for pv in role.permissions}
        for pv in all_pvs:
            if pv.id in present or pv.permission is None or pv.view_menu is None:
                continue
            if role_name == SYSADMIN or role_grants(
                role_name, pv.permission.name, pv.view_menu.name
            ):
                role.permissions.append(pv)
        counts[role_name] = len(role.permissions)
    session.commit()
    return counts
