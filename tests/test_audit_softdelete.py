"""R9: users never hard-delete; FAB's delete marks the record, every query then hides it,
an administrator lists deleted records and restores them, and rules keep the agency tree
and its accounts whole."""

from __future__ import annotations

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.agencies.models import Agency
from app.audit.guards import DeletionRefused
from app.audit.models import AuditLog
from app.audit.softdelete import restore, soft_delete
from app.extensions import db
from app.security.models import AppUser
from tests.conftest import login

INCLUDE_DELETED = {"include_deleted": True}
MY_TAN = "DT17-29884-UB"  # a commune PC with no accounts and no subordinate agency
MY_TRA = "DT17-29887-UB"


def agency_id(app: Flask, code: str) -> int:
    with app.app_context():
        found = db.session.scalar(
            select(Agency.id).where(Agency.code == code), execution_options=INCLUDE_DELETED
        )
        db.session.remove()
        return found


def stored(app: Flask, code: str) -> dict:
    """The agency row as stored, deleted or not."""
    with app.app_context():
        row = db.session.scalar(
            select(Agency).where(Agency.code == code), execution_options=INCLUDE_DELETED
        )
        values = {"deleted_at": row.deleted_at, "deleted_by_id": row.deleted_by_id}
        db.session.remove()
        return values


def last_entry(app: Flask, record_id: int) -> AuditLog:
    with app.app_context():
        entry = db.session.scalar(
            select(AuditLog)
            .where(AuditLog.table_name == "agency", AuditLog.record_id == str(record_id))
            .order_by(AuditLog.id.desc())
            .limit(1)
        )
        db.session.expunge_all()
        db.session.remove()
        return entry


def user_id(app: Flask, username: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(AppUser.id).where(AppUser.username == username))
        db.session.remove()
        return found


def danger_messages(body: str) -> str:
    doc = lxml.html.fromstring(body)
    return " ".join(
        node.text_content() for node in doc.xpath("//*[contains(@class,'alert-danger')]")
    )


def test_fab_delete_marks_the_agency_instead_of_deleting_it(app, client: FlaskClient):
    commune = agency_id(app, MY_TAN)
    login(client, "admin")
    response = client.post(f"/agencymodelview/delete/{commune}")
    assert response.status_code == 302

    row = stored(app, MY_TAN)
    assert row["deleted_at"] is not None
    assert row["deleted_by_id"] == user_id(app, "admin")
    entry = last_entry(app, commune)
    assert (entry.action, entry.username) == ("soft_delete", "admin")
    assert client.get(f"/agencymodelview/show/{commune}").status_code == 404
    listing = client.get("/agencymodelview/list/?_flt_0_code=DT17-29884").get_data(as_text=True)
    assert "Xã Mỹ Tân" not in listing


def test_queries_hide_deleted_rows_unless_asked(app_ctx):
    commune = db.session.scalar(select(Agency).where(Agency.code == MY_TAN))
    city_id, commune_id = commune.parent_id, commune.id
    total = db.session.scalar(select(func.count(Agency.id)))
    soft_delete(commune)
    db.session.commit()
    db.session.expunge_all()

    assert db.session.scalar(select(func.count(Agency.id))) == total - 1
    assert db.session.query(Agency).count() == total - 1
    assert db.session.get(Agency, commune_id) is None
    city = db.session.get(Agency, city_id)
    assert MY_TAN not in [child.code for child in city.children]
    revealed = db.session.scalar(
        select(Agency).where(Agency.id == commune_id), execution_options=INCLUDE_DELETED
    )
    assert revealed.is_deleted
    assert (
        db.session.scalar(select(func.count(Agency.id)), execution_options=INCLUDE_DELETED) == total
    )


