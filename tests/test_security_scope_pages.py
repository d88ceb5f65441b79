"""R10, R11: the walk beyond the generated screens.

tests/test_security_scope_walk.py walks the screens and APIs over scoped models. This file
covers what that walk cannot see: a model screen over a table someone forgot to scope, and
hand-written screens (the agency tree, the landing page, the deleted-records screen, the
calendar pages, dashboards and exports to come) that query the database themselves.
Every view is discovered from ``app.appbuilder.baseviews``.
"""

from __future__ import annotations

import html
import io
import json
import re

import openpyxl
import pytest
from flask import Flask
from flask_appbuilder.api import BaseApi, ModelRestApi
from flask_appbuilder.baseviews import BaseCRUDView
from flask_appbuilder.security.sqla.models import (
    Group,
    Permission,
    PermissionView,
    Role,
    ViewMenu,
)
from sqlalchemy import select

from app.core.actor import Actor, acting_as
from app.extensions import db
from app.security.models import AppUser
from app.security.scope import is_scoped_model
from tests.conftest import api_token, login

# FAB's own tables; their screens belong to system administrators (test_security_roles).
FAB_SECURITY_MODELS = {Role, Permission, ViewMenu, PermissionView, Group}
# Province-wide reference data, readable by all and written by system administrators only
# (app.security.roles). A new table without an agency must be scoped or listed here.
REFERENCE_TABLES = {
    "agency_kind": "kinds of agency are the same for the whole province",
    "calendar_override": "days off and make-up days are set by the Government",
    "time_limit_rule": "legal time limits are the same for every agency",
    "complaint_ground": "grounds for not accepting a complaint are set by the Law (Art. 11)",
    "national_code": "the national database's codes are the same for the whole province",
}
# Argument-free pages that may name agencies of other districts, with the reason.
MAY_NAME_OTHER_DISTRICTS: dict[str, str] = {}

# Each walker, and text naming the other district's agencies or accounts.
WALKERS = {
    "laivung.tcd": ("thành phố Cao Lãnh", "caolanh.", "xa.myngai"),
    "caolanh.quantri": ("Lai Vung", "laivung."),
}


def _model_views(app: Flask) -> list:
    return [
        view
        for view in app.appbuilder.baseviews
        if isinstance(view, BaseCRUDView | ModelRestApi) and getattr(view, "datamodel", None)
    ]


def test_every_model_screen_is_scoped_or_declared_reference_data(app):
    """A domain model that forgot ``scope_condition`` would be shown to everyone: fail."""
    problems = []
    for view in _model_views(app):
        model = view.datamodel.obj
        if is_scoped_model(model) or model in FAB_SECURITY_MODELS:
            continue
        if model.__tablename__ not in REFERENCE_TABLES:
            problems.append(
                f"{type(view).__name__} shows {model.__name__}, which has no data scope: "
                "give the model scope_condition (app.security.scope) or, if it is "
                "province-wide reference data, list its table in REFERENCE_TABLES"
            )
    assert not problems, "\n".join(problems)


def _readable(text: str) -> str:
    """Page or JSON text with \\u escapes and HTML entities decoded (FAB embeds JSON)."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return html.unescape(text)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_text(data: bytes) -> str:
    """Every cell of an exported workbook, so exports are walked like pages."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _argument_free_get_routes(app: Flask) -> list[tuple[object, str, str]]:
    """(view, endpoint, path) of every GET route without URL arguments of every view."""
    views = {view.endpoint: view for view in app.appbuilder.baseviews if view.endpoint}
    routes = []
    for rule in app.url_map.iter_rules():
        view = views.get(rule.endpoint.rsplit(".", 1)[0])
        if view is None or rule.arguments or "GET" not in rule.methods:
            continue
        if rule.endpoint.endswith((".logout", ".login")):
            continue
        routes.append((view, rule.endpoint, rule.rule))
    return routes


def _changes_made_in_both_districts(app: Flask) -> None:
    """Audit-log entries by an official of each district, so the log has both."""
    with app.app_context():
        for username in ("laivung.tcd", "caolanh.tcd"):
            user = db.session.scalar(select(AppUser).where(AppUser.username == username))
            with acting_as(Actor(user.id, user.username, user.agency_id)):
                user.email = f"{username}.moi@dongthap.example.vn"
                db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("username", sorted(WALKERS))
def test_no_page_names_the_other_district(app, username):
    """Every argument-free page and API endpoint, hand-written ones included, is free of
    the other district's agency names and accounts."""
    _changes_made_in_both_districts(app)
    client = app.test_client()
    login(client, username)
    headers = {"Authorization": f"Bearer {api_token(app.test_client(), username)}"}
    opened = []
    for view, endpoint, path in _argument_free_get_routes(app):
        if endpoint in MAY_NAME_OTHER_DISTRICTS:
            continue
        response = client.get(path, headers=headers if isinstance(view, BaseApi) else None)
        if response.status_code != 200:
            continue
        opened.append(path)
        if response.mimetype == XLSX:
            text = _workbook_text(response.get_data())
        else:
            text = response.get_data(as_text=True)
        if response.is_json:
            text = json.dumps(response.get_json(), ensure_ascii=False)
        text = _readable(text)
        for marker in WALKERS[username]:
            assert marker not in text, (
                f"{username} reads “{marker}” at {path}; if that page may name other "
                "districts' agencies, list its endpoint in MAY_NAME_OTHER_DISTRICTS"
            )
    expected = {"/", "/agencies/tree/", "/agencymodelview/list/", "/api/v1/agency/"}
    assert expected <= set(opened), f"{username} could not open {expected - set(opened)}"
