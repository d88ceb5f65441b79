"""R10: an agency administrator manages the accounts of their subtree and cannot escalate.

caolanh.quantri administers the City PC of Cao Lãnh (DT17-866-UB); its subtree holds the
city office, inspectorate, reception board and the communes (Mỹ Ngãi …). Lai Vung is
another district; "admin" is a system administrator of the Provincial PC Office.
"""

from __future__ import annotations

import re

import pytest
from flask_babel import gettext
from sqlalchemy import select

from app.agencies.models import Agency
from app.demo.accounts import DEMO_ACCOUNTS
from app.extensions import db
from app.security import roles
from app.security.models import AppUser
from app.security.user_admin import check_account_change, grantable_role_names, manageable_user
from app.security.write_guard import WriteRefused, check_write_scope, guarded_relations
from tests.conftest import DEMO_PASSWORD, login

NEW_PASSWORD = "MatKhau@Moi2026"


# The demo agency administrator of Cao Lãnh holds the district's working roles (R10).
CAO_LANH_ADMIN_ROLES = set(
    next(account.all_roles for account in DEMO_ACCOUNTS if account.username == "caolanh.quantri")
)


def _ids(app, *codes: str) -> list[int]:
    with app.app_context():
        ids = [db.session.scalar(select(Agency.id).where(Agency.code == code)) for code in codes]
        db.session.remove()
    return ids


def _role_id(app, name: str) -> int:
    with app.app_context():
        role_id = app.appbuilder.sm.find_role(name).id
        db.session.remove()
    return role_id


def _user(app, username: str) -> dict | None:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        found = (
            None
            if user is None
            else {
                "id": user.id,
                "agency": user.agency.code if user.agency else None,
                "roles": {role.name for role in user.roles},
                "active": user.active,
            }
        )
        db.session.remove()
    return found


def _give_role(app, username: str, role_name: str) -> None:
    with app.app_context():
        sm = app.appbuilder.sm
        user = sm.find_user(username=username)
        role = sm.find_role(role_name)
        if role not in user.roles:
            user.roles.append(role)
        db.session.commit()
        db.session.remove()


def _message(app, msgid: str, **params) -> str:
    """The message as the Vietnamese interface renders it (escaped like in the page)."""
    with app.test_request_context():
        text = gettext(msgid, **params)
    return text.replace("'", "&#39;").replace('"', "&#34;")


def _new_clerk_form(agency_id: int, role_id: int, username: str = "myngai.binh") -> dict:
    return {
        "first_name": "Nguyễn Văn",
        "last_name": "Bình",
        "username": username,
        "email": f"{username}@dongthap.example.vn",
        "active": "y",
        "agency": str(agency_id),
        "roles": str(role_id),
        "password": "SongTien@Xanh2026",
        "conf_password": "SongTien@Xanh2026",
    }


def _options(html: str, name: str) -> dict[str, str]:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no picker {name}"
    pairs = re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)', match.group(1))
    return {value: label.strip() for value, label in pairs if value != "__None"}


def test_agency_admin_lists_only_the_accounts_of_the_city(app, client):
    login(client, "caolanh.quantri")
    page = client.get("/users/list/").get_data(as_text=True)
    for username in ("caolanh.tcd", "caolanh.vanphong", "caolanh.thanhtra", "xa.myngai"):
        assert username in page
    for username in ("laivung.tcd", "admin", "btcd.giamsat", "ttt.chuyenvien"):
        assert username not in page


def test_agency_admin_pickers_offer_the_city_and_only_roles_they_hold(app, client):
    _give_role(app, "caolanh.quantri", roles.CLERK)
    login(client, "caolanh.quantri")
    form = client.get("/users/add").get_data(as_text=True)
    agencies = set(_options(form, "agency").values())
    assert "Ủy ban nhân dân Xã Mỹ Ngãi" in agencies
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in agencies
    assert "Ban Tiếp công dân huyện Lai Vung" not in agencies
    assert "Ủy ban nhân dân tỉnh Đồng Tháp" not in agencies
    assert set(_options(form, "roles").values()) == CAO_LANH_ADMIN_ROLES