def test_an_agency_with_subordinate_agencies_is_not_deleted(app, client):
    city = agency_id(app, "DT17-866-UB")
    login(client, "admin")
    body = client.post(f"/agencymodelview/delete/{city}", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Ủy ban nhân dân thành phố Cao Lãnh" in danger_messages(body)
    assert stored(app, "DT17-866-UB")["deleted_at"] is None


def test_an_agency_with_active_accounts_is_deleted_only_once_they_are_inactive(app_ctx):
    my_ngai = db.session.scalar(select(Agency).where(Agency.code == "DT17-29881-UB"))
    try:
        soft_delete(my_ngai)
    except DeletionRefused as refusal:
        assert "Ủy ban nhân dân Xã Mỹ Ngãi" in str(refusal)
        assert len(refusal.reasons) == 1
    else:
        raise AssertionError("an agency with an active account was deleted")
    assert not my_ngai.is_deleted

    clerk = db.session.scalar(select(AppUser).where(AppUser.username == "xa.myngai"))
    clerk.active = False
    db.session.commit()
    soft_delete(my_ngai)
    db.session.commit()
    assert my_ngai.is_deleted


def test_bulk_delete_marks_the_allowed_records_and_explains_the_others(app, client):
    ids = [agency_id(app, code) for code in (MY_TAN, MY_TRA, "DT17-866-UB")]
    login(client, "admin")
    response = client.post(
        "/agencymodelview/action_post",
        data={"action": "muldelete", "rowid": [str(i) for i in ids]},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert stored(app, MY_TAN)["deleted_at"] is not None
    assert stored(app, MY_TRA)["deleted_at"] is not None
    assert stored(app, "DT17-866-UB")["deleted_at"] is None
    assert "Ủy ban nhân dân thành phố Cao Lãnh" in danger_messages(response.get_data(as_text=True))
    assert last_entry(app, ids[1]).action == "soft_delete"


def test_the_administrator_lists_deleted_records_and_restores_one(app, client):
    commune = agency_id(app, MY_TAN)
    login(client, "admin")
    client.post(f"/agencymodelview/delete/{commune}")

    page = client.get("/deleted-records/?kind=agency").get_data(as_text=True)
    assert "Ủy ban nhân dân Xã Mỹ Tân" in page
    assert "admin" in page

    response = client.post(f"/deleted-records/restore/agency/{commune}")
    assert response.status_code == 302
    assert stored(app, MY_TAN)["deleted_at"] is None
    entry = last_entry(app, commune)
    assert (entry.action, entry.username) == ("restore", "admin")
    assert client.get(f"/agencymodelview/show/{commune}").status_code == 200
    page = client.get("/deleted-records/?kind=agency").get_data(as_text=True)
    assert "Ủy ban nhân dân Xã Mỹ Tân" not in page


def test_a_child_is_restored_only_under_a_live_parent(app_ctx):
    city = db.session.scalar(select(Agency).where(Agency.code == "DT17-866-UB"))
    group = Agency(
        code="DT17-866-TCT", name="Tổ công tác đất đai", kind_id=city.kind_id, parent=city
    )
    team = Agency(
        code="DT17-866-TCT1", name="Nhóm xác minh số 1", kind_id=city.kind_id, parent=group
    )
    db.session.add_all([group, team])
    db.session.commit()
    soft_delete(team)
    db.session.commit()
    soft_delete(group)  # no live subordinate left
    db.session.commit()

    try:
        restore(team)
    except DeletionRefused as refusal:
        assert "Tổ công tác đất đai" in str(refusal)
    else:
        raise AssertionError("a child was restored under a deleted parent")
    restore(group)
    restore(team)
    db.session.commit()
    assert not team.is_deleted and team.path == "/DT17-UBT/DT17-866-UB/DT17-866-TCT/DT17-866-TCT1/"


def test_an_agency_administrator_cannot_open_deleted_records(app, client):
    with app.app_context():
        soft_delete(db.session.scalar(select(Agency).where(Agency.code == MY_TAN)))
        db.session.commit()
        db.session.remove()
    login(client, "caolanh.quantri")
    response = client.get("/deleted-records/?kind=agency")
    assert response.status_code != 200
    assert "Xã Mỹ Tân" not in client.get(
        "/deleted-records/?kind=agency", follow_redirects=True
    ).get_data(as_text=True)
    commune = agency_id(app, MY_TAN)
    client.post(f"/deleted-records/restore/agency/{commune}")
    assert stored(app, MY_TAN)["deleted_at"] is not None


def test_the_deleted_records_page_reopens_on_the_kind_chosen_last(app, client):
    """Issue 8: the page remembers its tab (kind of record) for the session."""
    commune = agency_id(app, MY_TAN)
    login(client, "admin")
    client.post(f"/agencymodelview/delete/{commune}")
    client.get("/deleted-records/?kind=citizen")
    reopened = client.get("/deleted-records/").get_data(as_text=True)
    assert "Ủy ban nhân dân Xã Mỹ Tân" not in reopened
    assert "Ủy ban nhân dân Xã Mỹ Tân" in client.get("/deleted-records/?reset=1").get_data(
        as_text=True
    )
