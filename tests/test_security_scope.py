"""R10, R11, R24: who sees which agencies and accounts; writes stay inside the scope.

Lai Vung and Cao Lãnh are two districts of the demo province. laivung.tcd works at the
Lai Vung citizen reception board, caolanh.quantri administers the City PC of Cao Lãnh,
btcd.giamsat monitors for the Provincial Citizen Reception Board, lanhdao.tinh is a
provincial leader.
"""

from __future__ import annotations

from flask_appbuilder.security.sqla.models import Group, assoc_user_group
from flask_babel import gettext
from sqlalchemy import func, select

from app.agencies.models import Agency, AgencyKind
from app.extensions import db
from app.security import roles
from app.security.models import AppUser
from app.security.scope import scope_condition, sees_whole_province
from tests.conftest import api_token, login

AGENCY_COUNT = 227


def _codes_in_scope(username: str) -> set[str]:
    user = db.session.scalar(select(AppUser).where(AppUser.username == username))
    return set(db.session.scalars(select(Agency.code).where(scope_condition(Agency, user))))


def _usernames_in_scope(username: str) -> set[str]:
    user = db.session.scalar(select(AppUser).where(AppUser.username == username))
    return set(db.session.scalars(select(AppUser.username).where(scope_condition(AppUser, user))))


def _api_get(client, username: str, url: str, **params):
    token = api_token(client, username)
    return client.get(url, headers={"Authorization": f"Bearer {token}"}, **params)


def test_a_district_clerk_sees_only_their_reception_board(app_ctx):
    assert _codes_in_scope("laivung.tcd") == {"DT17-876-TCD"}
    assert _usernames_in_scope("laivung.tcd") == {"laivung.tcd"}


def test_an_agency_admin_sees_the_city_subtree_and_nothing_of_lai_vung(app_ctx):
    codes = _codes_in_scope("caolanh.quantri")
    assert {"DT17-866-UB", "DT17-866-VP", "DT17-866-TCD", "DT17-29881-UB"} <= codes
    assert not {code for code in codes if code.startswith("DT17-876")}
    assert "DT17-UBT" not in codes and "DT17-30208-UB" not in codes
    assert _usernames_in_scope("caolanh.quantri") == {
        "caolanh.quantri",
        "caolanh.vanphong",
        "caolanh.tcd",
        "caolanh.thanhtra",
        "xa.myngai",
    }


def test_system_admin_and_monitor_see_the_whole_province(app_ctx):
    for username in ("admin", "btcd.giamsat"):
        assert len(_codes_in_scope(username)) == AGENCY_COUNT
        assert "laivung.tcd" in _usernames_in_scope(username)


def test_a_monitor_role_given_through_a_group_counts(app_ctx):
    """FAB grants a group's roles to its members; the scope must agree."""
    sm = app_ctx.appbuilder.sm
    group = Group(name="Tổ giám sát", roles=[sm.find_role(roles.MONITOR)])
    db.session.add(group)
    db.session.flush()
    clerk = sm.find_user(username="ttt.chuyenvien")
    db.session.execute(assoc_user_group.insert().values(user_id=clerk.id, group_id=group.id))
    db.session.commit()
    db.session.expire_all()
    assert sees_whole_province(clerk)
    assert len(_codes_in_scope("ttt.chuyenvien")) == AGENCY_COUNT


def test_a_user_without_agency_sees_only_their_own_account(app_ctx):
    user = app_ctx.appbuilder.sm.find_user(username="xa.myngai")
    user.agency = None
    db.session.commit()
    assert _codes_in_scope("xa.myngai") == set()
    assert _usernames_in_scope("xa.myngai") == {"xa.myngai"}


def test_an_underscore_in_a_code_is_not_a_wildcard(app_ctx):
    """Paths are matched by prefix; "_" must not match any character (SQL LIKE)."""
    kind = db.session.scalar(select(AgencyKind).where(AgencyKind.code == "commune_pc"))
    province = db.session.scalar(select(Agency).where(Agency.code == "DT17-UBT"))
    mine = Agency(code="XA_A", name="Ủy ban nhân dân xã An Bình", kind=kind, parent=province)
    other = Agency(code="XA-A", name="Ủy ban nhân dân xã An Hòa", kind=kind, parent=province)
    db.session.add_all([mine, other])
    db.session.flush()
    db.session.add(Agency(code="XA-A-TT", name="Thanh tra xã An Hòa", kind=kind, parent=other))
    user = app_ctx.appbuilder.sm.find_user(username="xa.myngai")
    user.agency = mine
    db.session.commit()
    assert _codes_in_scope("xa.myngai") == {"XA_A"}


def test_api_lists_the_agencies_of_the_callers_scope(app, client):
    laivung = _api_get(client, "laivung.tcd", "/api/v1/agency/").get_json()
    assert laivung["count"] == 1
    assert laivung["result"][0]["code"] == "DT17-876-TCD"
    caolanh = _api_get(
        client, "caolanh.quantri", "/api/v1/agency/", query_string={"q": "(page_size:100)"}
    )
    codes = {row["code"] for row in caolanh.get_json()["result"]}
    assert "DT17-29881-UB" in codes and not any(c.startswith("DT17-876") for c in codes)
    for username in ("admin", "btcd.giamsat"):
        assert _api_get(client, username, "/api/v1/agency/").get_json()["count"] == AGENCY_COUNT


