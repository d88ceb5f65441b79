"""R10, R11: walk every registered screen and API over a scoped model.

The views are discovered from ``app.appbuilder.baseviews``, so a new screen or API over a
scoped model is walked without anyone remembering it. The walkers are a district clerk
(Lai Vung reception board) and the agency administrator of Cao Lãnh. Each walker's role
is first given every permission on those views, as an administrator could in the Roles
screen: the data scope alone must then keep them inside their subtree.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask_appbuilder.security.sqla.models import PermissionView
from sqlalchemy import func, inspect, select

from app.extensions import db
from app.security.scope import ScopeFilter, is_scoped_model, scope_condition
from app.security.views_base import ScopedModelRestApi, ScopedViewMixin
from tests.conftest import api_token, login

WALKERS = ("laivung.tcd", "caolanh.quantri")
SECRET_FILE = "5b1f0c9e8c1d4c0e9a571b2c3d4e5f60_sep_bao-cao-ket-qua.pdf"


def scoped_views(app):
    """Every registered screen or API whose model is scoped."""
    return [
        view
        for view in app.appbuilder.baseviews
        if getattr(view, "datamodel", None) is not None and is_scoped_model(view.datamodel.obj)
    ]


def _screens(app):
    return [v for v in scoped_views(app) if not isinstance(v, ScopedModelRestApi)]


def _apis(app):
    return [v for v in scoped_views(app) if isinstance(v, ScopedModelRestApi)]


def _name(view) -> str:
    return type(view).__name__


def _scoped_tables() -> set[str]:
    return {
        mapper.class_.__table__.name
        for mapper in db.Model.registry.mappers
        if is_scoped_model(mapper.class_)
    }


def _pk_ids(model, condition=None) -> set:
    pk = inspect(model).primary_key[0]
    query = select(pk) if condition is None else select(pk).where(condition)
    return set(db.session.scalars(query))


def _split(app, model, username):
    """(ids in the walker's scope, ids outside it) of ``model``."""
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        inside = _pk_ids(model, scope_condition(model, user))
        outside = _pk_ids(model) - inside
        db.session.remove()
    return inside, outside


def _row_count(app, model) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
    return count


def _grant_everything_on_scoped_views(app, username: str) -> None:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        names = {view.class_permission_name for view in scoped_views(app)}
        role = user.roles[0]
        for pv in db.session.query(PermissionView).all():
            if pv.view_menu.name in names and pv not in role.permissions:
                role.permissions.append(pv)
        db.session.commit()
        db.session.remove()


def _record_count(html: str) -> int:
    match = re.search(r"<strong>[^<]*:</strong>\s*(\d+)", html)
    assert match, "the list page shows no record count"
    return int(match.group(1))


def _options(select_html: str) -> set[int]:
    return {
        int(value)
        for value in re.findall(r'<option[^>]*value="([^"]*)"', select_html)
        if value != "__None"
    }


def _form_select_options(html: str, name: str) -> set[int]:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no picker “{name}” on the form"
    return _options(match.group(1))


def _search_select_options(html: str, name: str) -> set[int] | None:
    start = html.find("'#filter_form',")
    if start < 0:
        return None
    decoder = json.JSONDecoder()
    rest = html[start + len("'#filter_form',") :].lstrip()
    _labels, end = decoder.raw_decode(rest)
    fields, _ = decoder.raw_decode(rest[end:].lstrip(", \n"))
    return _options(fields[name]) if name in fields else None


def _permitted(view, permission: str) -> bool:
    return f"can_{permission}" in view.base_permissions


def _has_route(app, view, method: str) -> bool:
    return f"{view.endpoint}.{method}" in app.view_functions


def _probe_ids(outside: set) -> list:
    ordered = sorted(outside)
    return sorted(set(ordered[:2] + ordered[-2:]))


def test_the_walk_finds_the_screens_and_apis_over_scoped_models(app):
    names = {_name(view) for view in scoped_views(app)}
    assert {"AgencyModelView", "AgencyApi", "ScopedUserDBModelView", "AuditLogModelView"} <= names


def test_every_view_over_a_scoped_model_carries_the_scope(app):
    scoped_tables = _scoped_tables()
    with app.app_context():
        for view in scoped_views(app):
            name = _name(view)
            assert isinstance(view, ScopedViewMixin | ScopedModelRestApi), (
                f"{name} shows a scoped model: derive it from ScopedModelView or "
                "ScopedModelRestApi (app.security.views_base)"
            )
            assert any(isinstance(flt, ScopeFilter) for flt in view._base_filters.filters), (
                f"{name} has no data-scope base filter"
            )
            if isinstance(view, ScopedModelRestApi):
                pickers = [view.add_query_rel_fields, view.edit_query_rel_fields]
            else:
                pickers = [view.add_form_query_rel_fields, view.edit_form_query_rel_fields]
                pickers.append(view.search_form_query_rel_fields)
            for relation in view.guarded_relations:
                for filters in pickers:
                    assert any(flt[1] is ScopeFilter for flt in filters.get(relation, [])), (
                        f"{name}: the “{relation}” picker is not scoped"
                    )
            columns = inspect(view.datamodel.obj).columns
            for column_name in [*view.add_columns, *view.edit_columns]:
                column = columns.get(column_name)
                targets = (
                    {fk.column.table.name for fk in column.foreign_keys}
                    if column is not None
                    else set()
                )
                assert not targets & scoped_tables, (
                    f"{name} writes the raw key {column_name}: use the relationship instead"
                )


@pytest.mark.parametrize("username", WALKERS)
def test_screens_show_and_touch_only_records_in_scope(app, client, username):
    _grant_everything_on_scoped_views(app, username)
    Path(app.config["UPLOAD_FOLDER"]).mkdir(parents=True, exist_ok=True)
    (Path(app.config["UPLOAD_FOLDER"]) / SECRET_FILE).write_bytes(b"%PDF-1.4 secret")
    login(client, username)
    # the walker's own activity gives the audit log something in scope
    response = client.post(
        "/userinfoeditview/form", data={"first_name": "Phan Văn", "last_name": "Hùng Anh"}
    )
    assert response.status_code == 302
    for view in _screens(app):
        model = view.datamodel.obj
        name = _name(view)
        before = _row_count(app, model)
        inside, outside = _split(app, model, username)
        assert outside, f"{name}: nothing outside the scope of {username}: the walk proves nothing"
        base = view.route_base

        page = client.get(f"{base}/list/?psize_{name}=100")
        assert page.status_code == 200, name
        html = page.get_data(as_text=True)
        assert _record_count(html) == len(inside), f"{name}: the list counts other agencies' rows"
        shown = {int(pk) for pk in re.findall(rf"{re.escape(base)}/show/(\d+)", html)}
        assert not shown & outside, f"{name}: the list links records outside the scope"
        assert shown <= inside
        if inside:
            assert shown, f"{name}: the list shows none of the {len(inside)} records in scope"

        for relation, target in view.guarded_relations.items():
            if relation in view.search_columns:
                options = _search_select_options(html, relation)
                if options is not None:
                    assert options <= _split(app, target, username)[0], (
                        f"{name}: the search picker “{relation}” offers records outside the scope"
                    )

        for pk in _probe_ids(outside):
            assert client.get(f"{base}/show/{pk}").status_code == 404, f"{name} show {pk}"
            expected = 404 if _permitted(view, "edit") else 403
            assert client.get(f"{base}/edit/{pk}").status_code == expected, f"{name} edit {pk}"
            assert client.post(f"{base}/edit/{pk}", data={}).status_code == expected
            if _has_route(app, view, "delete"):
                expected = 404 if _permitted(view, "delete") else 403
                assert client.post(f"{base}/delete/{pk}").status_code == expected, name
            for action in view.actions:
                assert client.post(f"{base}/action/{action}/{pk}").status_code == 404, name
                response = client.post(f"{base}/action_post", data={"action": action, "rowid": pk})
                assert response.status_code == 404, f"{name} action {action} on {pk}"

        expected = 404 if _permitted(view, "download") else 403
        assert client.get(f"{base}/download/{SECRET_FILE}").status_code == expected, name

        forms = []
        if _permitted(view, "add"):
            forms.append((f"{base}/add", view.add_columns))
        if _permitted(view, "edit") and inside:
            forms.append((f"{base}/edit/{min(inside)}", view.edit_columns))
        for url, columns in forms:
            form = client.get(url)
            assert form.status_code == 200, url
            for relation, target in view.guarded_relations.items():
                if relation in columns:
                    offered = _form_select_options(form.get_data(as_text=True), relation)
                    in_scope = _split(app, target, username)[0]
                    assert offered <= in_scope, f"{url}: “{relation}” offers other agencies"
                    assert offered, f"{url}: “{relation}” offers nothing at all"

        assert _row_count(app, model) == before, f"{name}: the walk changed records"


@pytest.mark.parametrize("username", WALKERS)
def test_apis_answer_only_with_records_in_scope(app, client, username):
    _grant_everything_on_scoped_views(app, username)
    headers = {"Authorization": f"Bearer {api_token(client, username)}"}
    for api in _apis(app):
        model = api.datamodel.obj
        name = _name(api)
        before = _row_count(app, model)
        inside, outside = _split(app, model, username)
        assert outside, f"{name}: nothing outside the scope of {username}"
        url = f"/api/v1/{api.resource_name}/"

        listing = client.get(url, query_string={"q": "(page_size:100)"}, headers=headers)
        assert listing.status_code == 200, name
        body = listing.get_json()
        assert body["count"] == len(inside), f"{name}: the API counts other agencies' rows"
        assert set(body["ids"]) <= inside

        for pk in _probe_ids(outside):
            assert client.get(f"{url}{pk}", headers=headers).status_code == 404, f"{name} get"
            expected = 404 if _permitted(api, "put") else 403
            response = client.put(f"{url}{pk}", json={}, headers=headers)
            assert response.status_code == expected, f"{name} put {pk}"
            expected = 404 if _permitted(api, "delete") else 403
            assert client.delete(f"{url}{pk}", headers=headers).status_code == expected

        info = client.get(
            f"{url}_info", query_string={"q": "(keys:!(add_columns,edit_columns))"}, headers=headers
        )
        assert info.status_code == 200, name
        for key in ("add_columns", "edit_columns"):
            for field in info.get_json().get(key, []):
                target = api.guarded_relations.get(field["name"])
                if target is None:
                    continue
                in_scope = _split(app, target, username)[0]
                offered = {value["id"] for value in field["values"]}
                assert offered <= in_scope, f"{name} _info: “{field['name']}” offers others"
                assert field["count"] == len(in_scope), f"{name} _info counts others"

        assert _row_count(app, model) == before, f"{name}: the walk changed records"