def test_agency_admin_creates_a_commune_clerk_with_a_role_they_hold(app, client):
    _give_role(app, "caolanh.quantri", roles.CLERK)
    my_ngai = _ids(app, "DT17-29881-UB")[0]
    login(client, "caolanh.quantri")
    response = client.post("/users/add", data=_new_clerk_form(my_ngai, _role_id(app, roles.CLERK)))
    assert response.status_code == 302
    created = _user(app, "myngai.binh")
    assert created["agency"] == "DT17-29881-UB"
    assert created["roles"] == {roles.CLERK}
    client.get("/logout/")
    login(client, "myngai.binh", "SongTien@Xanh2026")


@pytest.mark.parametrize(
    ("role", "agency_code"),
    [
        (roles.SYSADMIN, "DT17-29881-UB"),  # the system administrator role
        (roles.PUBLIC, "DT17-29881-UB"),  # never granted by an agency admin
        (roles.MONITOR, "DT17-29881-UB"),  # a role the admin does not hold
        (roles.AGENCY_ADMIN, "DT17-876-UB"),  # an agency of another district
    ],
)
def test_crafted_account_creation_that_escalates_is_refused(app, client, role, agency_code):
    agency_id = _ids(app, agency_code)[0]
    login(client, "caolanh.quantri")
    response = client.post("/users/add", data=_new_clerk_form(agency_id, _role_id(app, role)))
    assert response.status_code == 200  # the form comes back with the error
    assert 'class="help-block"' in response.get_data(as_text=True)
    assert _user(app, "myngai.binh") is None


def test_crafted_edit_granting_the_sysadmin_role_is_refused(app, client):
    target = _user(app, "caolanh.tcd")
    login(client, "caolanh.quantri")
    data = {
        "first_name": "Nguyễn Thị",
        "last_name": "Lan",
        "username": "caolanh.tcd",
        "email": "caolanh.tcd@dongthap.example.vn",
        "active": "y",
        "agency": str(_ids(app, "DT17-866-TCD")[0]),
        "roles": str(_role_id(app, roles.SYSADMIN)),
    }
    client.post(f"/users/edit/{target['id']}", data=data)
    assert _user(app, "caolanh.tcd")["roles"] == {roles.CLERK}


