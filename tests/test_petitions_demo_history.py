"""The demo petitions' history dates their receipt on the day they were received, in
local time (R9), not the moment the demo was loaded weeks later."""

from __future__ import annotations

from sqlalchemy import select

from app.core.clock import to_local
from app.extensions import db
from app.petitions.models import Petition
from tests.conftest import login


def test_a_demo_petition_history_says_when_it_was_received(app, client):
    with app.app_context():
        loan = db.session.scalars(
            select(Petition).where(Petition.summary.like("Khiếu nại quyết định thu hồi đất%"))
        ).one()
        received = to_local(loan.received_at)
        step = next(event for event in loan.events if event.event == "received")
        assert step.at == loan.received_at
        petition_id = loan.id
        db.session.remove()
    assert received.hour == 9
    login(client, "ttt.chuyenvien")
    page = client.get(f"/petitions/{petition_id}").get_data(as_text=True)
    assert received.strftime("%d/%m/%Y 09:00") in page
