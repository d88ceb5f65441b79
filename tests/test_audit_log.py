"""R9: every create, update, soft delete, restore and delete of an audited record is in the
log, with who did it, their agency, and each changed field from what to what."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask_appbuilder.security.sqla.models import PermissionView
from sqlalchemy import select, update

from app.agencies.models import Agency
from app.audit.listeners import AuditBypassError
from app.audit.models import AuditLog
from app.audit.softdelete import restore, soft_delete
from app.core.actor import Actor, acting_as
from app.extensions import db
from app.security import roles
from app.security.models import AppUser


def agency(code: str) -> Agency:
    return db.session.scalar(select(Agency).where(Agency.code == code))


def user(username: str) -> AppUser:
    return db.session.scalar(select(AppUser).where(AppUser.username == username))


def actor_of(account: AppUser) -> Actor:
    return Actor(account.id, account.username, account.agency_id)


def latest(table_name: str, record_id: object) -> AuditLog:
    return db.session.scalar(
        select(AuditLog)
        .where(AuditLog.table_name == table_name, AuditLog.record_id == str(record_id))
        .order_by(AuditLog.id.desc())
        .limit(1)
    )


def test_creating_an_agency_logs_every_field_by_the_system_actor(app_ctx):
    city = agency("DT17-866-UB")
    team = Agency(
        code="DT17-866-TN",
        name="Tổ tiếp nhận đơn thư thành phố Cao Lãnh",
        kind_id=city.kind_id,
        parent=city,
        receives_petitions=True,
    )
    db.session.add(team)
    db.session.commit()

    entry = latest("agency", team.id)
    assert entry.action == "create"
    assert (entry.username, entry.user_id, entry.agency_id) == ("system", None, None)
    assert entry.record_label == "Tổ tiếp nhận đơn thư thành phố Cao Lãnh"
    assert entry.record_agency_id == team.id
    assert entry.changes["name"] == [None, "Tổ tiếp nhận đơn thư thành phố Cao Lãnh"]
    assert entry.changes["parent_id"] == [None, city.id]
    assert entry.changes["path"] == [None, "/DT17-UBT/DT17-866-UB/DT17-866-TN/"]
    assert entry.changes["receives_petitions"] == [None, True]
    assert "created_at" not in entry.changes and "updated_at" not in entry.changes


def test_an_edit_logs_each_field_before_and_after_with_the_users_agency(app_ctx):
    admin = user("caolanh.quantri")
    board = agency("DT17-866-TCD")
    db.session.commit()  # everything expired: the old values must still be known
    with acting_as(actor_of(admin)):
        board.short_name = "Ban TCD TP Cao Lãnh"
        board.note = "Trụ sở: số 1 đường 30/4, Phường 1"
        db.session.commit()

    entry = latest("agency", board.id)
    assert entry.action == "update"
    assert entry.changes == {
        "short_name": ["Ban TCD thành phố Cao Lãnh", "Ban TCD TP Cao Lãnh"],
        "note": [None, "Trụ sở: số 1 đường 30/4, Phường 1"],
    }
    assert (entry.username, entry.user_id) == ("caolanh.quantri", admin.id)
    assert entry.agency_id == agency("DT17-866-UB").id
    assert entry.record_agency_id == board.id


def test_a_saved_record_without_changes_logs_nothing(app_ctx):
    board = agency("DT17-866-TCD")
    before = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    board.name = board.name
    db.session.commit()
    after = db.session.scalar(select(AuditLog.id).order_by(AuditLog.id.desc()).limit(1))
    assert after == before


def test_passwords_are_masked_on_creation_and_change(app):
    with app.app_context():
        sm = app.appbuilder.sm
        clerk = sm.add_user(
            username="hongngu.tcd",
            first_name="Võ Thị",
            last_name="Hồng",
            email="hongngu.tcd@dongthap.example.vn",
            role=sm.find_role(roles.CLERK),
            password="BanDau@2026",
        )
        sm.reset_password(clerk.id, "MatKhauMoi@2026")
        created, changed = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.table_name == "ab_user", AuditLog.record_id == str(clerk.id))
            .order_by(AuditLog.id)
        ).all()
        stored_hash = clerk.password
        assert created.action == "create" and created.changes["password"] == [None, "***"]
        assert changed.action == "update" and changed.changes == {"password": ["***", "***"]}
        logged = json.dumps([created.changes, changed.changes], ensure_ascii=False)
        assert "BanDau" not in logged and "MatKhauMoi" not in logged
        assert stored_hash not in logged


def test_granting_a_role_logs_the_roles_before_and_after(app_ctx):
    clerk = user("caolanh.tcd")
    clerk.roles.append(app_ctx.appbuilder.sm.find_role(roles.TASK_OFFICER))
    db.session.commit()

    entry = latest("ab_user", clerk.id)
    assert entry.action == "update"
    assert entry.changes == {"roles": [[roles.CLERK], sorted([roles.CLERK, roles.TASK_OFFICER])]}
    assert entry.record_agency_id == clerk.agency_id


def test_a_roles_new_permission_is_logged_on_the_role(app_ctx):
    leader = app_ctx.appbuilder.sm.find_role(roles.LEADER)
    permission = next(
        pv
        for pv in db.session.scalars(select(PermissionView))
        if pv.view_menu.name == "AuditLogModelView" and pv.permission.name == "can_list"
    )
    assert permission not in leader.permissions
    leader.permissions.append(permission)
    db.session.commit()

    entry = latest("ab_role", leader.id)
    before, after = entry.changes["permissions"]
    assert str(permission) in after and str(permission) not in before
    assert len(after) == len(before) + 1


def test_soft_delete_and_restore_are_logged_as_such(app_ctx):
    admin = user("admin")
    commune = agency("DT17-29884-UB")
    with acting_as(actor_of(admin)):
        soft_delete(commune)
        db.session.commit()
        deleted = latest("agency", commune.id)
        restore(commune)
        db.session.commit()
        restored = latest("agency", commune.id)

    assert deleted.action == "soft_delete" and deleted.username == "admin"
    assert deleted.changes["deleted_at"][0] is None and deleted.changes["deleted_at"][1]
    assert deleted.changes["deleted_by_id"] == [None, admin.id]
    assert restored.action == "restore"
    assert restored.changes["deleted_at"][1] is None
    assert restored.changes["deleted_by_id"] == [admin.id, None]


def test_a_hard_delete_logs_the_last_values(app_ctx):
    sm = app_ctx.appbuilder.sm
    role = sm.add_role("Cán bộ tập huấn")
    role_id = role.id
    db.session.delete(role)
    db.session.commit()

    entry = latest("ab_role", role_id)
    assert entry.action == "delete"
    assert entry.changes["name"] == ["Cán bộ tập huấn", None]


def test_a_bulk_update_of_audited_records_is_refused(app_ctx):
    with pytest.raises(AuditBypassError):
        db.session.execute(
            update(Agency).where(Agency.code.like("DT17-866-%")).values(note="đổi hàng loạt")
        )
    db.session.rollback()
    assert agency("DT17-866-TCD").note is None


def test_a_cli_command_is_attributed_to_the_system_actor(app: Flask, tmp_path):
    csv_file = tmp_path / "cao-lanh.csv"
    csv_file.write_text(
        "code,name,short_name,kind,parent,receives_petitions,assigns_tasks,operating_office,"
        "admin_unit_code,valid_from,valid_to,status,predecessors,note\n"
        "DT17-866-TN,Tổ tiếp nhận đơn thư thành phố Cao Lãnh,,district_reception_board,"
        "DT17-866-UB,,,,,01/01/2026,,verified,,\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(args=["agencies", "import", str(csv_file)])
    assert result.exit_code == 0, result.output

    with app.app_context():
        team = agency("DT17-866-TN")
        entry = latest("agency", team.id)
        assert entry.action == "create"
        assert (entry.username, entry.user_id, entry.agency_id) == ("system", None, None)
        db.session.remove()
