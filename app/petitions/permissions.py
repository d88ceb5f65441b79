"""Who may process petitions and receive forwarded ones (R10, R11; issue 3).

The right is the FAB permission of the processing screens, as roles grant it
(app.security.roles: clerks; administrators may adjust roles), and the data scope
decides which petitions and inboxes: the services check both, so the screens, the API
and tests are refused alike.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.security.scope import agency_in_scope

# (permission, view) pairs, as the views declare them.
PROCESS = ("can_process", "PetitionProcessView")
RECEIVE = ("can_receive", "TransferInboxView")


def holds(user: Any, permission: tuple[str, str]) -> bool:
    """R10: the user's roles grant ``permission`` (a (permission, view) pair)."""
    if user is None or not getattr(user, "is_active", True):
        return False
    return permission in current_app.appbuilder.sm.get_user_permissions(user)


def may_act_for(user: Any, permission: tuple[str, str], agency_id: int | None) -> bool:
    """R10, R11: the user holds ``permission`` and the agency is in their data scope."""
    return holds(user, permission) and agency_in_scope(agency_id, user)