def test_accounts_of_another_district_cannot_be_opened_edited_or_reset(app, client):
    other = _user(app, "laivung.tcd")
    login(client, "caolanh.quantri")
    assert client.get(f"/users/show/{other['id']}").status_code == 404
    assert client.get(f"/users/edit/{other['id']}").status_code == 404
    response = client.post(
        f"/users/edit/{other['id']}",
        data={"first_name": "X", "last_name": "Y", "username": "laivung.tcd", "active": ""},
    )
    assert response.status_code == 404
    response = client.post(
        f"/resetpassword/form?pk={other['id']}",
        data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert response.status_code == 404
    client.get("/logout/")
    login(client, "laivung.tcd", DEMO_PASSWORD)


def test_agency_admin_resets_the_password_of_a_city_clerk(app, client):
    _give_role(app, "caolanh.quantri", roles.CLERK)
    target = _user(app, "caolanh.tcd")
    login(client, "caolanh.quantri")
    assert client.get(f"/resetpassword/form?pk={target['id']}").status_code == 200
    response = client.post(
        f"/resetpassword/form?pk={target['id']}",
        data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert response.status_code == 302
    client.get("/logout/")
    login(client, "caolanh.tcd", NEW_PASSWORD)


def test_an_account_holding_a_role_the_admin_lacks_cannot_be_taken_over(app, client):
    _give_role(app, "caolanh.thanhtra", roles.MONITOR)
    target = _user(app, "caolanh.thanhtra")
    login(client, "caolanh.quantri")
    response = client.post(
        f"/resetpassword/form?pk={target['id']}",
        data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD},
    )
    assert response.status_code == 404
    client.get("/logout/")
    login(client, "caolanh.thanhtra", DEMO_PASSWORD)


def test_agency_admin_cannot_change_their_own_roles(app, client):
    _give_role(app, "caolanh.quantri", roles.CLERK)
    me = _user(app, "caolanh.quantri")
    login(client, "caolanh.quantri")
    data = {
        "first_name": "Đặng Văn",
        "last_name": "Hải",
        "username": "caolanh.quantri",
        "email": "caolanh.quantri@dongthap.example.vn",
        "active": "y",
        "agency": str(_ids(app, "DT17-866-UB")[0]),
        "roles": str(_role_id(app, roles.CLERK)),
    }
    page = client.post(f"/users/edit/{me['id']}", data=data, follow_redirects=True)
    expected = _message(
        app,
        "You cannot change your own roles, agency or active status; ask a system administrator.",
    )
    assert expected in page.get_data(as_text=True)
    assert _user(app, "caolanh.quantri")["roles"] == CAO_LANH_ADMIN_ROLES


def test_deleting_an_account_is_not_offered_deactivating_keeps_it(app, client):
    _give_role(app, "caolanh.quantri", roles.CLERK)
    target = _user(app, "xa.myngai")
    login(client, "caolanh.quantri")
    assert f"/users/delete/{target['id']}" not in client.get("/users/list/").get_data(as_text=True)
    assert client.post(f"/users/delete/{target['id']}").status_code == 404
    data = {
        "first_name": "Lý Thị",
        "last_name": "Mai",
        "username": "xa.myngai",
        "email": "xa.myngai@dongthap.example.vn",
        "agency": str(_ids(app, "DT17-29881-UB")[0]),
        "roles": str(_role_id(app, roles.CLERK)),
    }
    assert client.post(f"/users/edit/{target['id']}", data=data).status_code == 302
    kept = _user(app, "xa.myngai")
    assert kept["active"] is False
    assert kept["agency"] == "DT17-29881-UB"
    client.get("/logout/")
    refused = client.post("/login/", data={"username": "xa.myngai", "password": DEMO_PASSWORD})
    assert refused.status_code == 302
    assert "/login" in refused.headers["Location"]


def test_a_login_with_an_unknown_username_is_refused_like_a_wrong_password(app, client):
    for username, password in (("khong.co.ai", DEMO_PASSWORD), ("caolanh.tcd", "sai-mat-khau")):
        response = client.post("/login/", data={"username": username, "password": password})
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_system_administrator_manages_every_account_but_deletes_none(app, client):
    login(client, "admin")
    page = client.get("/users/list/").get_data(as_text=True)
    for username in ("laivung.tcd", "caolanh.tcd", "btcd.giamsat", "lanhdao.tinh"):
        assert username in page
    form = client.get("/users/add").get_data(as_text=True)
    assert roles.SYSADMIN in _options(form, "roles").values()
    assert "Ủy ban nhân dân tỉnh Đồng Tháp" in _options(form, "agency").values()
    target = _user(app, "laivung.tcd")
    assert client.post(f"/users/delete/{target['id']}").status_code == 404
    assert _user(app, "laivung.tcd") is not None


def test_only_system_administrators_open_the_role_screen(app, client):
    login(client, "caolanh.quantri")
    assert client.get("/roles/list/").status_code == 403
    client.get("/logout/")
    login(client, "admin")
    assert client.get("/roles/list/").status_code == 200


def test_the_user_statistics_chart_is_not_offered(app, client):
    names = {type(view).__name__ for view in app.appbuilder.baseviews}
    assert "UserStatsChartView" not in names
    login(client, "admin")
    page = client.get("/users/list/").get_data(as_text=True)
    assert "User's Statistics" not in page
    assert "gstatic" not in page and "google" not in page.lower()


# --- the rules themselves (app.security.user_admin), behind the screens' pickers ---


def _account(app_ctx, username: str) -> AppUser:
    return app_ctx.appbuilder.sm.find_user(username=username)


def test_grantable_roles_are_the_held_ones_except_sysadmin_and_guest(app_ctx):
    sm = app_ctx.appbuilder.sm
    admin = _account(app_ctx, "caolanh.quantri")
    admin.roles.append(sm.find_role(roles.PUBLIC))
    db.session.commit()
    assert grantable_role_names(admin) == CAO_LANH_ADMIN_ROLES
    assert grantable_role_names(_account(app_ctx, "admin")) is None


def test_rules_refuse_escalation_even_past_the_pickers(app_ctx):
    sm = app_ctx.appbuilder.sm
    admin = _account(app_ctx, "caolanh.quantri")
    my_ngai = db.session.scalar(select(Agency).where(Agency.code == "DT17-29881-UB"))
    sysadmin, agency_admin = sm.find_role(roles.SYSADMIN), sm.find_role(roles.AGENCY_ADMIN)
    crafted = AppUser(username="myngai.an", agency=my_ngai, roles=[sysadmin])
    with pytest.raises(WriteRefused) as refused:
        check_account_change(admin, crafted)
    assert refused.value.field == "roles"
    assert roles.SYSADMIN in refused.value.message
    crafted.roles = [agency_admin]
    check_account_change(admin, crafted)
    crafted.agency = None
    with pytest.raises(WriteRefused) as refused:
        check_account_change(admin, crafted)
    assert refused.value.field == "agency"


def test_rules_refuse_changing_an_account_with_roles_the_admin_cannot_grant(app_ctx):
    sm = app_ctx.appbuilder.sm
    admin = _account(app_ctx, "caolanh.quantri")
    inspector = _account(app_ctx, "caolanh.thanhtra")
    inspector.roles.append(sm.find_role(roles.MONITOR))
    db.session.commit()
    inspector.first_name = "Trương Minh"
    with pytest.raises(WriteRefused) as refused:
        check_account_change(admin, inspector)
    assert roles.MONITOR in refused.value.message
    assert manageable_user(admin, inspector.id) is None
    assert manageable_user(admin, _account(app_ctx, "caolanh.tcd").id) is not None
    admin.roles = [role for role in admin.roles if role.name != roles.CLERK]
    db.session.commit()
    assert manageable_user(admin, _account(app_ctx, "caolanh.tcd").id) is None
    admin.roles.append(sm.find_role(roles.CLERK))
    db.session.commit()
    assert manageable_user(admin, _account(app_ctx, "caolanh.tcd").id) is not None
    assert manageable_user(admin, _account(app_ctx, "laivung.tcd").id) is None
    assert manageable_user(admin, "not-a-number") is None


def test_editing_their_own_account_in_a_form_does_not_widen_an_admins_scope(app_ctx):
    """The edited account is the very object that is g.user: its unsaved agency and roles
    must not count until saved."""
    sm = app_ctx.appbuilder.sm
    admin = _account(app_ctx, "caolanh.quantri")
    province = db.session.scalar(select(Agency).where(Agency.code == "DT17-UBT"))
    sysadmin = sm.find_role(roles.SYSADMIN)
    assert admin.roles  # loaded, as g.user's roles are after the permission checks
    # what populate_obj does on the admin's own edit form, before pre_update runs
    admin.agency = province
    admin.roles = [sysadmin]
    assert grantable_role_names(admin) == CAO_LANH_ADMIN_ROLES
    with pytest.raises(WriteRefused) as refused:
        check_write_scope(admin, guarded_relations(AppUser), admin)
    assert refused.value.field == "agency"


def test_every_user_opens_their_own_profile_but_not_the_account_list(app, client):
    login(client, "laivung.tcd")
    profile = client.get("/users/userinfo/")
    assert profile.status_code == 200
    assert "laivung.tcd" in profile.get_data(as_text=True)
    assert client.get("/users/list/").status_code == 403
    assert client.get("/users/add").status_code == 403
