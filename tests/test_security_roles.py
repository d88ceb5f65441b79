"""R10, R11: roles are defined in code, synced by ``flask app init`` and stay adjustable."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from flask_appbuilder.security.sqla.models import PermissionView, Role

from app.extensions import db
from app.security import roles
from app.security.sync import sync_roles_and_permissions

WRITES = {"can_add", "can_edit", "can_delete", "can_post", "can_put"}
SECURITY_SCREENS = {
    "RoleModelView",
    "UserGroupModelView",
    "PermissionModelView",
    "ViewMenuModelView",
    "PermissionViewModelView",
}
ROOT = Path(__file__).resolve().parent.parent


def _grants() -> set[tuple[str, str, str]]:
    return {
        (role.name, pv.permission.name, pv.view_menu.name)
        for role in db.session.query(Role).all()
        for pv in role.permissions
    }


def _held(role_name: str) -> set[tuple[str, str]]:
    role = db.session.query(Role).filter_by(name=role_name).one()
    return {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}


def test_sync_twice_changes_nothing(app_ctx):
    before = _grants()
    counts = sync_roles_and_permissions(app_ctx.appbuilder)
    assert _grants() == before
    assert set(counts) == {roles.SYSADMIN, *roles.ROLE_PERMISSIONS}


def test_sync_keeps_what_an_administrator_added_and_restores_what_code_requires(app_ctx):
    clerk = db.session.query(Role).filter_by(name=roles.CLERK).one()
    extra = next(
        pv
        for pv in db.session.query(PermissionView).all()
        if (pv.permission.name, pv.view_menu.name) == ("can_list", "CalendarOverrideModelView")
    )
    required = next(pv for pv in clerk.permissions if pv.view_menu.name == "AgencyModelView")
    clerk.permissions.append(extra)
    clerk.permissions.remove(required)
    db.session.commit()
    sync_roles_and_permissions(app_ctx.appbuilder)
    held = _held(roles.CLERK)
    assert ("can_list", "CalendarOverrideModelView") in held
    assert (required.permission.name, "AgencyModelView") in held


def test_system_administrator_holds_every_permission(app_ctx):
    assert _held(roles.SYSADMIN) == {
        (pv.permission.name, pv.view_menu.name) for pv in db.session.query(PermissionView).all()
    }


def test_only_agency_admins_write_and_only_accounts(app_ctx):
    for role in roles.ROLE_PERMISSIONS:
        writes = {(perm, view) for perm, view in _held(role) if perm in WRITES}
        if role == roles.AGENCY_ADMIN:
            assert writes == {("can_add", roles.USER_VIEW), ("can_edit", roles.USER_VIEW)}
        else:
            assert writes == set(), role


def test_nobody_but_the_system_administrator_touches_roles_and_permissions(app_ctx):
    for role in roles.ROLE_PERMISSIONS:
        assert not {view for _perm, view in _held(role)} & SECURITY_SCREENS, role


def test_accounts_and_audit_log_belong_to_administrators(app_ctx):
    for role in roles.ROLE_PERMISSIONS:
        held = _held(role)
        manages = ("can_list", roles.USER_VIEW) in held
        reads_audit = ("can_list", "AuditLogModelView") in held
        assert manages == (role == roles.AGENCY_ADMIN), role
        assert reads_audit == (role == roles.AGENCY_ADMIN), role


def test_everyone_reads_agencies_and_time_limits_but_not_calendar_overrides(app_ctx):
    for role in roles.ROLE_PERMISSIONS:
        if role == roles.PUBLIC:
            assert _held(role) == set()
            continue
        held = _held(role)
        assert {("can_get", "AgencyApi"), ("can_list", "AgencyModelView")} <= held, role
        assert ("can_list", "TimeLimitRuleModelView") in held, role
        assert ("can_list", "CalendarOverrideModelView") not in held, role
        assert ("can_this_form_post", "ResetMyPasswordView") in held, role


def test_every_capability_matches_a_registered_permission(app_ctx):
    """A pattern naming a view that does not exist (a typo, a renamed view) grants nothing."""
    registered = [
        (pv.permission.name, pv.view_menu.name) for pv in db.session.query(PermissionView).all()
    ]
    capabilities = {
        name: value
        for name, value in vars(roles).items()
        if name.isupper() and isinstance(value, list) and value and isinstance(value[0], tuple)
    }
    assert {"OWN_ACCOUNT", "READ_AGENCIES", "MANAGE_USERS", "READ_AUDIT"} <= set(capabilities)
    for name, capability in capabilities.items():
        for perm_pattern, view_pattern in capability:
            assert any(
                re.fullmatch(perm_pattern, perm) and re.fullmatch(view_pattern, view)
                for perm, view in registered
            ), f"{name}: {view_pattern} matches no registered permission"


def test_patterns_match_whole_names_only(app):
    assert roles.role_grants(roles.LEADER, "can_list", "AgencyModelView")
    assert not roles.role_grants(roles.LEADER, "can_list", "AgencyModelViewExtra")
    assert not roles.role_grants(roles.LEADER, "can_listing", "AgencyModelView")
    assert not roles.role_grants(roles.LEADER, "can_edit", "AgencyModelView")


def test_every_security_message_has_a_vietnamese_translation(app):
    """Each msgid is in this package's drop file, the catalog, or FAB's own template."""
    drop = ROOT / "app" / "security" / "i18n_vi.txt"
    translated = {
        line.split("\t", 1)[0]
        for line in drop.read_text(encoding="utf-8").splitlines()
        if "\t" in line and not line.startswith("#")
    }
    framework = (ROOT / "app" / "translations" / "flask_appbuilder.pot").read_text(encoding="utf-8")
    with (ROOT / "app" / "translations" / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        translated |= {message.id for message in read_po(po) if message.id and message.string}
    sources = [*sorted((ROOT / "app" / "security").glob("*.py")), ROOT / "app/agencies/api.py"]
    for source in sources:
        for _line, msgid, _comments, _context in extract_from_file(
            "python", str(source), keywords={"gettext": None, "_l": None}
        ):
            in_framework = f'msgid "{msgid}"' in framework
            assert msgid in translated or in_framework, f"{source.name}: {msgid!r}"


def test_app_init_run_again_on_upgrade_changes_nothing(app):
    """``flask app init`` after every upgrade: a second run grants, removes and logs nothing."""
    from app.audit.models import AuditLog

    def state() -> tuple[set, int, int]:
        with app.app_context():
            snapshot = (
                _grants(),
                db.session.query(PermissionView).count(),
                db.session.query(AuditLog).count(),
            )
            db.session.remove()
        return snapshot

    runner = app.test_cli_runner()
    first = runner.invoke(args=["app", "init"])
    assert first.exit_code == 0, first.output
    assert f"{roles.AGENCY_ADMIN}: " in first.output
    before = state()
    second = runner.invoke(args=["app", "init"])
    assert second.exit_code == 0, second.output
    assert second.output == first.output
    assert state() == before


def test_app_init_prints_no_framework_warnings(app, caplog):
    """An installer sees the roles and their counts, not FAB's internal bookkeeping
    ("Refused to delete, permission … does not exist")."""
    caplog.set_level(logging.WARNING)
    result = app.test_cli_runner().invoke(args=["app", "init"])
    assert result.exit_code == 0, result.output
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_a_permission_taken_from_a_role_counts_from_the_next_request(client, app):
    """R11: permissions are read once per request (app.security.manager), never kept
    longer: a clerk loses the petition list on the request after the administrator
    removes it from the role, and gets it back the same way."""
    from tests.conftest import login

    login(client, "caolanh.tcd")
    assert client.get("/petitions/list/").status_code == 200
    with app.app_context():
        clerk = db.session.query(Role).filter_by(name=roles.CLERK).one()
        granted = [
            pv
            for pv in clerk.permissions
            if pv.view_menu.name == "PetitionListView" and pv.permission.name == "can_list"
        ]
        assert granted, "the clerk role lists petitions"
        clerk.permissions.remove(granted[0])
        db.session.commit()
    assert client.get("/petitions/list/").status_code in (302, 403)
    with app.app_context():
        clerk = db.session.query(Role).filter_by(name=roles.CLERK).one()
        clerk.permissions.append(db.session.merge(granted[0]))
        db.session.commit()
    assert client.get("/petitions/list/").status_code == 200
