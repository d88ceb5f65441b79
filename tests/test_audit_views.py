"""R9, R10: administrators browse the audit log with filters, newest first, within their
scope; an entry's page shows its changes as a table in Vietnamese local time; a record's
page shows its own history; logins are logged."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from flask_appbuilder import ModelView
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy import select

from app.agencies.models import Agency, AgencyKind
from app.audit.interface import SoftDeleteInterface
from app.audit.models import AuditLog
from app.audit.scope import audit_scope_condition
from app.audit.view_mixins import HistoryShowMixin, SoftDeleteViewMixin
from app.core.actor import Actor, acting_as
from app.core.clock import set_now
from app.extensions import db
from app.security.models import AppUser
from tests.conftest import DEMO_PASSWORD, login

LIST = "/auditlogmodelview/list/"


def edit_note(app: Flask, username: str, code: str, note: str, at: dt.datetime | None = None):
    """``username`` sets the note of agency ``code`` (at local time ``at``); returns the entry."""
    with app.app_context():
        account = db.session.scalar(select(AppUser).where(AppUser.username == username))
        target = db.session.scalar(select(Agency).where(Agency.code == code))
        set_now(at)
        try:
            with acting_as(Actor(account.id, account.username, account.agency_id)):
                target.note = note
                db.session.commit()
        finally:
            set_now(None)
        entry_id = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
        db.session.remove()
        return entry_id


def list_rows(client: FlaskClient, url: str) -> list[list[str]]:
    """The list table's rows as cell texts (first cell: the row's buttons)."""
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    return [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./td")]
        for row in doc.xpath("//table[contains(@class,'table-hover')]/tbody/tr[td]")
        or doc.xpath("//table//tr[td]")
    ]


def labels_listed(client: FlaskClient, url: str) -> list[str]:
    return [row[-1] for row in list_rows(client, url)]


def last_entry(app: Flask) -> AuditLog:
    with app.app_context():
        entry = db.session.scalar(select(AuditLog).order_by(AuditLog.id.desc()).limit(1))
        db.session.expunge_all()
        db.session.remove()
        return entry


def test_an_agency_administrator_reads_only_their_subtrees_entries(app, client):
    own = edit_note(app, "caolanh.tcd", "DT17-866-TT", "Tiếp dân định kỳ thứ Năm")
    other = edit_note(app, "laivung.tcd", "DT17-876-TT", "Tiếp dân định kỳ thứ Ba")
    about_own = edit_note(app, "admin", "DT17-29881-UB", "Sáp nhập ấp Mỹ Hưng")
    about_other = edit_note(app, "admin", "DT17-30211-UB", "Sáp nhập ấp Tân Lợi")

    login(client, "caolanh.quantri")
    listed = labels_listed(client, LIST + "?_flt_0_action=update")
    assert "Thanh tra thành phố Cao Lãnh" in listed
    assert "Ủy ban nhân dân Xã Mỹ Ngãi" in listed  # a record of their subtree, by the admin
    assert "Thanh tra huyện Lai Vung" not in listed
    assert "Ủy ban nhân dân Xã Tân Dương" not in listed
    for entry_id in (own, about_own):
        assert client.get(f"/auditlogmodelview/show/{entry_id}").status_code == 200
    for entry_id in (other, about_other):
        assert client.get(f"/auditlogmodelview/show/{entry_id}").status_code == 404


def test_a_deleted_agencys_entries_stay_visible_to_its_administrator(app, client):
    with app.app_context():
        commune = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-29884-UB"))
        db.session.remove()
    login(client, "admin")
    client.post(f"/agencymodelview/delete/{commune}")
    client.get("/logout/")

    login(client, "caolanh.quantri")
    deletions = list_rows(client, LIST + "?_flt_0_action=soft_delete")
    assert [(row[2], row[-1]) for row in deletions] == [("admin", "Ủy ban nhân dân Xã Mỹ Tân")]


def test_the_system_administrator_reads_everything_newest_first(app, client):
    first = edit_note(app, "caolanh.tcd", "DT17-866-TT", "Tiếp dân định kỳ thứ Năm")
    second = edit_note(app, "laivung.tcd", "DT17-876-TT", "Tiếp dân định kỳ thứ Ba")
    login(client, "admin")
    rows = list_rows(client, LIST)
    assert (rows[0][2], rows[0][-1]) == ("admin", "Nguyễn Văn Quản")  # their login: newest
    assert [(row[2], row[-1]) for row in rows[1:3]] == [
        ("laivung.tcd", "Thanh tra huyện Lai Vung"),
        ("caolanh.tcd", "Thanh tra thành phố Cao Lãnh"),
    ]
    assert first < second


def test_the_monitor_and_the_administrator_read_every_entry(app_ctx):
    everyone = db.session.scalar(select(db.func.count(AuditLog.id)))
    for username in ("btcd.giamsat", "admin"):
        reader = db.session.scalar(select(AppUser).where(AppUser.username == username))
        visible = db.session.scalar(
            select(db.func.count(AuditLog.id)).where(audit_scope_condition(reader))
        )
        assert visible == everyone
    clerk = db.session.scalar(select(AppUser).where(AppUser.username == "laivung.tcd"))
    assert (
        db.session.scalar(select(db.func.count(AuditLog.id)).where(audit_scope_condition(clerk)))
        < everyone
    )


def test_filters_by_action_agency_and_record(app, client):
    edit_note(app, "caolanh.tcd", "DT17-866-TT", "Tiếp dân định kỳ thứ Năm")
    edit_note(app, "laivung.tcd", "DT17-876-TT", "Tiếp dân định kỳ thứ Ba")
    with app.app_context():
        board = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-876-TCD"))
        inspectorate = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-866-TT"))
        db.session.remove()
    login(client, "admin")

    by_agency = list_rows(client, f"{LIST}?_flt_0_agency={board}")
    assert by_agency and all(row[2] == "laivung.tcd" for row in by_agency)

    by_record = labels_listed(
        client, f"{LIST}?_flt_0_table_name=agency&_flt_0_record_id={inspectorate}"
    )
    assert by_record == ["Thanh tra thành phố Cao Lãnh", "Thanh tra thành phố Cao Lãnh"]

    logins = list_rows(client, f"{LIST}?_flt_0_action=login")
    assert [row[2] for row in logins] == ["admin"]


def test_the_date_range_means_whole_days_in_vietnam(app, client):
    edit_note(app, "caolanh.tcd", "DT17-866-TT", "Họp giao ban", dt.datetime(2026, 3, 1, 23, 30))
    edit_note(app, "caolanh.tcd", "DT17-866-VP", "Họp giao ban", dt.datetime(2026, 3, 2, 0, 30))
    edit_note(app, "caolanh.tcd", "DT17-866-TCD", "Họp giao ban", dt.datetime(2026, 3, 3, 7, 0))
    login(client, "admin")

    on_the_2nd = list_rows(client, f"{LIST}?_flt_0_at=02/03/2026&_flt_1_at=02/03/2026")
    assert [(row[1], row[-1]) for row in on_the_2nd] == [
        ("02/03/2026 00:30", "Văn phòng HĐND và UBND thành phố Cao Lãnh")
    ]
    up_to_the_1st = labels_listed(client, f"{LIST}?_flt_1_at=01/03/2026")
    assert up_to_the_1st == ["Thanh tra thành phố Cao Lãnh"]
    from_the_3rd = labels_listed(client, f"{LIST}?_flt_0_at=2026-03-03&_flt_0_action=update")
    assert "Ban Tiếp công dân thành phố Cao Lãnh" in from_the_3rd
    assert "Thanh tra thành phố Cao Lãnh" not in from_the_3rd


def test_an_entry_page_shows_the_changes_as_a_table_in_local_time(app, client):
    entry_id = edit_note(
        app,
        "caolanh.tcd",
        "DT17-866-TCD",
        "Tiếp công dân sáng thứ Hai",
        dt.datetime(2026, 3, 2, 9, 15),
    )
    edit_note(app, "caolanh.tcd", "DT17-866-TCD", "Tiếp công dân cả tuần")
    login(client, "admin")
    response = client.get(f"/auditlogmodelview/show/{entry_id}")
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    assert "02/03/2026 09:15" in doc.text_content()
    rows = [
        [" ".join(cell.text_content().split()) for cell in row.xpath("./th|./td")]
        for row in doc.xpath("//table[contains(@class,'audit-changes')]/tbody/tr")
    ]
    assert len(rows) == 1
    assert rows[0][1:] == ["—", "Tiếp công dân sáng thứ Hai"]


def test_the_agency_page_shows_its_own_history(app, client):
    edit_note(app, "caolanh.tcd", "DT17-866-TCD", "Tiếp công dân sáng thứ Hai")
    edit_note(app, "caolanh.tcd", "DT17-866-TT", "Không thuộc trang này")
    with app.app_context():
        board = db.session.scalar(select(Agency.id).where(Agency.code == "DT17-866-TCD"))
        db.session.remove()
    login(client, "caolanh.quantri")
    doc = lxml.html.fromstring(client.get(f"/agencymodelview/show/{board}").get_data(as_text=True))
    (history,) = doc.xpath("//section[contains(@class,'audit-history')]")
    text = " ".join(history.text_content().split())
    assert "Tiếp công dân sáng thứ Hai" in text and "caolanh.tcd" in text
    assert "Không thuộc trang này" not in text
    actions = history.xpath(".//tr[contains(@class,'audit-entry')]/@class")
    assert actions[0].split()[-1] == "audit-update" and actions[-1].split()[-1] == "audit-create"


def test_logins_failed_logins_and_logouts_are_logged(app, client):
    with app.app_context():
        clerk = db.session.scalar(select(AppUser).where(AppUser.username == "caolanh.tcd"))
        clerk_id, agency_id = clerk.id, clerk.agency_id
        db.session.remove()

    refused = client.post("/login/", data={"username": "caolanh.tcd", "password": "sai-mat-khau"})
    assert refused.status_code == 302
    failed = last_entry(app)
    assert (failed.action, failed.username, failed.record_id) == (
        "login_failed",
        "caolanh.tcd",
        str(clerk_id),
    )

    client.post("/login/", data={"username": "caolanh.tcd", "password": DEMO_PASSWORD})
    entered = last_entry(app)
    assert (entered.action, entered.user_id, entered.agency_id) == ("login", clerk_id, agency_id)

    client.get("/logout/")
    left = last_entry(app)
    assert (left.action, left.username) == ("logout", "caolanh.tcd")
    assert left.id == entered.id + 1 == failed.id + 2


class AgencyHistoryView(HistoryShowMixin, ModelView):
    """A generated FAB show page of agencies with the history mixin."""

    datamodel = SoftDeleteInterface(Agency)
    show_columns = ["code", "name", "note"]


def test_a_generated_show_page_lists_the_records_history(app):
    edit_note(app, "caolanh.tcd", "DT17-866-TCD", "Tiếp công dân sáng thứ Hai")
    with app.test_request_context("/"):
        g.user = db.session.scalar(select(AppUser).where(AppUser.username == "admin"))
        board = db.session.scalar(select(Agency).where(Agency.code == "DT17-866-TCD"))
        view = AgencyHistoryView()
        view.appbuilder = app.appbuilder
        widgets = view._get_show_widget(board.id, board)
        page = view.render_template(view.show_template, pk=board.id, title="", widgets=widgets)
        db.session.remove()
    doc = lxml.html.fromstring(page)
    (history,) = doc.xpath("//section[contains(@class,'audit-history')]")
    assert "Tiếp công dân sáng thứ Hai" in history.text_content()
    assert doc.xpath("//td[normalize-space()='DT17-866-TCD']")


def test_the_soft_delete_mixin_refuses_a_model_that_would_be_hard_deleted(app):
    class AgencyKindView(SoftDeleteViewMixin, ModelView):
        datamodel = SQLAInterface(AgencyKind)

    with app.app_context(), pytest.raises(TypeError):
        AgencyKindView()
