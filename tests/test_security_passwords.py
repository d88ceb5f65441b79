"""R11, R23: the password policy wherever a password is set, and the forced change of a
password an administrator set (new account, reset).

"admin" is a system administrator of the Provincial PC Office; ttt.chuyenvien a clerk of
the provincial inspectorate (Phạm Quốc Bảo).
"""

from __future__ import annotations

import pytest
from flask_appbuilder.cli import fab
from sqlalchemy import select

from app.agencies.models import Agency
from app.extensions import db
from app.security import roles
from app.security.passwords import PasswordRefused, check_password, password_problems
from tests.conftest import DEMO_PASSWORD, login

GOOD_PASSWORD = "SongTien@Xanh2026"
OWN_PASSWORD = "CauMyThuan#Moi2026"


def _account(app, username: str) -> dict | None:
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=username)
        found = None
        if user is not None:
            found = {
                "id": user.id,
                "must_change_password": bool(user.must_change_password),
                "password": user.password,
            }
        db.session.remove()
    return found


def _new_account_form(app, username: str, password: str) -> dict:
    with app.app_context():
        agency_id = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-TTT"))
        role_id = app.appbuilder.sm.find_role(roles.CLERK).id
        db.session.remove()
    return {
        "first_name": "Đặng Thị",
        "last_name": "Thu",
        "username": username,
        "email": f"{username}@dongthap.example.vn",
        "active": "y",
        "agency": str(agency_id),
        "roles": str(role_id),
        "password": password,
        "conf_password": password,
    }


# --- the rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "username", "broken"),
    [
        ("Ngan@26", "ttt.thu", "ít nhất 10 ký tự"),
        ("iloveyou2026!", "ttt.thu", "quá phổ biến"),
        ("1234567890", "ttt.thu", "quá phổ biến"),
        ("Matkhau@123456", "ttt.thu", "quá phổ biến"),
        ("ttt.thu@DongThap", "ttt.thu", "không được chứa tên đăng nhập"),
        ("Cao-Lanh!Thu2026", "thu.caolanh", "không được chứa tên đăng nhập"),
    ],
)
def test_each_rule_refuses_a_weak_password(app_ctx, password, username, broken):
    with app_ctx.test_request_context("/"):
        problems = password_problems(password, username)
    assert any(broken in problem for problem in problems), problems


def test_a_long_uncommon_password_without_the_username_is_accepted(app_ctx):
    with app_ctx.test_request_context("/"):
        assert password_problems("Sen hồng Tháp Mười 2026", "ttt.thu") == []
        assert password_problems(GOOD_PASSWORD, "ttt.thu") == []


def test_the_messages_are_vietnamese_and_name_every_broken_rule(app_ctx):
    with app_ctx.test_request_context("/"), pytest.raises(PasswordRefused) as refused:
        check_password("caolanh26", "caolanh.tcd")
    assert "ít nhất 10 ký tự" in str(refused.value)
    assert "không được chứa tên đăng nhập" in str(refused.value)


# --- the screens -----------------------------------------------------------------------


def test_admin_cannot_create_an_account_with_a_weak_password(app, client):
    login(client, "admin")
    response = client.post("/users/add", data=_new_account_form(app, "ttt.thu", "matkhau123"))
    assert response.status_code == 200
    assert "Mật khẩu này quá phổ biến" in response.get_data(as_text=True)
    assert _account(app, "ttt.thu") is None


