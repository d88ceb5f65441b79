"""dd/mm/yyyy dates: parsing, fields, widgets, FAB form conversion, filters and formatters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from app.ui.dates import (
    VNDateField,
    VNDateTimeField,
    format_vn_date,
    format_vn_datetime,
    parse_vn_date,
    parse_vn_datetime,
)

UTC = dt.UTC
TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"


class DateForm(Form):
    day = VNDateField("Day")
    at = VNDateTimeField("At")


@pytest.fixture(scope="module")
def babel_app() -> Flask:
    """A bare Flask app with Flask-Babel on our catalog; the locale is the ``lang`` arg."""
    from flask import request

    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=lambda: request.args.get("lang", "vi"))
    return app


@pytest.fixture
def vi(babel_app: Flask) -> Iterator[None]:
    with babel_app.test_request_context("/?lang=vi"):
        yield


def submit(**data: str) -> DateForm:
    form = DateForm(formdata=MultiDict(data))
    form.validate()
    return form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27/11/2026", dt.date(2026, 11, 27)),
        ("5/1/2026", dt.date(2026, 1, 5)),
        ("05/11/2026", dt.date(2026, 11, 5)),
        ("27-11-2026", dt.date(2026, 11, 27)),
        ("27.11.2026", dt.date(2026, 11, 27)),
        (" 27/11/2026 ", dt.date(2026, 11, 27)),
        ("2026-11-27", dt.date(2026, 11, 27)),
        ("29/02/2028", dt.date(2028, 2, 29)),
    ],
)
def test_parse_date_reads_day_first_and_iso(text: str, expected: dt.date) -> None:
    assert parse_vn_date(text) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2026", "29/02/2026", "27/13/2026", "27/11/26", "11/27/2026", "hôm nay", ""]
)
def test_parse_date_rejects_impossible_or_ambiguous_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vn_date(text)


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("27/11/2026 14:30", dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)),
        ("27/11/2026 14h30", dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)),
        ("27/11/2026 7:05:09", dt.datetime(2026, 11, 27, 0, 5, 9, tzinfo=UTC)),
        ("14:30 27/11/2026", dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)),
        ("27/11/2026", dt.datetime(2026, 11, 26, 17, 0, tzinfo=UTC)),
        ("2026-11-27T14:30:00+07:00", dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)),
        ("2026-11-27T07:30:00Z", dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)),
        ("2026-11-27 14:30", dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)),
    ],
)
def test_parse_datetime_reads_local_time(text: str, expected_utc: dt.datetime) -> None:
    assert parse_vn_datetime(text) == expected_utc


@pytest.mark.parametrize("text", ["27/11/2026 25:00", "27/11/2026 14:3", "14:30", "27/11"])
def test_parse_datetime_rejects_bad_text(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vn_datetime(text)


def test_format_shows_dd_mm_yyyy_and_local_time() -> None:
    assert format_vn_date(dt.date(2026, 1, 5)) == "05/01/2026"
    assert format_vn_datetime(dt.datetime(2026, 11, 27, 17, 30, tzinfo=UTC)) == "28/11/2026 00:30"
    assert format_vn_date(None) == format_vn_datetime(None) == ""


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_date_text_round_trips(day: dt.date) -> None:
    assert parse_vn_date(format_vn_date(day)) == day


@given(
    st.datetimes(
        min_value=dt.datetime(1950, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.just(UTC)
    ).map(lambda moment: moment.replace(second=0, microsecond=0))
)
def test_datetime_text_round_trips_to_the_minute(moment: dt.datetime) -> None:
    assert parse_vn_datetime(format_vn_datetime(moment)) == moment


def test_fields_accept_vietnamese_input_and_render_it_back(vi: None) -> None:
    form = submit(day="27/11/2026", at="27/11/2026 14:30")
    assert not form.errors
    assert form.day.data == dt.date(2026, 11, 27)
    assert form.at.data == dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)
    assert form.day._value() == "27/11/2026"


def test_fields_accept_iso_for_api_clients(vi: None) -> None:
    form = submit(day="2026-11-27", at="2026-11-27T14:30:00+07:00")
    assert not form.errors
    assert form.day.data == dt.date(2026, 11, 27)
    assert form.at.data == dt.datetime(2026, 11, 27, 7, 30, tzinfo=UTC)


def test_empty_input_is_no_date_and_no_error(vi: None) -> None:
    form = submit(day="", at=" ")
    assert not form.errors
    assert form.day.data is None
    assert form.at.data is None


def test_invalid_input_gets_the_vietnamese_message_and_is_kept(vi: None) -> None:
    form = submit(day="31/02/2026", at="27/11/2026 25:61")
    assert form.errors["day"] == ["Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy"]
    assert form.errors["at"] == ["Ngày giờ không hợp lệ, nhập theo dạng dd/mm/yyyy hh:mm"]
    assert 'value="31/02/2026"' in form.day()


def test_invalid_input_message_follows_the_interface_language(babel_app: Flask) -> None:
    with babel_app.test_request_context("/?lang=en"):
        assert submit(day="2026/11/27").errors["day"] == ["Invalid date, enter it as dd/mm/yyyy"]


def test_widgets_use_the_vietnamese_picker_not_fabs(vi: None) -> None:
    form = DateForm(
        data={"day": dt.date(2026, 1, 5), "at": dt.datetime(2026, 1, 5, 1, 0, tzinfo=UTC)}
    )
    day_html, at_html = str(form.day()), str(form.at())
    assert 'value="05/01/2026"' in day_html
    assert 'value="05/01/2026 08:00"' in at_html
    for html in (day_html, at_html):
        assert 'data-provide="datepicker"' in html
        assert 'data-date-format="dd/mm/yyyy"' in html
        assert 'data-date-language="vi"' in html
        assert "appbuilder_date" not in html
    assert 'input-group date vn-date"' in day_html
    assert "vn-datetime" in at_html
    assert 'placeholder="dd/mm/yyyy hh:mm"' in at_html


def test_picker_language_follows_the_interface(babel_app: Flask) -> None:
    with babel_app.test_request_context("/?lang=en"):
        assert 'data-date-language="en"' in str(DateForm().day())


def test_fab_generated_forms_get_the_vietnamese_fields(app_ctx) -> None:
    from flask_appbuilder.fields import QuerySelectField
    from flask_appbuilder.forms import GeneralModelConverter
    from flask_appbuilder.models.sqla.interface import SQLAInterface

    from app.agencies.models import Agency
    from app.ui.forms import label_blank_choices, use_vn_date_fields

    columns = ["name", "valid_from", "created_at", "parent"]
    converter = GeneralModelConverter(SQLAInterface(Agency))
    form_class = label_blank_choices(use_vn_date_fields(converter.create_form({}, columns)))
    form = form_class(formdata=MultiDict({"valid_from": "05/11/2026", "name": "Ủy ban"}))
    assert isinstance(form.valid_from, VNDateField)
    assert isinstance(form.created_at, VNDateTimeField)
    assert isinstance(form.parent, QuerySelectField)
    assert form.valid_from.data == dt.date(2026, 11, 5)
    assert [field.name for field in form if field.name != "csrf_token"] == columns
    assert '<option selected value="__None">(không có)</option>' in str(form.parent())


def test_model_view_base_converts_forms_filters_and_formatters(app_ctx) -> None:
    from flask_appbuilder.models.sqla.interface import SQLAInterface

    from app.calendar.models import TimeLimitRule
    from app.ui.filters import VNFilterGreater
    from app.ui.views import VNModelView

    class RuleView(VNModelView):
        datamodel = SQLAInterface(TimeLimitRule)
        list_columns = ["code", "valid_from", "roll_forward", "note", "created_at"]
        formatters_columns = {"code": str.upper}

    view = RuleView()
    for form in (view.add_form, view.edit_form, view.search_form):
        assert form.valid_from.field_class is VNDateField
        assert form.created_at.field_class is VNDateTimeField
    assert VNFilterGreater in [
        type(flt) for flt in view._filters.get_search_filters()["valid_from"]
    ]
    fmt = view.formatters_columns
    assert fmt["code"]("abc") == "ABC"
    assert fmt["valid_from"](dt.date(2026, 1, 5)) == "05/01/2026"
    assert fmt["created_at"](dt.datetime(2026, 1, 5, 1, 0, tzinfo=UTC)) == "08:00 05/01/2026"
    assert fmt["roll_forward"](True) == "Có"
    assert fmt["roll_forward"](False) == "Không"
    assert fmt["note"](None) == ""


def test_date_filters_read_day_first_and_local_time(app_ctx) -> None:
    from flask_appbuilder.models.sqla.interface import SQLAInterface

    from app.audit.models import AuditLog
    from app.calendar.models import CalendarOverride
    from app.extensions import db
    from app.ui.filters import VNFilterConverter, VNFilterEqual, VNFilterGreater

    for day in (dt.date(2026, 5, 11), dt.date(2026, 11, 5)):
        db.session.add(CalendarOverride(day=day, is_working_day=True, reason="Thử"))
    db.session.flush()
    days = SQLAInterface(CalendarOverride)
    days.filter_converter_class = VNFilterConverter
    filters = days.get_filters(["day"]).add_filter("day", VNFilterEqual, "05/11/2026")
    assert [row.day for row in days.query(filters)[1]] == [dt.date(2026, 11, 5)]

    log = SQLAInterface(AuditLog)
    log.filter_converter_class = VNFilterConverter
    latest = db.session.query(db.func.max(AuditLog.at)).scalar()
    since = format_vn_datetime(latest - dt.timedelta(minutes=1))
    count, _rows = log.query(log.get_filters(["at"]).add_filter("at", VNFilterGreater, since))
    assert count >= 1
    count, _rows = log.query(log.get_filters(["at"]).add_filter("at", VNFilterGreater, "xx"))
    assert count == db.session.query(AuditLog).count()
