"""Calendar screens: overrides of the holiday calendar, the time-limit rules, the deadline
calculator and the list of a year's holidays (R14; legal-domain §3, §6)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, flash, request
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_appbuilder.fieldwidgets import BS3TextFieldWidget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from wtforms import BooleanField, DateField, SelectField
from wtforms.validators import DataRequired, NumberRange, Optional

from app.calendar.changes import recompute_open_deadlines
from app.calendar.deadlines import entry_deadline
from app.calendar.explain import day_reason, explain, explanation_text, format_date, format_day
from app.calendar.models import CalendarOverride, TimeLimitRule
from app.calendar.results import DeadlineResult, Unit
from app.calendar.rules import NoRuleInForce, compute_deadline, overlapping_rule, rule_codes
from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.security.views_base import DomainModelView

DATE_FORMAT = "%d/%m/%Y"
ENTRY_RULE = "entry"  # the calculator's pseudo-rule for the 15:00 rule (R14)
YEARS = range(1995, 2101)  # years the screens accept (observed holidays exist since 1995)
UNIT_LABELS = {
    Unit.WORKING_DAYS.value: _l("Working days"),
    Unit.CALENDAR_DAYS.value: _l("Calendar days"),
}


def _date_field(label: str, required: bool = True) -> DateField:
    """A date typed as dd/mm/yyyy."""
    return DateField(
        label,
        format=DATE_FORMAT,
        widget=BS3TextFieldWidget(),
        validators=[DataRequired() if required else Optional()],
        description=_l("dd/mm/yyyy"),
    )


def _format_day(value: dt.date | None) -> str:
    return format_day(value, gettext) if value else ""


def _format_date(value: dt.date | None) -> str:
    return format_date(value) if value else ""


def _recompute(session: Session, reason: str) -> None:
    """Recompute stored deadlines after a change, commit, and tell the administrator."""
    report = recompute_open_deadlines(session, reason)
    session.commit()
    if report.total:
        flash(gettext("Deadlines recomputed: %(count)s records", count=report.total), "info")
    for name, error in report.failed.items():
        message = gettext(
            "Deadlines could not be recomputed (%(name)s): %(error)s", name=name, error=error
        )
        flash(message, "warning")


class CalendarOverrideModelView(DomainModelView):
    """Extra days off and make-up working days (làm bù) announced by the Government."""

    datamodel = SQLAInterface(CalendarOverride)
    list_title = _l("Calendar overrides")
    show_title = _l("Calendar override")
    add_title = _l("Add calendar override")
    edit_title = _l("Edit calendar override")
    list_columns = ["day", "is_working_day", "reason", "legal_ref"]
    show_columns = ["day", "is_working_day", "reason", "legal_ref"]
    add_columns = edit_columns = ["day", "is_working_day", "reason", "legal_ref"]
    search_columns = ["day", "is_working_day", "reason"]
    base_order = ("day", "desc")
    label_columns = {
        "day": _l("Day"),
        "is_working_day": _l("Working day"),
        "reason": _l("Reason"),
        "legal_ref": _l("Legal basis"),
    }
    description_columns = {
        "legal_ref": _l("The announcement, e.g. Thông báo 6150/TB-BLĐTBXH"),
    }
    formatters_columns = {"day": _format_day}
    # Booleans are set explicitly: FAB would make a NOT NULL boolean "required", which
    # refuses an unticked box (an extra day off).
    add_form_extra_fields = edit_form_extra_fields = {
        "day": _date_field(_l("Day")),
        "is_working_day": BooleanField(
            _l("Working day"),
            description=_l(
                "Ticked: agencies work that day (make-up day). Not ticked: an extra day off."
            ),
        ),
    }

    def _check_unique_day(self, item: CalendarOverride) -> None:
        session = self.datamodel.session
        with session.no_autoflush:
            other = session.query(CalendarOverride).filter_by(day=item.day).first()
        if other is not None and other is not item:
            raise ValueError(
                gettext("The day %(day)s already has an override.", day=format_date(item.day))
            )

    def pre_add(self, item: CalendarOverride) -> None:
        self._check_unique_day(item)

    def pre_update(self, item: CalendarOverride) -> None:
        self._check_unique_day(item)

    def post_add(self, item: CalendarOverride) -> None:
        _recompute(self.datamodel.session, f"calendar override {item.day:%d/%m/%Y} added")

    def post_update(self, item: CalendarOverride) -> None:
        _recompute(self.datamodel.session, f"calendar override {item.day:%d/%m/%Y} changed")

    def post_delete(self, item: CalendarOverride) -> None:
        _recompute(self.datamodel.session, f"calendar override {item.day:%d/%m/%Y} deleted")


class TimeLimitRuleModelView(DomainModelView):
    """The versioned table of legal time limits: a new law is a new row."""

    datamodel = SQLAInterface(TimeLimitRule)
    list_title = _l("Time limits")
    show_title = _l("Time limit")
    add_title = _l("Add time limit")
    edit_title = _l("Edit time limit")
    list_columns = ["code", "name", "length", "unit", "valid_from", "valid_to"]
    show_columns = [
        "code",
        "name",
        "counts_from",
        "length",
        "unit",
        "roll_forward",
        "legal_ref",
        "valid_from",
        "valid_to",
        "note",
    ]
    add_columns = edit_columns = show_columns
    search_columns = ["code", "name", "legal_ref", "valid_from"]
    base_order = ("code", "asc")
    label_columns = {
        "code": _l("Code"),
        "name": _l("Name"),
        "counts_from": _l("Counted from"),
        "length": _l("Length"),
        "unit": _l("Unit"),
        "roll_forward": _l("Move a non-working last day to the next working day"),
        "legal_ref": _l("Legal basis"),
        "valid_from": _l("Valid from"),
        "valid_to": _l("Valid to"),
        "note": _l("Note"),
    }
    description_columns = {
        "code": _l("Fixed name used by the software, e.g. complaint.acceptance"),
        "valid_from": _l("The rule applies to events on or after this day."),
        "valid_to": _l("Empty: still in force. A new law is entered as a new row."),
    }
    formatters_columns = {
        "unit": lambda unit: str(UNIT_LABELS.get(unit, unit)),
        "valid_from": _format_date,
        "valid_to": _format_date,
    }
    validators_columns = {"length": [NumberRange(min=0)]}
    add_form_extra_fields = edit_form_extra_fields = {
        "unit": SelectField(_l("Unit"), choices=list(UNIT_LABELS.items())),
        "roll_forward": BooleanField(
            _l("Move a non-working last day to the next working day"),
            description=_l("Civil Code Art. 148(5); only for calendar days."),
        ),
        "valid_from": _date_field(_l("Valid from")),
        "valid_to": _date_field(_l("Valid to"), required=False),
    }

    def _check_validity(self, item: TimeLimitRule) -> None:
        if item.valid_to is not None and item.valid_to < item.valid_from:
            raise ValueError(gettext("The end of validity is before its start."))
        other = overlapping_rule(item, self.datamodel.session)
        if other is not None:
            raise ValueError(
                gettext(
                    "The validity overlaps the rule %(code)s valid from %(date)s: end that "
                    "rule first.",
                    code=other.code,
                    date=format_date(other.valid_from),
                )
            )

    def pre_add(self, item: TimeLimitRule) -> None:
        self._check_validity(item)

    def pre_update(self, item: TimeLimitRule) -> None:
        self._check_validity(item)

    def post_add(self, item: TimeLimitRule) -> None:
        _recompute(self.datamodel.session, f"time limit {item.code} added")

    def post_update(self, item: TimeLimitRule) -> None:
        _recompute(self.datamodel.session, f"time limit {item.code} changed")

    def post_delete(self, item: TimeLimitRule) -> None:
        _recompute(self.datamodel.session, f"time limit {item.code} deleted")


def _parse(value: str, fmt: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(value.strip(), fmt)
    except ValueError:
        return None


def _calculate(
    session: Session, code: str, start_text: str, time_text: str
) -> tuple[DeadlineResult | None, list[str]]:
    """The calculator's result for the typed rule, date and time, or the input errors."""
    start = _parse(start_text, DATE_FORMAT)
    moment = _parse(time_text or "00:00", "%H:%M")
    errors = []
    if start is None or start.year not in YEARS:
        errors.append(gettext("Type the start date as dd/mm/yyyy."))
    if moment is None or (code == ENTRY_RULE and not time_text):
        errors.append(gettext("Type the time as HH:MM (24-hour clock)."))
    if errors:
        return None, errors
    calendar = load_calendar(session)
    if code == ENTRY_RULE:
        return entry_deadline(calendar, dt.datetime.combine(start.date(), moment.time())), []
    try:
        return compute_deadline(code, start.date(), session, calendar=calendar), []
    except NoRuleInForce:
        message = gettext("No rule %(code)s is in force on %(date)s.", code=code, date=start_text)
        return None, [message]


