"""The main screens speak Vietnamese: no English label left, dialogs, errors, language menu.

Each page is rendered for a logged-in Vietnamese user; its visible text (tags, scripts and
styles stripped, plus the title, placeholder, alt, aria-label and data-placeholder
attributes and the value of buttons) is searched for the English words of FAB's
interface. Proper data (agency names, usernames, codes) is Vietnamese or lowercase and
does not match; FAB's technical permission names ("can list on AgencyModelView") are
removed before the search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_appbuilder import ModelView
from sqlalchemy import func, select

from tests.conftest import login

ENGLISH_UI_WORDS = [
    "List", "Add", "Edit", "Delete", "Search", "Record Count", "Actions", "Action", "Save",
    "Back", "Show", "Detail", "Login", "Log in", "Logout", "Sign In", "User", "Users",
    "Username", "User Name", "Role", "Roles", "Permission", "Permissions", "Filter",
    "Security", "Language", "Page", "Page size", "No records found", "Name", "First Name",
    "Last Name", "Email", "Password", "Active", "Is Active", "Profile", "Welcome", "Select",
    "Cancel", "OK", "Yes", "No", "True", "False", "None", "Not Found", "Group", "Groups",
    "Created", "Changed", "Code", "Kind", "Agency", "Agencies", "Audit", "Log", "Calendar",
    "Day", "Date", "Time", "Reason", "Record", "Table", "Hash", "At", "Id", "Unit",
    "Length", "Note", "Status", "Valid", "From", "To", "Order", "Equal", "Contains",
    "Starts with", "Greater than", "Smaller than", "Relation", "Home", "Submit", "Close",
    "Confirm", "Reset", "Register", "Invalid", "Error", "Please", "Click", "View", "Menu",
    "Info", "Statistics", "Count", "Total", "Next", "Previous", "Parent", "Office", "Rule",
    "Limit", "Label", "Changes", "Type", "Short",
]  # fmt: skip
_ENGLISH = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH_UI_WORDS)) + r")(?![\w-])")
# FAB prints permissions as "<permission> on <view or menu name>": technical data.
_PERMISSION = re.compile(r"\b(?:can [a-z_ ]+?|menu access|[a-z_]+) on [^,\]\n]+")
_VISIBLE_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label", "data-placeholder")


class VisibleText(HTMLParser):
    """The text a user can see or hear on a page."""

    hidden_tags = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__()
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.hidden_tags:
            self.hidden_depth += 1
            return
        attributes = dict(attrs)
        self.parts += [attributes[name] or "" for name in _VISIBLE_ATTRIBUTES if name in attributes]
        if tag == "button" or attributes.get("type") in ("submit", "button", "reset"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.hidden_tags:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def english_leftovers(html: str) -> list[str]:
    """The English UI words found in the visible text of ``html``, in order."""
    parser = VisibleText()
    parser.feed(html)
    text = _PERMISSION.sub(" ", "\n".join(part.strip() for part in parser.parts if part.strip()))
    return _ENGLISH.findall(text)


def test_english_detector_finds_labels_and_ignores_data() -> None:
    html = (
        "<title>List Agency</title><script>var x = 'Delete';</script>"
        '<input type="submit" value="Save"><a title="Show record">Xem</a>'
        "<td>DT17-866-UB</td><td>caolanh.tcd</td><td>[can list on AgencyModelView, "
        "menu access on Agency list]</td><td>True</td><td>Ủy ban nhân dân Phường 1</td>"
    )
    assert english_leftovers(html) == ["List", "Agency", "Save", "Show", "True"]


def _model_view_url(model_name: str, page: str) -> Callable[[Flask], str]:
    def url(app: Flask) -> str:
        from app import models
        from app.extensions import db

        model = getattr(models, model_name)
        for view in app.appbuilder.baseviews:
            if isinstance(view, ModelView) and view.datamodel.obj is model:
                if page == "list":
                    return f"{view.route_base}/list/"
                if page == "add":
                    return f"{view.route_base}/add"
                with app.app_context():
                    record_id = db.session.scalar(select(func.min(model.id)))
                return f"{view.route_base}/{page}/{record_id}"
        raise LookupError(f"no model view of {model_name}")

    return url


PAGES = {
    "home": lambda app: "/",
    "agency list": _model_view_url("Agency", "list"),
    "agency show": _model_view_url("Agency", "show"),
    "agency add": _model_view_url("Agency", "add"),
    "agency edit": _model_view_url("Agency", "edit"),
    "user list": lambda app: "/users/list/",
    "user add": lambda app: "/users/add",
    "role list": lambda app: "/roles/list/",
    "audit log list": _model_view_url("AuditLog", "list"),
    "calendar override list": _model_view_url("CalendarOverride", "list"),
    "time limit list": _model_view_url("TimeLimitRule", "list"),
}


@pytest.fixture(scope="module")
def admin(app: Flask) -> FlaskClient:
    """One logged-in administrator for the module (the session has no language yet: vi)."""
    client = app.test_client()
    login(client, "admin")
    return client


def test_vietnamese_ui_is_installed(app: Flask) -> None:
    assert "donthu_ui" in app.extensions, "create_app must call app.ui.setup.init_ui(app)"


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_english_label(app: Flask, admin: FlaskClient, page: str) -> None:
    response = admin.get(PAGES[page](app), follow_redirects=True)
    assert response.status_code == 200
    leftovers = english_leftovers(response.get_data(as_text=True))
    assert not leftovers, f"English on the {page} page: {sorted(set(leftovers))}"


def test_login_page_and_its_errors_are_vietnamese(client: FlaskClient) -> None:
    page = client.get("/login/").get_data(as_text=True)
    assert "Nhập tên đăng nhập và mật khẩu" in page
    assert english_leftovers(page) == []
    empty = client.post("/login/", data={"username": "", "password": ""}).get_data(as_text=True)
    assert "Trường này là bắt buộc." in empty
    assert english_leftovers(empty) == []
    wrong = client.post(
        "/login/", data={"username": "admin", "password": "sai"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Đăng nhập không thành công. Vui lòng thử lại." in wrong


def test_unknown_address_gives_a_vietnamese_404(admin: FlaskClient) -> None:
    response = admin.get("/khong-co-trang-nay")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Không tìm thấy trang" in page
    assert english_leftovers(page) == []
    api = admin.get("/api/v1/khong-co")
    assert (api.status_code, api.get_json()) == (
        404,
        {"code": "not_found", "message": "Không tìm thấy, hoặc nằm ngoài phạm vi dữ liệu của bạn."},
    )


def test_access_denied_is_vietnamese(client: FlaskClient) -> None:
    login(client, "caolanh.tcd")
    response = client.get("/roles/list/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Không có quyền truy cập" in page
    assert english_leftovers(page) == []


def test_new_session_is_vietnamese_and_english_can_be_chosen_and_left(
    client: FlaskClient,
) -> None:
    page = client.get("/login/").get_data(as_text=True)
    assert '<i class="flag vn">' in page
    assert "/lang/en" in page
    assert "/lang/vi" not in page
    login(client, "admin")
    assert "Đăng xuất" in client.get("/").get_data(as_text=True)

    assert client.get("/lang/en").status_code == 302
    english = client.get("/users/list/").get_data(as_text=True)
    assert "Logout" in english
    assert "List Users" in english
    assert "/lang/vi" in english

    assert client.get("/lang/vi").status_code == 302
    vietnamese = client.get("/users/list/").get_data(as_text=True)
    assert "Đăng xuất" in vietnamese
    assert "Danh sách người dùng" in vietnamese
