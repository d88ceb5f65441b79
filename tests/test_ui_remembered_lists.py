"""Issue 8: lists remember their filters, sort and page size for the user's session;
"Xóa bộ lọc" forgets them; another user's session is not affected (app.ui.remembered_*).

Covers FAB's generated lists (the agency list), the reception book and the task lists;
the petition, dossier and task filters are covered in their own test files.
"""

from __future__ import annotations

import datetime as dt

import lxml.html
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.core.clock import local_to_utc, set_now
from app.extensions import db
from app.petitions.intake_data import SignatoryData
from app.petitions.reception import VisitData, record_visit
from app.security.models import AppUser
from tests import petition_records as records
from tests.conftest import login

AGENCIES = "/agencymodelview/list/"
BOOK = "/reception/book/"
CAO_LANH = {"_flt_2_name": "Cao Lãnh", "_oc_AgencyModelView": "code", "psize_AgencyModelView": "50"}


def _doc(client: FlaskClient, url: str, **args) -> lxml.html.HtmlElement:
    response = client.get(url, query_string=args or None, follow_redirects=True)
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def _record_count(doc: lxml.html.HtmlElement) -> int:
    label = doc.xpath("//strong[starts-with(normalize-space(), 'Tổng số bản ghi')]")[0]
    return int(label.tail.strip())


def _text(doc: lxml.html.HtmlElement) -> str:
    return " ".join(doc.text_content().split())


def test_the_agency_list_reopens_with_the_last_filter_sort_and_page_size(app: Flask) -> None:
    admin, monitor = app.test_client(), app.test_client()
    login(admin, "admin")
    login(monitor, "btcd.giamsat")
    filtered = _doc(admin, AGENCIES, **CAO_LANH)
    assert "Ủy ban nhân dân thành phố Cao Lãnh" in _text(filtered)
    assert "Lai Vung" not in _text(filtered)
    cao_lanh = _record_count(filtered)
    assert 0 < cao_lanh < 227

    again = admin.get(AGENCIES)  # from the menu: no query string
    assert again.status_code == 302
    reopened = _doc(admin, AGENCIES)
    assert _text(reopened) == _text(filtered), "same rows, sort and page size"
    clear = reopened.get_element_by_id("clear-filters")
    assert clear.text_content() == "Xóa bộ lọc"

    assert _record_count(_doc(monitor, AGENCIES)) == 227, "another user's list is unfiltered"

    everything = _doc(admin, clear.get("href"))
    assert _record_count(everything) == 227
    assert admin.get(AGENCIES).status_code == 200, "nothing is remembered after clearing"


def _visits(app: Flask) -> None:
    with app.app_context():
        clerk = db.session.scalar(select(AppUser).where(AppUser.username == "caolanh.tcd"))
        citizen = records.citizen("DT17-866-TCD")
        for day, kind, official in (
            (3, "regular", "Nguyễn Thị Lan"),
            (15, "leader_periodic", "Trần Văn Bình"),
        ):
            record_visit(
                db.session,
                VisitData(
                    agency_id=records.agency("DT17-866-TCD").id,
                    received_at=local_to_utc(dt.datetime(2026, 11, day, 8, 30)),
                    official_name=official,
                    visitors=[SignatoryData(full_name=citizen.full_name, citizen_id=citizen.id)],
                    matter_summary="Khiếu nại mức bồi thường khi thu hồi đất tại khóm 3, Phường 1",
                    outcome="petition_received",
                    reception_type=kind,
                    leader_in_person=kind == "leader_periodic",
                ),
                clerk,
            )
        db.session.commit()
        db.session.remove()


def _book_rows(doc: lxml.html.HtmlElement) -> int:
    return int(doc.get_element_by_id("book-total").text_content())


def test_the_reception_book_remembers_its_filters_and_page_size(app: Flask) -> None:
    set_now(dt.datetime(2026, 11, 27, 16, 0))
    _visits(app)
    clerk, other = app.test_client(), app.test_client()
    login(clerk, "caolanh.tcd")
    login(other, "caolanh.tcd")
    filtered = _doc(clerk, BOOK, reception_type="leader_periodic", psize="50")
    assert _book_rows(filtered) == 1
    reopened = _doc(clerk, BOOK)
    assert _book_rows(reopened) == 1 and "Trần Văn Bình" in _text(reopened)
    assert reopened.xpath("//select[@id='psize']/option[@selected]")[0].get("value") == "50"
    assert _book_rows(_doc(other, BOOK)) == 2, "the other session keeps its own list"
    assert _book_rows(_doc(clerk, BOOK, reset="1")) == 2
    assert _book_rows(_doc(clerk, BOOK)) == 2


def test_task_lists_offer_20_50_100_rows_per_page_and_remember_the_choice(client) -> None:
    login(client, "vpub.nhiemvu")
    first = _doc(client, "/tasks/assigned/")
    choices = first.xpath("//select[@id='psize']/option")
    assert [option.get("value") for option in choices] == ["20", "50", "100"]
    assert first.xpath("//select[@id='psize']/option[@selected]")[0].get("value") == "20"
    _doc(client, "/tasks/assigned/", psize="100")
    reopened = _doc(client, "/tasks/assigned/")
    assert reopened.xpath("//select[@id='psize']/option[@selected]")[0].get("value") == "100"
    other_list = _doc(client, "/tasks/overdue/")
    assert other_list.xpath("//select[@id='psize']/option[@selected]")[0].get("value") == "20"