class DeadlineCalculatorView(BaseView):
    """Pick a rule and a start date (and time, for the 15:00 rule) and see the due date
    with its explanation."""

    route_base = "/calendar/calculator"
    default_view = "calculator"

    @expose("/")
    @has_access
    def calculator(self):
        session = self.appbuilder.session
        code = request.args.get("rule", "")
        start_text = request.args.get("start", "")
        time_text = request.args.get("time", "")
        result, errors = None, []
        if code or start_text:
            result, errors = _calculate(session, code, start_text, time_text)
        return self.render_template(
            "calendar/calculator.html",
            rules=rule_codes(session),
            entry_rule=ENTRY_RULE,
            selected=code,
            start_text=start_text,
            time_text=time_text,
            result=result,
            unit_labels=UNIT_LABELS,
            steps=explain(result, gettext) if result else [],
            errors=errors,
            format_day=_format_day,
        )


class HolidayListView(BaseView):
    """A year's public holidays, extra days off and make-up days (package + overrides)."""

    route_base = "/calendar/holidays"
    default_view = "holidays"

    @expose("/")
    @has_access
    def holidays(self):
        year = request.args.get("year", type=int) or today_local().year
        year = min(max(year, YEARS.start), YEARS.stop - 1)
        calendar = load_calendar(self.appbuilder.session)
        days = calendar.special_days(year)
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return self.render_template(
            "calendar/holidays.html",
            year=year,
            days=days,
            working_days=calendar.working_days_between(first - dt.timedelta(days=1), last),
            format_day=_format_day,
            reason=lambda status: day_reason(status, gettext),
        )


def register(appbuilder: AppBuilder) -> None:
    """Add the calendar screens to the menu and the ``explanation`` template filter."""
    current_app.add_template_filter(explanation_text, "explanation")
    appbuilder.add_view(
        CalendarOverrideModelView,
        "Calendar overrides",
        label=_l("Calendar overrides"),
        icon="fa-calendar",
        category="Calendar",
        category_label=_l("Calendar"),
    )
    appbuilder.add_view(
        HolidayListView,
        "Holidays of the year",
        label=_l("Holidays of the year"),
        icon="fa-calendar-check-o",
        category="Calendar",
    )
    appbuilder.add_view(
        TimeLimitRuleModelView,
        "Time limits",
        label=_l("Time limits"),
        icon="fa-clock-o",
        category="Calendar",
    )
    appbuilder.add_view(
        DeadlineCalculatorView,
        "Deadline calculator",
        label=_l("Deadline calculator"),
        icon="fa-calculator",
        category="Calendar",
    )
