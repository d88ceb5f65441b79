"""A record's history reads in Vietnamese: coded values and relations by their names (R9)."""

from __future__ import annotations

from app.audit.display import change_rows
from app.extensions import db


def test_petition_codes_and_relations_show_their_labels(app):
    with app.test_request_context():
        rows = {
            row.field: row
            for row in change_rows(
                db.session,
                "petition",
                {
                    "channel": [None, "forwarded"],
                    "status": ["received", "guided"],
                    "kind": [None, "recommendation"],
                },
            )
        }
        assert rows["channel"].after == "Cơ quan khác chuyển đến"
        assert (rows["status"].before, rows["status"].after) == (
            "Đã tiếp nhận",
            "Đã hướng dẫn công dân",
        )
        assert rows["kind"].label == "Loại đơn"
        assert rows["kind"].after == "Kiến nghị"
        db.session.remove()


def test_a_restore_from_a_backup_is_named_in_the_log(app):
    """R9: `flask restore` writes an entry the log names, not a code."""
    from app.audit.display import action_label, table_label

    with app.test_request_context():
        assert action_label("database_restore") == "Khôi phục cơ sở dữ liệu từ bản sao lưu"
        assert table_label("database") == "Cơ sở dữ liệu"


def test_foreign_keys_without_a_relation_show_names_not_ids(app):
    """R9: "Người xử lý: — → 4" read as the official's name; an agency key as its name."""
    from sqlalchemy import select

    from app.agencies.models import Agency
    from app.security.models import AppUser

    with app.test_request_context():
        official = db.session.scalars(select(AppUser).order_by(AppUser.id)).first()
        agency = db.session.scalars(select(Agency).order_by(Agency.id)).first()
        rows = {
            row.field: row
            for row in change_rows(
                db.session,
                "petition",
                {
                    "processed_by_id": [None, official.id],
                    "target_agency_id": [agency.id, None],
                },
            )
        }
        assert rows["processed_by_id"].after == official.get_full_name()
        assert rows["processed_by_id"].after != str(official.id)
        assert rows["target_agency_id"].before == agency.name
        db.session.remove()
