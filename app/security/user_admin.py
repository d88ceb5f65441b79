"""Who may manage which accounts (R10): the rules behind the user screens.

The Provincial PC Office's system administrators manage every account. An agency
administrator manages only accounts of their agency subtree (THE data scope), grants only
roles they hold themselves and never "Quản trị hệ thống" or "Khách", cannot touch an
account holding a role they could not grant (no password reset to take it over), and
cannot change their own roles, agency or active status. Every account belongs to an
agency. Accounts are never deleted: they are deactivated (``active`` unticked), so that
records and the audit log keep saying who did what.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.security.sqla.models import (
    Role,
    assoc_group_role,
    assoc_user_group,
    assoc_user_role,
)
from flask_babel import gettext
from sqlalchemy import select, union

from app.extensions import db
from app.security.models import AppUser
from app.security.roles import NEVER_GRANTED_BY_AGENCY_ADMIN, SYSADMIN
from app.security.scope import role_names, scope_condition
from app.security.write_guard import WriteRefused


def grantable_role_names(admin: Any) -> set[str] | None:
    """R10: roles ``admin`` may grant; None means every role (system administrator)."""
    held = role_names(admin)
    if SYSADMIN in held:
        return None
    return held - NEVER_GRANTED_BY_AGENCY_ADMIN


def stored_role_names(user_id: int | None, via_groups: bool = True) -> set[str]:
    """Roles the account holds in the database (directly, and through its groups unless
    ``via_groups`` is False), ignoring unsaved changes of the current session."""
    if user_id is None:
        return set()
    role_ids = select(assoc_user_role.c.role_id).where(assoc_user_role.c.user_id == user_id)
    if via_groups:
        via_group = (
            select(assoc_group_role.c.role_id)
            .join(assoc_user_group, assoc_user_group.c.group_id == assoc_group_role.c.group_id)
            .where(assoc_user_group.c.user_id == user_id)
        )
        role_ids = union(role_ids, via_group)
    query = select(Role.name).where(Role.id.in_(role_ids))
    with db.session.no_autoflush:
        return set(db.session.scalars(query))


def manageable_user(admin: Any, user_id: Any) -> AppUser | None:
    """R10: the account ``user_id`` if ``admin`` may manage it, else None.

    It must lie in the admin's data scope and hold only roles the admin could grant.
    """
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    account = db.session.scalar(
        select(AppUser).where(AppUser.id == user_id, scope_condition(AppUser, admin))
    )
    if account is None:
        return None
    grantable = grantable_role_names(admin)
    if grantable is not None and not stored_role_names(user_id) <= grantable:
        return None
    return account


def check_account_change(admin: Any, account: AppUser) -> None:
    """R10: refuse an unsaved new or edited account that would escalate privileges.

    Raises WriteRefused naming the field; nothing is written by this check.
    """
    with db.session.no_autoflush:
        _check_account_change(admin, account)


def _check_account_change(admin: Any, account: AppUser) -> None:
    if account.agency is None and account.agency_id is None:
        raise WriteRefused("agency", gettext("Every account must belong to an agency."))
    grantable = grantable_role_names(admin)
    if grantable is None:
        return
    before = stored_role_names(account.id)
    if not before <= grantable:
        raise WriteRefused(
            "roles",
            gettext(
                "This account holds roles you cannot grant (%(roles)s); "
                "only a system administrator can change it.",
                roles=", ".join(sorted(before - grantable)),
            ),
        )
    after = {role.name for role in account.roles}
    if not after <= grantable:
        raise WriteRefused(
            "roles",
            gettext(
                "You cannot grant the role(s) %(roles)s: an agency administrator grants "
                "only roles they hold, never the system administrator role.",
                roles=", ".join(sorted(after - grantable)),
            ),
        )
    if account.id is not None and account.id == admin.id and _own_account_changed(account):
        raise WriteRefused(
            "roles",
            gettext(
                "You cannot change your own roles, agency or active status; "
                "ask a system administrator."
            ),
        )


def _own_account_changed(account: AppUser) -> bool:
    stored = db.session.execute(
        select(AppUser.agency_id, AppUser.active).where(AppUser.id == account.id)
    ).one()
    agency_id = account.agency.id if account.agency is not None else account.agency_id
    roles = {role.name for role in account.roles}
    return (
        agency_id != stored.agency_id
        or bool(account.active) != bool(stored.active)
        or roles != stored_role_names(account.id, via_groups=False)
    )