def test_api_shows_relations_as_nested_objects(app, client):
    body = _api_get(client, "admin", "/api/v1/agency/", query_string={"q": "(page_size:100)"})
    board = next(row for row in body.get_json()["result"] if row["code"] == "DT17-866-TCD")
    assert board["parent"]["code"] == "DT17-866-VP"
    assert board["kind"]["code"] == "district_reception_board"
    assert "parent_id" not in board and "kind_id" not in board


def test_api_info_describes_fields_without_leaking_catalog_headers(app, client):
    info = _api_get(client, "admin", "/api/v1/agency/_info").get_json()
    for field in info["add_columns"]:
        assert "Project-Id-Version" not in field["description"]


def test_leader_reads_but_cannot_write(app, client):
    token = api_token(client, "lanhdao.tinh")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/agency/", headers=headers).get_json()["count"] == AGENCY_COUNT
    response = client.post(
        "/api/v1/agency/",
        json={"code": "DT17-NEW", "name": "Ban mới", "kind": 1, "parent": 1},
        headers=headers,
    )
    assert response.status_code == 403
    assert (
        client.put("/api/v1/agency/1", json={"name": "Đổi tên"}, headers=headers).status_code == 403
    )
    login(client, "lanhdao.tinh")
    assert client.get("/agencymodelview/list/").status_code == 200
    assert client.get("/agencymodelview/add").status_code == 403
    assert client.get("/agencymodelview/edit/1").status_code == 403
    assert client.post("/agencymodelview/delete/1").status_code == 403


def _grant_agency_writes(app, role_name: str) -> None:
    """What a system administrator could do in the Roles screen."""
    from flask_appbuilder.security.sqla.models import PermissionView

    with app.app_context():
        role = app.appbuilder.sm.find_role(role_name)
        for pv in db.session.query(PermissionView).all():
            if pv.view_menu.name == "AgencyApi" and pv not in role.permissions:
                role.permissions.append(pv)
        db.session.commit()
        db.session.remove()


def _agency(app, code: str) -> dict | None:
    with app.app_context():
        agency = db.session.scalar(select(Agency).where(Agency.code == code))
        found = None if agency is None else {"id": agency.id, "parent": agency.parent.code}
        db.session.remove()
    return found


def _agency_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(Agency.id)))
        db.session.remove()
    return count


def test_api_writes_cannot_reach_another_district(app, client):
    _grant_agency_writes(app, roles.AGENCY_ADMIN)
    headers = {"Authorization": f"Bearer {api_token(client, 'caolanh.quantri')}"}
    lai_vung = _agency(app, "DT17-876-UB")["id"]
    cao_lanh = _agency(app, "DT17-866-UB")["id"]
    ward = _agency(app, "DT17-29866-UB")["id"]
    new_commune = {"code": "DT17-29999-UB", "name": "Ủy ban nhân dân Xã Mỹ Hòa", "kind": 11}

    refused = client.post(
        "/api/v1/agency/", json={**new_commune, "parent": lai_vung}, headers=headers
    )
    assert refused.status_code == 422
    with app.test_request_context():
        expected = gettext(
            "“%(field)s”: the chosen record is outside your data scope.",
            field=gettext("Parent agency"),
        )
    assert refused.get_json()["errors"] == {"parent": [expected]}
    assert _agency(app, "DT17-29999-UB") is None

    moved = client.put(f"/api/v1/agency/{ward}", json={"parent": lai_vung}, headers=headers)
    assert moved.status_code == 422
    assert _agency(app, "DT17-29866-UB")["parent"] == "DT17-866-UB"

    root = client.put(f"/api/v1/agency/{cao_lanh}", json={"parent": ward}, headers=headers)
    assert root.status_code == 422  # its parent (the province) is outside the scope
    assert _agency(app, "DT17-866-UB")["parent"] == "DT17-UBT"

    assert (
        client.put(f"/api/v1/agency/{lai_vung}", json={"name": "X"}, headers=headers).status_code
        == 404
    )

    created = client.post(
        "/api/v1/agency/", json={**new_commune, "parent": cao_lanh}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    assert _agency(app, "DT17-29999-UB")["parent"] == "DT17-866-UB"


def test_api_refuses_a_cycle_in_the_tree_with_a_message(app, client):
    headers = {"Authorization": f"Bearer {api_token(client, 'admin')}"}
    cao_lanh = _agency(app, "DT17-866-UB")["id"]
    ward = _agency(app, "DT17-29866-UB")["id"]
    before = _agency_count(app)
    response = client.put(f"/api/v1/agency/{cao_lanh}", json={"parent": ward}, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["parent"]
    assert _agency(app, "DT17-866-UB")["parent"] == "DT17-UBT"
    assert _agency_count(app) == before