def test_an_account_created_by_an_admin_must_choose_its_own_password(app, client):
    login(client, "admin")
    response = client.post("/users/add", data=_new_account_form(app, "ttt.thu", GOOD_PASSWORD))
    assert response.status_code == 302
    assert _account(app, "ttt.thu")["must_change_password"] is True

    holder = app.test_client()
    login(holder, "ttt.thu", GOOD_PASSWORD)
    page = holder.get("/petitions/list/", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert page.request.path == "/resetmypassword/form"
    assert "Mật khẩu của bạn do quản trị viên đặt" in html
    api = holder.get("/api/v1/petitions/")
    assert api.status_code == 403
    assert api.get_json()["code"] == "password_change_required"

    changed = holder.post(
        "/resetmypassword/form",
        data={
            "current_password": GOOD_PASSWORD,
            "password": OWN_PASSWORD,
            "conf_password": OWN_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert _account(app, "ttt.thu")["must_change_password"] is False
    # The session that changed the password goes on, to any page.
    assert holder.get("/resetmypassword/form").status_code == 200
    assert holder.get("/").status_code == 200


def test_own_change_needs_the_current_password_and_a_new_one(app, client):
    login(client, "ttt.chuyenvien")
    before = _account(app, "ttt.chuyenvien")["password"]
    wrong_current = client.post(
        "/resetmypassword/form",
        data={
            "current_password": "KhongPhai@2026",
            "password": OWN_PASSWORD,
            "conf_password": OWN_PASSWORD,
        },
    )
    assert "Mật khẩu hiện tại không đúng" in wrong_current.get_data(as_text=True)
    same = client.post(
        "/resetmypassword/form",
        data={
            "current_password": DEMO_PASSWORD,
            "password": DEMO_PASSWORD,
            "conf_password": DEMO_PASSWORD,
        },
    )
    assert "Mật khẩu mới phải khác mật khẩu hiện tại" in same.get_data(as_text=True)
    with_name = client.post(
        "/resetmypassword/form",
        data={
            "current_password": DEMO_PASSWORD,
            "password": "ChuyenVien@2026",
            "conf_password": "ChuyenVien@2026",
        },
    )
    assert "không được chứa tên đăng nhập" in with_name.get_data(as_text=True)
    assert _account(app, "ttt.chuyenvien")["password"] == before


def test_admin_reset_is_checked_and_makes_the_password_temporary(app, client):
    clerk = _account(app, "ttt.chuyenvien")
    login(client, "admin")
    weak = client.post(
        f"/resetpassword/form?pk={clerk['id']}",
        data={"password": "ttt.chuyenvien1", "conf_password": "ttt.chuyenvien1"},
    )
    assert "không được chứa tên đăng nhập" in weak.get_data(as_text=True)
    assert _account(app, "ttt.chuyenvien")["password"] == clerk["password"]

    reset = client.post(
        f"/resetpassword/form?pk={clerk['id']}",
        data={"password": GOOD_PASSWORD, "conf_password": GOOD_PASSWORD},
    )
    assert reset.status_code == 302
    assert _account(app, "ttt.chuyenvien")["must_change_password"] is True
    holder = app.test_client()
    login(holder, "ttt.chuyenvien", GOOD_PASSWORD)
    assert holder.get("/").headers["Location"].endswith("/resetmypassword/form")


# --- the commands ----------------------------------------------------------------------


def test_flask_fab_commands_refuse_a_weak_password(app):
    runner = app.test_cli_runner()
    created = runner.invoke(
        fab,
        args=[
            "create-user",
            "--role",
            roles.CLERK,
            "--username",
            "ttt.thu",
            "--firstname",
            "Đặng Thị",
            "--lastname",
            "Thu",
            "--email",
            "ttt.thu@dongthap.example.vn",
            "--password",
            "password123",
        ],
    )
    assert "No user created" in created.output
    assert _account(app, "ttt.thu") is None

    before = _account(app, "ttt.chuyenvien")["password"]
    reset = runner.invoke(
        fab, args=["reset-password", "--username", "ttt.chuyenvien", "--password", "qwerty12345"]
    )
    assert isinstance(reset.exception, PasswordRefused)
    assert "quá phổ biến" in str(reset.exception)
    assert _account(app, "ttt.chuyenvien")["password"] == before

    accepted = runner.invoke(
        fab, args=["reset-password", "--username", "ttt.chuyenvien", "--password", GOOD_PASSWORD]
    )
    assert accepted.exit_code == 0, accepted.output
    assert _account(app, "ttt.chuyenvien")["password"] != before


def test_after_the_first_change_the_next_user_on_the_computer_lands_on_the_home_page(app, client):
    """R23 on a shared computer (browser scenario, issue 8): the administrator signs out
    from the account list; the new clerk, signed in on the same browser, chooses their
    password and lands on the home page, not on the administrator's last page (refused)."""
    login(client, "admin")
    client.post("/users/add", data=_new_account_form(app, "ttt.thu", GOOD_PASSWORD))
    assert client.get("/users/list/").status_code == 200
    client.get("/logout/")
    login(client, "ttt.thu", GOOD_PASSWORD)
    changed = client.post(
        "/resetmypassword/form",
        data={
            "current_password": GOOD_PASSWORD,
            "password": OWN_PASSWORD,
            "conf_password": OWN_PASSWORD,
        },
    )
    assert changed.status_code == 302
    assert changed.headers["Location"] == "/"
    assert client.get("/").status_code == 200
