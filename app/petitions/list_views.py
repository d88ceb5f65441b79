"""Lists of the petition domain, each under the user's data scope (R8, R11; issue 3).

- Petitions: filters (agency and those under it, period received, kind, subject area,
  status, deadline state), diacritics-insensitive search, pages, rows coloured by
  deadline, "Xuất Excel" of exactly the filtered list. Filters and page size are
  remembered for the user's session.
- Citizens: search by name, ID number or phone; a citizen's page lists their petitions in
  the user's scope.
- Cases: a case's page lists its petitions in the user's scope, first-time and repeat;
  the title of a case held outside the scope is not shown.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import Response, abort, g, jsonify, request
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency
from app.calendar.store import load_calendar
from app.core.clock import today_local
from app.extensions import db
from app.petitions.choices import CHANNELS, KINDS, PRIOR_RESOLUTION, REPEAT_KINDS, STATUSES
from app.petitions.deadlines import deadline_state
from app.petitions.export import deadline_labels, petitions_workbook
from app.petitions.identity import digits_only
from app.petitions.listing import (
    DEADLINE_FILTERS,
    DUE_SOON_WORKING_DAYS,
    PAGE_SIZES,
    count_petitions,
    page_of,
    parse_filters,
    petition_query,
    petitioner,
    row_options,
)
from app.petitions.models import Case, Citizen, Petition, PetitionSignatory, SubjectArea
from app.petitions.normalize import fold
from app.petitions.pickers import agency_choice, search_agencies
from app.petitions.transfers import petition_path
from app.security.scope import scope_condition, sees_whole_province
from app.ui.remembered_filters import page_and_size, remembered_args

EXPORT_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}\.xlsx")
# Bootstrap row classes by deadline state.
ROW_CLASSES = {"overdue": "danger", "due_today": "warning", "due_soon": "warning"}


def _pages(total: int, size: int) -> int:
    return max((total + size - 1) // size, 1)


class PetitionListView(BaseView):
    """R8, R11: the petitions of the user's scope, filtered, searched, exported."""

    route_base = "/petitions/list"
    default_view = "list"
    method_permission_name = {"list": "list", "export": "list", "agencies": "list"}

    @expose("/")
    @has_access
    def list(self):
        """The filtered list, one page, rows coloured by deadline state."""
        args = remembered_args("petitions.petitions")
        filters, errors = parse_filters(args)
        page, size = page_and_size(args, PAGE_SIZES)
        today = today_local()
        calendar = load_calendar(db.session)
        query = petition_query(db.session, filters, g.user, today=today, calendar=calendar)
        total = count_petitions(db.session, query)
        page = min(page, _pages(total, size))
        rows = [
            (
                petition,
                petitioner(petition),
                deadline_state(
                    petition, today, calendar, due_soon_working_days=DUE_SOON_WORKING_DAYS
                ),
            )
            for petition in page_of(db.session, query, page, size)
        ]
        link_args = {**filters.as_args(), "psize": str(size)}
        return self.render_template(
            "petitions/list_petitions.html",
            title=gettext("Petition list"),
            rows=rows,
            total=total,
            page=page,
            pages=_pages(total, size),
            size=size,
            sizes=PAGE_SIZES,
            filters=filters,
            typed=args,
            errors=errors,
            agency=agency_choice(db.session, filters.agency_id),
            kinds=KINDS,
            statuses=STATUSES,
            channels=CHANNELS,
            repeat_kinds=REPEAT_KINDS,
            areas=db.session.scalars(select(SubjectArea).order_by(SubjectArea.sort_order)).all(),
            deadline_filters=DEADLINE_FILTERS,
            deadline_labels=deadline_labels(),
            row_classes=ROW_CLASSES,
            link_args=link_args,
            query_string=urlencode(link_args),
            petition_path=petition_path,
            province_wide=sees_whole_province(g.user),
            export_name=f"danh-sach-don-{today:%Y%m%d}.xlsx",
        )

    @expose("/export/<string:filename>")
    @has_access
    def export(self, filename: str):
        """R8: "Xuất Excel" — the filtered list as a workbook (scope applied in SQL); the
        address names the file the browser saves (``danh-sach-don.xlsx``)."""
        if not EXPORT_NAME.fullmatch(filename):
            abort(404)
        filters, _errors = parse_filters(request.args)
        today = today_local()
        calendar = load_calendar(db.session)
        query = petition_query(db.session, filters, g.user, today=today, calendar=calendar)
        title = gettext(
            "Petitions — exported on %(date)s by %(user)s",
            date=today.strftime("%d/%m/%Y"),
            user=g.user.username,
        )
        content = petitions_workbook(db.session, query, title=title, today=today, calendar=calendar)
        return Response(
            content,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @expose("/agencies")
    @has_access
    def agencies(self):
        """Agencies of the user's scope matching what is typed (the filter's picker)."""
        found = search_agencies(
            db.session, request.args.get("q", ""), scope_condition(Agency, g.user), today_local()
        )
        return jsonify([choice.__dict__ for choice in found])


def _citizen_search(q: str):
    """Citizens by folded name words, or by ID number / phone when digits are typed."""
    digits = digits_only(q)
    if len(digits) >= 9 and not fold(q).replace(" ", "").strip("0123456789"):
        return or_(Citizen.id_number == digits, Citizen.phone == digits)
    words = fold(q).split()
    return and_(*(Citizen.name_folded.contains(word, autoescape=True) for word in words))


class CitizenListView(BaseView):
    """R11: citizens of the user's scope and, on a citizen's page, their petitions in it."""

    route_base = "/petitions/citizens"
    default_view = "list"
    method_permission_name = {"list": "list", "show": "show"}

    @expose("/")
    @has_access
    def list(self):
        """Citizens in scope, searchable by name, ID number or phone, in pages."""
        args = remembered_args("petitions.citizens")
        page, size = page_and_size(args, PAGE_SIZES)
        q = " ".join(args.get("q", "").split())[:100]
        query = select(Citizen).where(scope_condition(Citizen, g.user))
        if q:
            query = query.where(_citizen_search(q))
        total = db.session.scalar(query.with_only_columns(func.count(Citizen.id))) or 0
        page = min(page, _pages(total, size))
        citizens = db.session.scalars(
            query.options(selectinload(Citizen.commune))
            .order_by(Citizen.name_folded, Citizen.id)
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        return self.render_template(
            "petitions/list_citizens.html",
            title=gettext("Citizens"),
            citizens=citizens,
            total=total,
            page=page,
            pages=_pages(total, size),
            size=size,
            sizes=PAGE_SIZES,
            q=q,
            query_string=urlencode({"q": q, "psize": size}),
        )

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int):
        """A citizen and the petitions they signed, in the user's scope (R11)."""
        citizen = db.session.scalar(
            select(Citizen).where(Citizen.id == pk, scope_condition(Citizen, g.user))
        )
        if citizen is None:
            abort(404)
        petitions = db.session.scalars(
            select(Petition)
            .where(
                scope_condition(Petition, g.user),
                exists().where(
                    PetitionSignatory.petition_id == Petition.id,
                    PetitionSignatory.citizen_id == citizen.id,
                ),
            )
            .options(*row_options(), selectinload(Petition.case))
            .order_by(Petition.received_at.desc())
        ).all()
        return self.render_template(
            "petitions/list_citizen_show.html",
            title=citizen.full_name,
            citizen=citizen,
            petitions=petitions,
            kinds=KINDS,
            statuses=STATUSES,
            petition_path=petition_path,
        )


def _case_held_in_scope(case: Case) -> bool:
    return bool(
        db.session.scalar(
            select(Agency.id).where(Agency.id == case.agency_id, scope_condition(Agency, g.user))
        )
    )


class CaseListView(BaseView):
    """Cases of the user's scope; a case's page shows its petitions in the scope, first-time
    and repeat (legal-domain.md §2.5: the forms count cases and petitions)."""

    route_base = "/petitions/cases"
    default_view = "list"
    method_permission_name = {"list": "list", "show": "show"}

    @expose("/")
    @has_access
    def list(self):
        """Cases in scope, newest first, searchable by code or title, in pages."""
        args = remembered_args("petitions.cases")
        page, size = page_and_size(args, PAGE_SIZES)
        q = " ".join(args.get("q", "").split())[:100]
        in_scope = scope_condition(Case, g.user)
        held_here = Case.agency_id.in_(select(Agency.id).where(scope_condition(Agency, g.user)))
        query = select(Case).where(in_scope)
        if q:
            query = query.where(
                or_(
                    Case.code.contains(q.upper(), autoescape=True),
                    and_(held_here, Case.title.contains(q, autoescape=True)),
                )
            )
        total = db.session.scalar(query.with_only_columns(func.count(Case.id))) or 0
        page = min(page, _pages(total, size))
        petition_scope = scope_condition(Petition, g.user)
        counts = (
            select(func.count(Petition.id))
            .where(Petition.case_id == Case.id, petition_scope)
            .scalar_subquery()
        )
        rows = db.session.execute(
            query.add_columns(counts, held_here)
            .options(selectinload(Case.agency), selectinload(Case.main_citizen))
            .order_by(Case.opened_at.desc(), Case.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        return self.render_template(
            "petitions/list_cases.html",
            title=gettext("Cases"),
            rows=rows,
            total=total,
            page=page,
            pages=_pages(total, size),
            size=size,
            sizes=PAGE_SIZES,
            q=q,
            kinds=KINDS,
            query_string=urlencode({"q": q, "psize": size}),
        )

    @expose("/<int:pk>")
    @has_access
    def show(self, pk: int):
        """A case and its petitions in the user's scope, first-time and repeat."""
        case = db.session.scalar(select(Case).where(Case.id == pk, scope_condition(Case, g.user)))
        if case is None:
            abort(404)
        petitions = db.session.scalars(
            select(Petition)
            .where(Petition.case_id == case.id, scope_condition(Petition, g.user))
            .options(*row_options())
            .order_by(Petition.received_at)
        ).all()
        held = _case_held_in_scope(case)
        return self.render_template(
            "petitions/list_case_show.html",
            title=case.code,
            case=case,
            held=held,
            main_citizen=case.main_citizen if held else None,
            petitions=petitions,
            kinds=KINDS,
            statuses=STATUSES,
            repeat_kinds=REPEAT_KINDS,
            prior_resolutions=PRIOR_RESOLUTION,
            petition_path=petition_path,
        )
