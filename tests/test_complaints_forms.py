"""Every step of a dossier through its form on the dossier page (issue 4): what is saved
and shown, and what is refused — the Vietnamese message next to the field, the form
keeping what was typed, nothing saved.

Dates on the 2026 calendar: received Fri 27/11/2026, accepted Tue 01/12/2026 (first
instance, 30 days → Thu 31/12/2026).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.complaints.actions import ActionRefused, apply_action
from app.complaints.models import ComplaintDossier, ComplaintGround
from app.complaints.services import DecisionData, decide, suspend
from app.extensions import db
from tests.conftest import login
from tests.petitions_processing_records import freeze, user
from tests.test_complaints_opening import CLERK, accepted_dossier, complaint_dossier

D = dt.date


def _dossier_id(app: Flask, state: str, **changes: Any) -> int:
    """A dossier of the inspectorate in ``state``: pending (received 27/11/2026),
    accepted (01/12/2026), suspended (03/12/2026) or decided (10/12/2026, 40 million VND
    to recover to the State); the clock is then left at 14/12/2026 10:00."""
    with app.app_context():
        if state == "pending":
            dossier = complaint_dossier(**changes)
        else:
            dossier = accepted_dossier(**changes)
        if state == "suspended":
            freeze(dt.datetime(2026, 12, 3, 9))
            suspend(db.session, dossier, user(CLERK), D(2026, 12, 3), "30/QĐ-TTT", "Chờ giám định")
        if state == "decided":
            freeze(dt.datetime(2026, 12, 10, 9))
            data = DecisionData(
                decided_on=D(2026, 12, 10),
                number="101/QĐ-UBND",
                result="right",
                money_to_state=Decimal(40),
            )
            decide(db.session, dossier, user(CLERK), data)
        db.session.commit()
        pk = dossier.id
        db.session.remove()
    freeze(dt.datetime(2026, 12, 14, 10))
    return pk


def _version(app: Flask, pk: int) -> int:
    with app.app_context():
        version = db.session.get(ComplaintDossier, pk).version_id
        db.session.remove()
    return version


def _post(client: FlaskClient, app: Flask, pk: int, action: str, **values: Any):
    data = {"version_id": str(_version(app, pk)), **{k: str(v) for k, v in values.items()}}
    return client.post(f"/complaints/dossiers/{pk}/steps/{action}", data=data)


def _state(app: Flask, pk: int) -> tuple:
    """Everything a step could change."""
    with app.app_context():
        d = db.session.get(ComplaintDossier, pk)
        decision = d.decision
        enforcement = decision.enforcement if decision else None
        state = (
            d.status,
            d.version_id,
            d.accepted_on,
            d.resolution_due,
            d.complex_case,
            d.remote_area,
            [(s.kind, s.on) for s in d.steps],
            len(d.deadline_changes),
            decision and (decision.version_id, decision.sent_to_parties_on),
            enforcement and enforcement.version_id,
        )
        db.session.remove()
    return state


def _field_error(page: str, action: str, field: str) -> str:
    match = re.search(rf'id="{action}-{field}-error"[^>]*>([^<]*)<', page)
    assert match, f"no message next to {action}-{field}"
    return html.unescape(match.group(1))


TODAY = "14/12/2026"
DECISION = {"number": "102/QĐ-UBND", "decided_on": TODAY, "mode": "decision", "result": "right"}


@pytest.mark.parametrize(
    ("state", "action", "values", "field", "message"),
    [
        ("pending", "accept", {"notice_number": "15/TB"}, "accepted_on", "dd/mm/yyyy"),
        ("pending", "accept", {"accepted_on": "31/02/2026"}, "accepted_on", "không hợp lệ"),
        (
            "pending",
            "accept",
            {"accepted_on": "26/11/2026", "notice_number": "15/TB"},
            "accepted_on",
            "Ngày không được trước ngày 27/11/2026.",
        ),
        (
            "pending",
            "accept",
            {"accepted_on": "15/12/2026", "notice_number": "15/TB"},
            "accepted_on",
            "Ngày không được sau hôm nay.",
        ),
        (
            "pending",
            "accept",
            {"accepted_on": TODAY, "notice_number": " "},
            "notice_number",
            "Vui lòng nhập số thông báo thụ lý.",
        ),
        (
            "pending",
            "refuse",
            {"not_accepted_on": TODAY, "notice_number": "16/TB", "ground": ""},
            "ground",
            "Vui lòng chọn căn cứ không thụ lý.",
        ),
        ("pending", "withdraw", {"on": TODAY}, "scope", "rút toàn bộ hay rút một phần"),
        ("accepted", "step", {"on": TODAY}, "kind", "Vui lòng chọn bước giải quyết."),
        (
            "accepted",
            "step",
            {"kind": "dialogue", "on": "30/11/2026"},
            "on",
            "Ngày không được trước ngày 01/12/2026.",
        ),
        (
            "accepted",
            "flags",
            {"complex_case": "1", "on": TODAY},
            "doc_number",
            "Vui lòng nhập số quyết định.",
        ),
        (
            "accepted",
            "flags",
            {"doc_number": "5/QĐ-TTT", "on": TODAY},
            "complex_case",
            "Không có thay đổi",
        ),
        ("accepted", "suspend", {"on": TODAY}, "note", "Vui lòng nêu lý do tạm đình chỉ."),
        (
            "accepted",
            "withdraw",
            {"scope": "partial", "persons": "1", "on": TODAY},
            "persons",
            "ít hơn 1 người còn khiếu nại",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "number": ""},
            "number",
            "Vui lòng nhập số quyết định.",
        ),
        ("accepted", "decide", {**DECISION, "result": ""}, "result", "Vui lòng chọn kết quả"),
        (
            "accepted",
            "decide",
            {**DECISION, "result": "upheld"},
            "result",
            "phù hợp với lần giải quyết",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "money_to_state": "ba mươi"},
            "money_to_state",
            "Nhập số, ví dụ 85,5.",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "money_to_individuals": "-5"},
            "money_to_individuals",
            "Số liệu kết quả không được âm.",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "land_to_state": "12,345"},
            "land_to_state",
            "Tối đa 2 chữ số thập phân.",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "individuals_restored": "2,5"},
            "individuals_restored",
            "Nhập số nguyên không âm.",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "persons_for_sanction": "1", "officials_for_sanction": "2"},
            "officials_for_sanction",
            "không được lớn hơn số người bị kiến nghị xử lý",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "persons_to_investigators": "1", "officials_to_investigators": "3"},
            "officials_to_investigators",
            "không được lớn hơn số người chuyển cơ quan điều tra",
        ),
        (
            "accepted",
            "decide",
            {**DECISION, "sent_to_parties_on": "13/12/2026"},
            "sent_to_parties_on",
            "không được trước ngày ký",
        ),
        (
            "suspended",
            "resume",
            {"on": "02/12/2026"},
            "on",
            "Ngày không được trước ngày 03/12/2026.",
        ),
        (
            "decided",
            "delivery",
            {"sent_to_parties_on": "09/12/2026", "decision_version_id": "1"},
            "sent_to_parties_on",
            "không được trước ngày ký",
        ),
        (
            "decided",
            "enforce",
            {"money_to_recover": "40", "money_recovered": "45"},
            "money_recovered",
            "không được lớn hơn số phải thu hồi",
        ),
        (
            "decided",
            "enforce",
            {"persons_sanctioned": "1", "officials_sanctioned": "2"},
            "officials_sanctioned",
            "không được lớn hơn số người đã bị xử lý",
        ),
        (
            "decided",
            "enforce",
            {"done": "1", "done_on": "09/12/2026"},
            "done_on",
            "Ngày không được trước ngày 10/12/2026.",
        ),
    ],
)
def test_a_refused_step_says_why_next_to_the_field_and_saves_nothing(
    app, client, state, action, values, field, message
):
    pk = _dossier_id(app, state)
    before = _state(app, pk)
    login(client, CLERK)
    response = _post(client, app, pk, action, **values)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in _field_error(page, action, field)
    assert 'class="tab-pane active" id="pane-' + action + '"' in page
    assert _state(app, pk) == before


def test_the_refused_form_keeps_what_was_typed(app, client):
    pk = _dossier_id(app, "accepted")
    login(client, CLERK)
    typed = {
        **DECISION,
        "number": "77/QĐ-UBND",
        "signer": "Lê Thị Thu",
        "money_to_individuals": "85,5",
        "land_to_individuals": "1.250,75",
        "individuals_restored": "4",
        "money_to_state": "năm",
    }
    page = _post(client, app, pk, "decide", **typed).get_data(as_text=True)
    for name in ("number", "signer", "money_to_individuals", "land_to_individuals"):
        assert f'id="decide-{name}" name="{name}" value="{html.escape(typed[name])}"' in page
    assert 'id="decide-result-right" checked' in page
    assert "Nhập số, ví dụ 85,5." in _field_error(page, "decide", "money_to_state")


def test_a_step_on_a_stale_version_is_refused(app, client):
    pk = _dossier_id(app, "pending")
    before = _state(app, pk)
    login(client, CLERK)
    data = {"version_id": str(before[1] - 1), "accepted_on": TODAY, "notice_number": "15/TB"}
    page = client.post(f"/complaints/dossiers/{pk}/steps/accept", data=data).get_data(as_text=True)
    assert "Hồ sơ đã được người khác cập nhật sau khi bạn mở" in page
    assert f'name="version_id" value="{before[1]}"' in page
    assert _state(app, pk) == before


def test_a_stale_step_is_told_who_changed_what_meanwhile(app, client):
    """Issue 7 "Nothing lost": the second clerk sees the change that beat them."""
    pk = _dossier_id(app, "suspended")
    before = _state(app, pk)
    login(client, CLERK)
    data = {"version_id": str(before[1] - 1), "on": TODAY}
    page = client.post(f"/complaints/dossiers/{pk}/steps/resume", data=data).get_data(as_text=True)
    # The suspension (set up outside a request, so by "system") stopped the clock.
    assert (
        "Thay đổi trong lúc đó: 03/12/2026 09:00, system đã sửa Hạn giải quyết: 31/12/2026 → —."
        in page
    )
    assert _state(app, pk) == before


def _page(client: FlaskClient, pk: int) -> str:
    return client.get(f"/complaints/dossiers/{pk}").get_data(as_text=True)


def test_every_step_of_a_resolution_through_its_form(app, client):
    pk = _dossier_id(app, "pending")
    login(client, CLERK)
    freeze(dt.datetime(2026, 12, 1, 9))
    _post(client, app, pk, "accept", accepted_on="01/12/2026", notice_number="15/TB-TTT")
    page = _page(client, pk)
    assert "Đã thụ lý, đang giải quyết" in page
    # 30 days from Tue 01/12/2026 → Thu 31/12/2026.
    assert 'id="clock-resolution-due">31/12/2026<' in page

    freeze(dt.datetime(2026, 12, 2, 9))
    _post(
        client,
        app,
        pk,
        "step",
        kind="verification_assigned",
        on="02/12/2026",
        doc_number="31/QĐ-TTT",
        note="Giao Phòng Giải quyết khiếu nại xác minh.",
    )
    _post(
        client,
        app,
        pk,
        "step",
        kind="dialogue",
        on="02/12/2026",
        note="Đối thoại với ông Hùng tại trụ sở.",
    )
    page = _page(client, pk)
    assert "Giao xác minh" in page and "31/QĐ-TTT" in page and "Biên bản đối thoại" in page

    freeze(dt.datetime(2026, 12, 3, 9))
    _post(client, app, pk, "flags", remote_area="1", doc_number="32/QĐ-TTT", on="03/12/2026")
    page = _page(client, pk)
    # Remote area: 45 days from 01/12/2026 → Fri 15/01/2027.
    assert 'id="clock-resolution-due">15/01/2027<' in page
    assert "Quyết định 32/QĐ-TTT: vùng sâu, vùng xa, đi lại khó khăn" in page

    freeze(dt.datetime(2026, 12, 4, 9))
    _post(
        client,
        app,
        pk,
        "suspend",
        on="04/12/2026",
        doc_number="33/QĐ-TTT",
        note="Chờ ý kiến Sở Nông nghiệp và Môi trường.",
    )
    page = _page(client, pk)
    assert 'id="dossier-status">Tạm đình chỉ<' in page
    # 3 days counted (02–04/12), 42 left.
    assert "Còn lại khi tiếp tục: 42 ngày" in page

    freeze(dt.datetime(2026, 12, 11, 9))
    _post(client, app, pk, "resume", on="11/12/2026", doc_number="34/QĐ-TTT")
    page = _page(client, pk)
    # 42 days from the day after Fri 11/12/2026 → Fri 22/01/2027.
    assert 'id="clock-resolution-due">22/01/2027<' in page

    freeze(dt.datetime(2026, 12, 28, 9))
    _post(
        client,
        app,
        pk,
        "decide",
        **{
            **DECISION,
            "decided_on": "21/12/2026",
            "result": "partly_right",
            "money_to_state": "40",
        },
    )
    page = _page(client, pk)
    assert 'id="dossier-result"><strong>Khiếu nại đúng một phần<' in page
    # Not sent yet, and the 3 working days (22, 23, 24/12) are over on 28/12.
    assert "Quyết định chưa được gửi cho các bên" in page

    response = _post(
        client, app, pk, "delivery", sent_to_parties_on="28/12/2026", decision_version_id="1"
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "sau ngày 24/12/2026 là ngày cuối cùng" in page
    assert "Gửi quyết định giải quyết khiếu nại lần đầu" in page

    _post(
        client,
        app,
        pk,
        "enforce",
        money_to_recover="40",
        money_recovered="25",
        persons_sanctioned="2",
        officials_sanctioned="1",
        done_on="28/12/2026",
    )
    page = _page(client, pk)
    assert "Đang thi hành" in page
    assert re.search(
        r"Tiền thu hồi cho Nhà nước \(triệu đồng\)</th>\s*<td[^>]*>40</td><td[^>]*>25</td>", page
    )


def test_non_acceptance_with_its_legal_ground(app, client):
    pk = _dossier_id(app, "pending")
    login(client, CLERK)
    with app.app_context():
        ground = db.session.scalar(
            select(ComplaintGround).where(ComplaintGround.code == "het_thoi_hieu")
        )
        ground_id = ground.id
        db.session.remove()
    _post(
        client,
        app,
        pk,
        "refuse",
        not_accepted_on="04/12/2026",
        notice_number="16/TB-TTT",
        ground=ground_id,
    )
    page = _page(client, pk)
    assert 'id="dossier-status">Không thụ lý<' in page
    assert "Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng" in page
    assert 'id="dossier-actions"' not in page


def test_partial_then_complete_withdrawal_of_a_many_person_complaint(app, client):
    pk = _dossier_id(app, "accepted", signatory_count=6)
    login(client, CLERK)
    _post(
        client,
        app,
        pk,
        "withdraw",
        scope="partial",
        persons="2",
        on=TODAY,
        note="Hai hộ đã nhận bồi thường bổ sung.",
    )
    page = _page(client, pk)
    assert "2 người đã rút đơn, 4 người còn khiếu nại" in page
    assert 'id="dossier-status">Đã thụ lý, đang giải quyết<' in page
    _post(client, app, pk, "withdraw", scope="complete", on=TODAY)
    page = _page(client, pk)
    assert 'id="dossier-status">Đã rút đơn<' in page
    assert 'id="dossier-actions"' not in page


def test_a_step_beaten_by_a_concurrent_save_says_what_that_save_did(app):
    """Issue 7: both clerks passed the version check; the database refuses the second
    (StaleDataError), which is told what the first changed, and nothing of it is kept."""
    pk = _dossier_id(app, "accepted")
    with app.app_context():
        freeze(dt.datetime(2026, 12, 3, 9))
        clerk = user(CLERK)
        other = Session(db.engine)
        try:
            twin = other.get(ComplaintDossier, pk)
            seen = {"version_id": str(twin.version_id), "on": "03/12/2026", "note": "Chờ giám định"}
            first = db.session.get(ComplaintDossier, pk)
            apply_action(db.session, first, clerk, "suspend", {**seen, "doc_number": "30/QĐ-TTT"})
            db.session.commit()
            with pytest.raises(ActionRefused) as caught:
                apply_action(
                    other, twin, other.merge(clerk), "suspend", {**seen, "doc_number": "31/QĐ"}
                )
        finally:
            other.close()
        message = caught.value.errors[""]
        assert caught.value.status == 409
        # The first clerk's suspension (taken outside a request: by "system"), both updates.
        assert message.endswith(
            "Thay đổi trong lúc đó: 03/12/2026 09:00, system đã sửa "
            "Hạn giải quyết: 31/12/2026 → —. 03/12/2026 09:00, system đã sửa "
            "Trạng thái: Đã thụ lý, đang giải quyết → Tạm đình chỉ."
        )
        assert db.session.get(ComplaintDossier, pk).status == "suspended"
