"""Processing deadlines on real 2026 dates (issue 3; app.calendar rule petition.processing,
10 working days): the deadline a received petition gets, its states as days pass, its
explanation on the page, the landing page's cards, and recomputation when an
administrator adds a day off."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, select

from app.audit.models import AuditLog
from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.petitions.deadline_display import deadline_display
from app.petitions.models import Petition, PetitionEvent, PetitionTransfer
from app.petitions.processing import process_petition
from app.petitions.queue import count, open_petitions
from app.petitions.recompute import recompute_petition_deadlines
from app.petitions.transfers import receive_transfer
from tests.conftest import login
from tests.petitions_processing_records import (
    FLOOD_RECOMMENDATION,
    PROVINCIAL_INSPECTORATE,
    agency,
    decision,
    freeze,
    received_petition,
    user,
)


@pytest.mark.parametrize(
    ("received", "due", "skipped", "last_step"),
    [
        # Friday before Tết Bính Ngọ: the 16–20/02 holidays and three weekends skipped.
        (
            dt.datetime(2026, 2, 13, 10, 0),
            dt.date(2026, 3, 6),
            "14–15/02 nghỉ cuối tuần, 16–20/02 Tết Nguyên Đán, 21–22/02 nghỉ cuối tuần",
            "hạn Thứ Sáu 06/03/2026",
        ),
        # Tuesday before Reunification Day and Labour Day (30/04, 01/05).
        (
            dt.datetime(2026, 4, 28, 15, 30),
            dt.date(2026, 5, 14),
            "30/04 Ngày Chiến thắng, 01/05 Ngày Quốc tế Lao động, 02–03/05 nghỉ cuối tuần",
            "hạn Thứ Năm 14/05/2026",
        ),
        # Friday 27/11/2026: two weekends only.
        (
            dt.datetime(2026, 11, 27, 8, 30),
            dt.date(2026, 12, 11),
            "28–29/11 nghỉ cuối tuần, 05–06/12 nghỉ cuối tuần",
            "hạn Thứ Sáu 11/12/2026",
        ),
    ],
)
def test_a_received_forwarded_petition_is_due_ten_working_days_later(
    app_ctx, received, due, skipped, last_step
):
    freeze(received)
    petition = received_petition(matter=FLOOD_RECOMMENDATION, received_at=received)
    data = decision(
        petition,
        "forwarded",
        "kien_nghi_ngoai_tham_quyen",
        competent=False,
        target_agency_id=agency(PROVINCIAL_INSPECTORATE).id,
    )
    process_petition(db.session, petition, data, user("caolanh.tcd"))
    transfer = db.session.scalar(select(PetitionTransfer))
    arrived = receive_transfer(db.session, transfer, user("ttt.chuyenvien"))
    db.session.commit()
    assert petition.due_date == due
    assert arrived.due_date == due
    shown = deadline_display(db.session, arrived)
    assert skipped in shown.explanation
    assert shown.explanation.endswith(last_step)


@pytest.mark.parametrize(
    ("today", "state", "label", "css"),
    [
        (dt.datetime(2026, 11, 27, 16, 0), "on_track", "Trong hạn", "success"),
        (dt.datetime(2026, 12, 7, 8, 0), "on_track", "Trong hạn", "success"),
        (dt.datetime(2026, 12, 8, 8, 0), "due_soon", "Sắp đến hạn", "warning"),
        (dt.datetime(2026, 12, 11, 16, 45), "due_today", "Đến hạn hôm nay", "warning"),
        (dt.datetime(2026, 12, 14, 7, 30), "overdue", "Quá hạn", "danger"),
    ],
)
def test_the_deadline_state_follows_the_days(app_ctx, today, state, label, css):
    freeze()
    petition = received_petition()
    assert petition.due_date == dt.date(2026, 12, 11)
    freeze(today)
    shown = deadline_display(db.session, petition)
    assert (shown.state, shown.label, shown.css) == (state, label, css)
    clerk = user("caolanh.tcd")
    in_state = open_petitions(clerk, state, today_local(), load_calendar(db.session))
    assert petition.id in set(db.session.scalars(in_state.with_only_columns(Petition.id)))
    assert count(db.session, in_state) >= 1


def test_processing_after_the_deadline_is_shown_as_late(app_ctx):
    freeze()
    on_time = received_petition()
    late = received_petition()
    freeze(dt.datetime(2026, 12, 11, 16, 0))
    clerk = user("caolanh.tcd")
    process_petition(
        db.session, on_time, decision(on_time, "archived", "da_giai_quyet", competent=True), clerk
    )
    freeze(dt.datetime(2026, 12, 14, 8, 0))
    process_petition(
        db.session, late, decision(late, "archived", "da_giai_quyet", competent=True), clerk
    )
    db.session.commit()
    assert deadline_display(db.session, on_time).label == "Xử lý đúng hạn"
    assert deadline_display(db.session, late).label == "Xử lý trễ hạn"
    assert deadline_display(db.session, late).css == "danger"


def test_the_petition_page_shows_the_deadline_and_how_it_was_computed(app, client):
    with app.app_context():
        freeze(dt.datetime(2026, 12, 8, 9, 0))
        petition = received_petition(received_at=dt.datetime(2026, 11, 27, 8, 30))
        pk = petition.id
        db.session.remove()
    login(client, "caolanh.tcd")
    page = client.get(f"/petitions/{pk}").get_data(as_text=True)
    assert '<p class="petition-due">11/12/2026</p>' in page
    assert 'id="petition-deadline-state"' in page and "Sắp đến hạn" in page
    assert "còn 3 ngày làm việc" in page
    assert "10 ngày làm việc, tính từ ngày sau Thứ Sáu 27/11/2026" in page
    assert "không tính: 28–29/11 nghỉ cuối tuần, 05–06/12 nghỉ cuối tuần" in page
    assert "hạn Thứ Sáu 11/12/2026" in page
    queue = client.get("/petitions/queue/?state=due_soon").get_data(as_text=True)
    assert f'href="/petitions/{pk}"' in queue
    assert "10 ngày làm việc, tính từ ngày sau Thứ Sáu 27/11/2026" in queue


def test_the_landing_page_counts_overdue_due_today_and_due_soon_petitions(app, client):
    with app.app_context():
        freeze(dt.datetime(2026, 12, 11, 9, 0))
        received_petition(received_at=dt.datetime(2026, 11, 26, 8, 0))  # due 10/12
        received_petition(received_at=dt.datetime(2026, 11, 27, 8, 0))  # due 11/12
        received_petition(received_at=dt.datetime(2026, 12, 1, 8, 0))  # due 15/12
        received_petition(received_at=dt.datetime(2026, 12, 2, 8, 0))  # due 16/12
        db.session.remove()
    login(client, "caolanh.tcd")
    home = client.get("/").get_data(as_text=True)
    for title in (
        "Đơn quá hạn xử lý",
        "Đơn đến hạn xử lý hôm nay",
        "Đơn sắp đến hạn xử lý",
    ):
        assert title in home
    assert "/petitions/queue/?state=overdue" in home
    assert "10/12/2026 · Khiếu nại Quyết định số 245/QĐ-UBND" in home
    client.get("/logout/")
    login(client, "laivung.tcd")
    assert "Đơn quá hạn xử lý" not in client.get("/").get_data(as_text=True)


def test_open_deadlines_move_when_an_administrator_adds_a_day_off(app, client):
    with app.app_context():
        freeze()
        waiting = received_petition()
        done = received_petition()
        process_petition(
            db.session,
            done,
            decision(done, "archived", "da_giai_quyet", competent=True),
            user("caolanh.tcd"),
        )
        db.session.commit()
        waiting_id, done_id = waiting.id, done.id
        db.session.remove()

    login(client, "admin")
    response = client.post(
        "/calendaroverridemodelview/add",
        data={
            "day": "03/12/2026",
            "reason": "Nghỉ bù Ngày Quốc phòng toàn dân",
            "legal_ref": "Thông báo 88/TB-UBND",
        },
        follow_redirects=True,
    )
    assert "Đã tính lại thời hạn" in response.get_data(as_text=True)

    with app.app_context():
        moved = db.session.get(Petition, waiting_id)
        assert moved.due_date == dt.date(2026, 12, 14)
        assert db.session.get(Petition, done_id).due_date == dt.date(2026, 12, 11)
        step = db.session.scalar(
            select(PetitionEvent).where(
                PetitionEvent.petition_id == waiting_id,
                PetitionEvent.event == "deadline_recomputed",
            )
        )
        assert step.note.startswith("11/12/2026 → 14/12/2026")
        logged = db.session.scalars(
            select(AuditLog).where(
                AuditLog.table_name == "petition", AuditLog.record_id == str(waiting_id)
            )
        ).all()
        assert any("due_date" in (entry.changes or {}) for entry in logged)
        assert recompute_petition_deadlines(db.session, "again") == 0
        db.session.remove()

    client.get("/logout/")
    login(client, "caolanh.tcd")
    page = client.get(f"/petitions/{waiting_id}").get_data(as_text=True)
    assert "03/12 Nghỉ bù Ngày Quốc phòng toàn dân" in page
    assert "Tính lại hạn xử lý" in page


def test_the_queue_reopens_on_the_state_chosen_last_until_all_is_chosen(app, client):
    """Issue 8: the processing queue remembers its deadline-state filter."""
    with app.app_context():
        freeze(dt.datetime(2026, 12, 11, 9, 0))
        overdue = received_petition(received_at=dt.datetime(2026, 11, 26, 8, 0)).id  # due 10/12
        on_track = received_petition(received_at=dt.datetime(2026, 12, 2, 8, 0)).id  # due 16/12
        db.session.remove()
    login(client, "caolanh.tcd")
    client.get("/petitions/queue/?state=overdue")
    reopened = client.get("/petitions/queue/").get_data(as_text=True)
    assert f'href="/petitions/{overdue}"' in reopened
    assert f'href="/petitions/{on_track}"' not in reopened
    every = client.get("/petitions/queue/?reset=1").get_data(as_text=True)
    assert f'href="/petitions/{on_track}"' in every and f'href="/petitions/{overdue}"' in every


def test_a_list_of_petitions_reads_the_time_limit_rules_once(app, client):
    """Speed at scale (issue 7 load test): the queue explains each petition's deadline
    from the rule table read once, not once per petition."""
    with app.app_context():
        freeze(dt.datetime(2026, 12, 11, 9, 0))
        for day in (24, 25, 26, 27):
            received_petition(received_at=dt.datetime(2026, 11, day, 8, 0))
        db.session.remove()
    login(client, "caolanh.tcd")
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", remember)
        try:
            page = client.get("/petitions/queue/").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", remember)
    assert page.count("10 ngày làm việc, tính từ ngày sau") >= 4
    assert sum("FROM time_limit_rule" in statement for statement in statements) == 1


def test_the_queue_is_paged_earliest_deadline_first_and_keeps_the_page_size(app, client):
    """Issue 8 (long lists paginate quickly; page size remembered): 55 open petitions,
    50 on the first page, the 5 with the latest deadlines on the second."""
    with app.app_context():
        freeze(dt.datetime(2026, 12, 11, 9, 0))
        latest = [
            received_petition(received_at=dt.datetime(2026, 12, 4, 8, 0) + dt.timedelta(minutes=k))
            for k in range(5)
        ]
        for k in range(50):
            received_petition(received_at=dt.datetime(2026, 11, 20, 8, 0) + dt.timedelta(minutes=k))
        late_ids = [p.id for p in latest]
        db.session.remove()
    login(client, "caolanh.tcd")
    first = client.get("/petitions/queue/").get_data(as_text=True)
    assert "55 đơn" in first and "Trang 1 / 2" in first
    assert not any(f'href="/petitions/{pk}"' in first for pk in late_ids)
    second = client.get("/petitions/queue/?page=2").get_data(as_text=True)
    assert all(f'href="/petitions/{pk}"' in second for pk in late_ids)
    client.get("/petitions/queue/?psize=100")
    assert all(
        f'href="/petitions/{pk}"' in client.get("/petitions/queue/").get_data(as_text=True)
        for pk in late_ids
    )
