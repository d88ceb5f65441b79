"""Browser check (issue 7): the Cao Lãnh administrator opens the national database outbox
from the menu, sees a record sent with its national id and one failed with its reason,
and sends the failed one again (R7, R10, R11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.core.clock import now_utc
from app.extensions import db
from app.outbox.models import OutboxItem
from tests.browser.conftest import login_ui
from tests.petitions_intake_helpers import agency, area, hung, land_complaint, receive

pytestmark = pytest.mark.browser

REASON = 'HTTP 422: {"loi": "Thiếu mã đơn vị hành chính cấp xã của người khiếu nại"}'


def _sent_and_failed(app: Flask) -> tuple[int, int]:
    """Two petitions of Cao Lãnh's reception board: one case sent, one refused."""
    with app.app_context():
        sent = receive(land_complaint())
        failed = receive(
            land_complaint(
                summary="Kiến nghị sửa chữa cầu kênh Xáng Mới bị sụt lún, ảnh hưởng đi lại",
                kind="recommendation",
                subject_area_id=area("kp_khac").id,
                contested_act=None,
                contested_author=None,
                signatories=[hung(full_name="Trần Thị Bích", id_number=None, sex="female")],
            )
        )
        items = {
            item.petition_id: item
            for item in db.session.scalars(
                select(OutboxItem).where(OutboxItem.petition_id.in_([sent.id, failed.id]))
            )
        }
        done, refused = items[sent.id], items[failed.id]
        done.status, done.attempts, done.national_id = "sent", 1, "QG-87-2026-004512"
        done.sent_at = now_utc()
        refused.status, refused.attempts, refused.last_error = "failed", 1, REASON
        assert agency("DT17-866-TCD").id == refused.agency_id
        db.session.commit()
        ids = done.id, refused.id
        db.session.remove()
    return ids


def test_administrator_sees_the_outbox_and_sends_a_failed_record_again(
    app: Flask, page: Page, live_server: str, artifacts_dir: Path
):
    done, refused = _sent_and_failed(app)
    login_ui(page, live_server, "caolanh.quantri")
    page.locator("li.dropdown > a.dropdown-toggle", has_text="Liên thông dữ liệu").click()
    page.locator("a", has_text="Hàng đợi gửi Cơ sở dữ liệu quốc gia").click()

    expect(page.locator("h1")).to_contain_text("Hàng đợi gửi Cơ sở dữ liệu quốc gia")
    expect(page.locator(f"#outbox-{done}")).to_contain_text("QG-87-2026-004512")
    expect(page.locator(f"#outbox-{done}")).to_contain_text("Đã gửi")
    failed_row = page.locator(f"#outbox-{refused}")
    expect(failed_row).to_contain_text("Thiếu mã đơn vị hành chính cấp xã")
    expect(failed_row).to_contain_text("Lỗi")
    page.screenshot(path=str(artifacts_dir / "national_outbox.png"), full_page=True)

    failed_row.get_by_role("button", name="Gửi lại").click()
    expect(page.locator(".alert-success")).to_contain_text("được đưa lại vào hàng đợi")
    expect(page.locator(f"#outbox-{refused}")).to_contain_text("Chờ gửi")
    page.screenshot(path=str(artifacts_dir / "national_outbox_retried.png"), full_page=True)
