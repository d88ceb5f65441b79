"""The citizen reception book on screen (Luật TCD Art. 25): the book with its filters and
Excel export, recording and correcting a visit, a visit's page (issue 3).

Rules are in app.petitions.reception; every query goes through the data scope (R11): a
visit outside it answers 404, the book lists only visits in scope.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from flask import abort, flash, jsonify, redirect, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.agencies.models import Agency
from app.core.clock import now_utc, today_local
from app.extensions import db
from app.petitions.addresses import citizen_address
from app.petitions.choices import RECEPTION_CHANNELS, RECEPTION_TYPES, SEXES, VISIT_OUTCOMES
from app.petitions.citizen_search import search_cases, search_citizens
from app.petitions.models import ReceptionVisit
from app.petitions.permissions import holds
from app.petitions.pickers import receiving_agencies_in, search_communes
from app.petitions.reception import (
    NO_DELEGATION_FROM,
    VisitInvalid,
    delegation_warning,
    delete_visit,
    install_visit_case_listener,
    record_visit,
    representative_ids,
    update_visit,
    visit_petitions,
)
from app.petitions.reception_book import BOOK_COLUMNS, BookFilter, book_rows, count_visits
from app.petitions.reception_export import book_workbook
from app.petitions.reception_form import (
    case_label,
    form_rows,
    parse_visit_form,
    visit_form_values,
)
from app.security.scope import request_user, scope_condition
from app.ui.dates import format_vn_datetime, parse_vn_date, parse_vn_datetime
from app.ui.remembered_filters import PAGE_SIZES, page_and_size, remembered_args

# (permission, view) of the intake screen, as PetitionIntakeView declares it.
INTAKE = ("can_intake", "PetitionIntakeView")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user_name(user: Any) -> str:
    return " ".join(part for part in (user.first_name, user.last_name) if part)


def _book_filter(args: MultiDict) -> tuple[BookFilter, dict[str, str]]:
    errors: dict[str, str] = {}
    days: dict[str, dt.date | None] = {}
    for key in ("date_from", "date_to"):
        text = (args.get(key) or "").strip()
        days[key] = None
        if text:
            try:
                days[key] = parse_vn_date(text)
            except ValueError:
                errors[key] = gettext("Invalid date, enter it as dd/mm/yyyy")
    agency = args.get("agency", type=int)
    kind = args.get("reception_type") or None
    return BookFilter(days["date_from"], days["date_to"], agency, kind), errors


def _period_text(wanted: BookFilter) -> str:
    start = wanted.date_from.strftime("%d/%m/%Y") if wanted.date_from else "…"
    end = wanted.date_to.strftime("%d/%m/%Y") if wanted.date_to else "…"
    return gettext("From %(start)s to %(end)s", start=start, end=end)


def _visit_or_404(visit_id: int) -> ReceptionVisit:
    visit = db.session.scalar(
        select(ReceptionVisit).where(
            ReceptionVisit.id == visit_id, scope_condition(ReceptionVisit, request_user())
        )
    )
    if visit is None:
        abort(404)
    return visit


class ReceptionVisitView(BaseView):
    """Luật TCD Art. 25: the reception book of the user's scope and its visits."""

    route_base = "/reception"
    default_view = "book"
    # Reading: book, show, export. Writing: record (with its pickers), correct, remove.
    method_permission_name = {
        "add": "record",
        "save": "record",
        "citizens": "record",
        "communes": "record",
        "cases": "record",
        "edit": "correct",
        "update": "correct",
        "delete": "remove",
    }

    def _agencies(self) -> list[Agency]:
        return receiving_agencies_in(db.session, scope_condition(Agency, request_user()))

    @expose("/book/")
    @has_access
    def book(self) -> ResponseReturnValue:
        """The book: visits of the user's scope by period, agency and reception type; the
        filters and page size are remembered for the session (issue 8)."""
        args = remembered_args("reception.book")
        wanted, errors = _book_filter(MultiDict(args))
        page, size = page_and_size(args)
        user = request_user()
        total = count_visits(db.session, user, wanted)
        pages = max((total + size - 1) // size, 1)
        page = min(page, pages)
        rows = book_rows(db.session, user, wanted, offset=(page - 1) * size, limit=size)
        return self.render_template(
            "petitions/reception_book.html",
            rows=rows,
            total=total,
            page=page,
            pages=pages,
            size=size,
            sizes=PAGE_SIZES,
            args=args,
            errors=errors,
            agencies=self._agencies(),
            reception_types=RECEPTION_TYPES,
            columns=[str(column) for column in BOOK_COLUMNS],
            export_name=export_name(),
            export_args={key: value for key, value in args.items() if key != "page"},
        )

    @expose("/book/export/<string:filename>")
    @has_access
    def export(self, filename: str) -> ResponseReturnValue:
        """The book as filtered, as an Excel workbook in the book's columns (``filename``
        only names the download in the address; the file is always named by the day)."""
        wanted, _errors = _book_filter(request.args)
        user = request_user()
        agency = db.session.get(Agency, wanted.agency_id) if wanted.agency_id else None
        if agency is not None and agency not in self._agencies():
            agency = None
        subtitle = " — ".join(
            part
            for part in (agency.name if agency else user_agency_name(user), _period_text(wanted))
            if part
        )
        content = book_workbook(book_rows(db.session, user, wanted), subtitle)
        return send_file(
            io.BytesIO(content),
            mimetype=XLSX,
            as_attachment=True,
            download_name=export_name(),
            max_age=0,
        )

    def _form(
        self,
        values: MultiDict,
        errors: dict[str, str],
        *,
        visit: ReceptionVisit | None = None,
        status: int = 200,
    ) -> ResponseReturnValue:
        user = request_user()
        page = self.render_template(
            "petitions/reception_form.html",
            values=values,
            errors=errors,
            visit=visit,
            rows=form_rows(db.session, values, user),
            case_label=case_label(db.session, values.get("case", ""), user),
            agencies=self._agencies(),
            reception_types=RECEPTION_TYPES,
            channels=RECEPTION_CHANNELS,
            outcomes=VISIT_OUTCOMES,
            sexes=SEXES,
            no_delegation_from=NO_DELEGATION_FROM.strftime("%d/%m/%Y"),
            warning=delegation_warning_for(values),
        )
        return page, status

    def _defaults(self) -> MultiDict:
        user = request_user()
        agencies = self._agencies()
        own = next((a for a in agencies if a.id == user.agency_id), None)
        agency = own or (agencies[0] if len(agencies) == 1 else None)
        return MultiDict(
            {
                "agency": str(agency.id) if agency else "",
                "received_at": format_vn_datetime(now_utc()),
                "official_name": _user_name(user),
                "reception_type": "regular",
                "channel": "in_person",
                "outcome": "",
            }
        )

    @expose("/new", methods=["GET"])
    @has_access
    def add(self) -> ResponseReturnValue:
        """An empty visit, dated now, received by the user at their agency."""
        return self._form(self._defaults(), {})

    @expose("/new", methods=["POST"])
    @has_access
    def save(self) -> ResponseReturnValue:
        """Record the visit; a refusal shows the form again, as typed, with a Vietnamese
        message next to each field and nothing saved."""
        user = request_user()
        data, errors = parse_visit_form(db.session, request.form, user)
        if not errors:
            data.official_id = user.id if data.official_name == _user_name(user) else None
            try:
                visit = record_visit(db.session, data, user)
            except VisitInvalid as invalid:
                errors = invalid.errors
            else:
                db.session.commit()
                flash(gettext("The visit was recorded in the reception book."), "success")
                warning = delegation_warning(visit.received_at, visit.delegated)
                if warning:
                    flash(warning, "warning")
                return redirect(url_for("ReceptionVisitView.show", visit_id=visit.id))
        db.session.rollback()
        return self._form(request.form, errors, status=422)

    @expose("/<int:visit_id>")
    @has_access
    def show(self, visit_id: int) -> ResponseReturnValue:
        """A visit of the user's scope with its citizens and the petitions it gave."""
        visit = _visit_or_404(visit_id)
        user = request_user()
        return self.render_template(
            "petitions/reception_show.html",
            visit=visit,
            representatives=representative_ids(db.session, visit),
            petitions=visit_petitions(db.session, visit, user),
            addresses={citizen.id: citizen_address(citizen) for citizen in visit.citizens},
            labels={
                "type": RECEPTION_TYPES.get(visit.reception_type, visit.reception_type),
                "channel": RECEPTION_CHANNELS.get(visit.channel, visit.channel),
                "outcome": VISIT_OUTCOMES.get(visit.outcome, visit.outcome),
            },
            warning=delegation_warning(visit.received_at, visit.delegated),
            intake_url=intake_url(visit),
            may_edit=holds(user, ("can_correct", "ReceptionVisitView")),
            may_receive=holds(user, INTAKE),
        )

    @expose("/<int:visit_id>/edit", methods=["GET"])
    @has_access
    def edit(self, visit_id: int) -> ResponseReturnValue:
        """The visit's form, to correct it."""
        visit = _visit_or_404(visit_id)
        return self._form(MultiDict(visit_form_values(db.session, visit)), {}, visit=visit)

    @expose("/<int:visit_id>/edit", methods=["POST"])
    @has_access
    def update(self, visit_id: int) -> ResponseReturnValue:
        """Save the corrections (same rules as recording)."""
        visit = _visit_or_404(visit_id)
        user = request_user()
        data, errors = parse_visit_form(db.session, request.form, user)
        if not errors:
            data.official_id = user.id if data.official_name == _user_name(user) else None
            try:
                update_visit(db.session, visit, data, user)
            except VisitInvalid as invalid:
                errors = invalid.errors
            else:
                db.session.commit()
                flash(gettext("The visit was corrected."), "success")
                return redirect(url_for("ReceptionVisitView.show", visit_id=visit.id))
        db.session.rollback()
        return self._form(request.form, errors, visit=_visit_or_404(visit_id), status=422)

    @expose("/<int:visit_id>/delete", methods=["POST"])
    @has_access
    def delete(self, visit_id: int) -> ResponseReturnValue:
        """R9: remove a visit from the book (an administrator can restore it)."""
        delete_visit(db.session, _visit_or_404(visit_id))
        db.session.commit()
        flash(gettext("The visit was removed from the reception book."), "success")
        return redirect(url_for("ReceptionVisitView.book"))

    @expose("/citizens")
    @has_access
    def citizens(self) -> ResponseReturnValue:
        """R11: citizens of the user's scope matching what is typed (picker)."""
        found = search_citizens(db.session, request.args.get("q", ""), request_user())
        return jsonify([choice.__dict__ for choice in found])

    @expose("/cases")
    @has_access
    def cases(self) -> ResponseReturnValue:
        """R11: cases of the user's scope matching what is typed (picker)."""
        found = search_cases(db.session, request.args.get("q", ""), request_user())
        return jsonify([choice.__dict__ for choice in found])

    @expose("/communes")
    @has_access
    def communes(self) -> ResponseReturnValue:
        """Communes matching what is typed, for a new citizen's address (picker)."""
        found = search_communes(db.session, request.args.get("q", ""), today_local())
        return jsonify([choice.__dict__ for choice in found])


def export_name() -> str:
    """The download name of the book's export: "so-tiep-cong-dan-20261127.xlsx"."""
    return f"so-tiep-cong-dan-{today_local():%Y%m%d}.xlsx"


def user_agency_name(user: Any) -> str:
    """The name of the user's agency (the book's subtitle when no agency is chosen)."""
    agency = getattr(user, "agency", None)
    return agency.name if agency is not None else ""


def delegation_warning_for(values: MultiDict) -> str | None:
    """The L136 warning for the form as typed (shown again after a refusal)."""
    try:
        received = parse_vn_datetime(values.get("received_at", ""))
    except ValueError:
        return None
    return delegation_warning(received, values.get("delegated") == "y")


def intake_url(visit: ReceptionVisit) -> str:
    """The intake screen prefilled with the visit (the petition it gives is linked to it)."""
    return url_for("PetitionIntakeView.lookup", visit=visit.id)


def register(appbuilder: AppBuilder) -> None:
    """The reception menu: the book and recording a visit."""
    from app.petitions.reception_api import ReceptionVisitApi

    install_visit_case_listener()
    appbuilder.add_api(ReceptionVisitApi)
    category = {"category": "Reception", "category_label": _l("Citizen reception")}
    appbuilder.add_view(
        ReceptionVisitView,
        "Reception book",
        label=_l("Reception book"),
        icon="fa-book",
        **category,
    )
    appbuilder.add_link(
        "Record a reception visit",
        href="/reception/new",
        label=_l("Record a reception visit"),
        icon="fa-user-plus",
        **category,
    )
