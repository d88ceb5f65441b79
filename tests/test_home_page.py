"""The landing page per role: who I am, today's date, what needs my attention, where to go."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.core.clock import set_now
from tests.conftest import login

CAO_LANH_CHAIN = [
    "Ủy ban nhân dân tỉnh Đồng Tháp",
    "Ủy ban nhân dân thành phố Cao Lãnh",
    "Văn phòng HĐND và UBND thành phố Cao Lãnh",
    "Ban Tiếp công dân thành phố Cao Lãnh",
]


@dataclass(frozen=True)
class ShownCard:
    """A card as the page shows it."""

    severity: str
    count: int
    title: str
    examples: list[str]
    link: str


def shown_cards(page: str) -> list[ShownCard]:
    """The attention cards of a rendered landing page, in page order."""
    cards = []
    for block in page.split('class="panel panel-')[1:]:
        count = re.search(r'<span class="home-count">(\d+)</span>', block)
        if count is None:
            continue
        title = re.search(r'<span class="home-title">([^<]*)</span>', block).group(1)
        examples = re.findall(r"<li>([^<]*)</li>", block.split('class="panel-footer')[0])
        link = re.search(r'class="panel-footer[^"]*">\s*<a href="([^"]+)"', block).group(1)
        cards.append(
            ShownCard(
                block.split()[0].rstrip('"'),
                int(count.group(1)),
                html.unescape(title),
                [html.unescape(example) for example in examples],
                html.unescape(link),
            )
        )
    return cards


def quick_link_urls(page: str) -> list[str]:
    block = page.split('class="list-group home-links"')[1].split("</div>")[0]
    return [html.unescape(url) for url in re.findall(r'href="([^"]+)"', block)]


def vi(app: Flask, msgid: str) -> str:
    """The Vietnamese text the page shows for ``msgid``."""
    with app.test_request_context(), force_locale("vi"):
        return gettext(msgid)


def card(app: Flask, page: str, msgid: str) -> ShownCard | None:
    """The card titled ``msgid`` (in Vietnamese), or None when the page has none."""
    title = vi(app, msgid)
    return next((shown for shown in shown_cards(page) if shown.title == title), None)


def menu_url(app: Flask, name: str) -> str:
    with app.test_request_context():
        return app.appbuilder.menu.find(name).get_url()


def home_of(app: Flask, username: str) -> str:
    client = app.test_client()
    login(client, username)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_visitor_is_sent_to_the_login_form(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login/" in response.headers["Location"]


def test_clerk_sees_name_agency_chain_role_and_vietnamese_date(app):
    set_now(dt.datetime(2026, 11, 27, 9, 0))
    page = home_of(app, "caolanh.tcd")
    assert "Nguyễn Thị Lan" in page
    assert "Thứ Sáu, ngày 27 tháng 11 năm 2026" in page
    positions = [page.index(name) for name in CAO_LANH_CHAIN]
    assert positions == sorted(positions), "agency chain not shown from the top down"
    assert "Chuyên viên xử lý đơn" in page
    assert "Ban Tiếp công dân huyện Lai Vung" not in page


def test_date_is_vietnamese_local_date_not_utc(app):
    set_now(dt.datetime(2026, 11, 28, 0, 30))  # 17:30 on the 27th in UTC
    assert "Thứ Bảy, ngày 28 tháng 11 năm 2026" in home_of(app, "caolanh.tcd")


def test_clerk_has_nothing_urgent_and_only_the_agency_list_link(app):
    page = home_of(app, "caolanh.tcd")
    assert [shown for shown in shown_cards(page) if shown.severity != "info"] == []
    assert vi(app, "Nothing needs your attention today.") in page
    assert quick_link_urls(page) == [menu_url(app, "Agency list")]


@pytest.mark.parametrize(
    ("username", "menus"),
    [
        ("admin", ["List Users", "Agency list", "Audit log", "Calendar overrides"]),
        ("caolanh.quantri", ["List Users", "Agency list"]),
        ("xa.myngai", ["Agency list"]),
    ],
)
def test_quick_links_follow_the_role_and_every_link_opens(app, username, menus):
    client = app.test_client()
    login(client, username)
    urls = quick_link_urls(client.get("/").get_data(as_text=True))
    for name in menus:
        assert menu_url(app, name) in urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    if username != "admin":
        assert menu_url(app, "Calendar overrides") not in urls


def test_system_admin_sees_accounts_never_used_province_wide(app):
    page = home_of(app, "admin")
    accounts = card(app, page, "Accounts in the whole province")
    assert accounts is not None and accounts.count == 12
    never = card(app, page, "Active accounts that have never logged in")
    assert never.severity == "warning"
    assert never.count == 11  # every demo account but admin, who just logged in
    assert never.examples[:2] == ["btcd.giamsat", "caolanh.quantri"]
    assert vi(app, "and %(count)d more") % {"count": 6} in page
    assert vi(app, "Nothing needs your attention today.") not in page


def test_agency_admin_sees_only_accounts_of_their_subtree(app):
    page = home_of(app, "caolanh.quantri")
    assert card(app, page, "Accounts in the whole province") is None
    accounts = card(app, page, "Accounts of your agency and the agencies under it")
    assert accounts.count == 5
    never = card(app, page, "Active accounts that have never logged in")
    assert never.examples == ["caolanh.tcd", "caolanh.thanhtra", "caolanh.vanphong", "xa.myngai"]
    assert "laivung.tcd" not in page


def test_clerk_logging_in_clears_them_from_never_logged_in(app):
    home_of(app, "xa.myngai")
    never = card(app, home_of(app, "caolanh.quantri"), "Active accounts that have never logged in")
    assert "xa.myngai" not in never.examples
    assert never.count == 3


def test_agencies_without_accounts_are_counted_within_scope(app):
    from app.extensions import db
    from app.security.models import AppUser

    title = "Active agencies without any active account"
    province_before = card(app, home_of(app, "admin"), title).count
    district_before = card(app, home_of(app, "caolanh.quantri"), title).count
    with app.app_context():
        db.session.scalar(select(AppUser).where(AppUser.username == "laivung.tcd")).active = False
        db.session.commit()
    assert card(app, home_of(app, "admin"), title).count == province_before + 1
    assert card(app, home_of(app, "caolanh.quantri"), title).count == district_before


def test_inactive_agency_with_active_accounts_comes_first_and_links_to_it(app):
    from app.agencies.models import Agency
    from app.extensions import db

    with app.app_context():
        board = db.session.scalar(select(Agency).where(Agency.code == "DT17-866-TCD"))
        board.active = False
        db.session.commit()
    client = app.test_client()
    login(client, "admin")
    page = client.get("/").get_data(as_text=True)
    first = shown_cards(page)[0]
    assert first.title == vi(app, "Inactive agencies that still have active accounts")
    assert first.severity == "danger"
    assert (first.count, first.examples) == (1, ["Ban Tiếp công dân thành phố Cao Lãnh"])
    listed = client.get(first.link).get_data(as_text=True)
    assert "DT17-866-TCD" in listed
    assert "DT17-866-TT" not in listed
    assert shown_cards(home_of(app, "caolanh.quantri"))[0] == first


def test_changes_today_count_what_happened_in_the_agency_subtree(app):
    from app.agencies.models import Agency
    from app.core.actor import Actor, acting_as
    from app.extensions import db
    from app.security.models import AppUser

    def change_agency_note(username: str, code: str) -> None:
        with app.app_context():
            user = db.session.scalar(select(AppUser).where(AppUser.username == username))
            with acting_as(Actor(user.id, user.username, user.agency_id)):
                agency = db.session.scalar(select(Agency).where(Agency.code == code))
                agency.note = f"Ghi chú của {username}"
                db.session.commit()

    def changes_today(client) -> int:
        page = client.get("/").get_data(as_text=True)
        return card(app, page, "Changes made today in your agency and the agencies under it").count

    set_now(dt.datetime(2026, 1, 15, 8, 0))
    client = app.test_client()
    login(client, "caolanh.quantri")
    before = changes_today(client)
    change_agency_note("caolanh.tcd", "DT17-866-TCD")
    change_agency_note("laivung.tcd", "DT17-876-TCD")
    assert changes_today(client) == before + 1
    set_now(dt.datetime(2026, 1, 16, 8, 0))
    assert changes_today(client) == 0


def test_a_registered_provider_shows_its_cards_most_urgent_first(app, monkeypatch):
    from app.home.attention import Card, Severity, add_attention_provider

    seen = []

    def provider(user) -> list[Card]:
        seen.append(user.username)
        return [
            Card("Thông tin thử", 3, "/agencymodelview/list/"),
            Card("Việc gấp thử", 2, "/agencymodelview/list/", Severity.DANGER, ("Một",)),
        ]

    monkeypatch.setitem(app.extensions, "home.attention_providers", [])
    with app.app_context():
        add_attention_provider(provider)
        add_attention_provider(provider)
    cards = shown_cards(home_of(app, "caolanh.tcd"))
    assert [(shown.title, shown.count) for shown in cards] == [
        ("Việc gấp thử", 2),
        ("Thông tin thử", 3),
    ]
    assert cards[0].examples == ["Một"]
    assert seen == ["caolanh.tcd"]


def test_no_link_or_card_for_a_screen_the_role_may_no_longer_open(app):
    """An administrator took "list" on the users screen away from agency administrators in
    the Roles screen; the menu entry's own permission alone does not bring the link back."""
    from app.extensions import db
    from app.security.roles import AGENCY_ADMIN

    with app.app_context():
        users_view = app.appbuilder.menu.find("List Users").baseview.class_permission_name
        role = app.appbuilder.sm.find_role(AGENCY_ADMIN)
        role.permissions = [
            pv
            for pv in role.permissions
            if (pv.permission.name, pv.view_menu.name) != ("can_list", users_view)
        ]
        db.session.commit()
    page = home_of(app, "caolanh.quantri")
    assert menu_url(app, "List Users") not in quick_link_urls(page)
    assert card(app, page, "Accounts of your agency and the agencies under it") is None
    assert menu_url(app, "Agency list") in quick_link_urls(page)
