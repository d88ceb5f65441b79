"""Complaint resolution screens and hooks, registered from app/registry.py (issue 4)."""

from __future__ import annotations

from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from app.calendar.changes import register_deadline_recomputer
from app.complaints.api import ComplaintDossierApi
from app.complaints.attention import dossier_cards
from app.complaints.documents import dossier_links
from app.complaints.ground_views import ComplaintGroundModelView
from app.complaints.list_views import ComplaintDossierListView
from app.complaints.models import ComplaintDossier
from app.complaints.opening import connect_opening
from app.complaints.page_views import ComplaintDossierActionView, ComplaintDossierPageView
from app.complaints.recompute import recompute_open_dossiers
from app.files.access import register_owner
from app.home.attention import add_attention_provider
from app.petitions.hooks import add_document_provider

CATEGORY = "Complaint resolution"


def register(appbuilder: AppBuilder) -> None:
    """Register the dossier list, page, steps and REST API, the managed list of grounds;
    open dossiers on acceptance of complaints; the landing page's cards, the link from
    the petition page, the dossier's files and the deadline recomputer."""
    category = {"category": CATEGORY, "category_label": _l("Complaint resolution")}
    appbuilder.add_view(
        ComplaintDossierListView,
        "Complaint dossiers",
        label=_l("Complaint dossiers"),
        icon="fa-folder-open",
        **category,
    )
    appbuilder.add_view(
        ComplaintGroundModelView,
        "Grounds for non-acceptance",
        label=_l("Grounds for non-acceptance"),
        icon="fa-list-ol",
        **category,
    )
    appbuilder.add_view_no_menu(ComplaintDossierPageView)
    appbuilder.add_view_no_menu(ComplaintDossierActionView)
    appbuilder.add_api(ComplaintDossierApi)
    register_owner(ComplaintDossier)
    connect_opening()
    add_attention_provider(dossier_cards)
    add_document_provider(dossier_links)
    register_deadline_recomputer(recompute_open_dossiers)
