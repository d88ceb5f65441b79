"""Every screen and API of the petition domain, registered in menu order (issue 3).

The intake, lists and REST API (app.petitions.intake_views, list_views, api) are
registered here; the processing and slips screens add their own ``register`` call.
"""

from __future__ import annotations

from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from app.home.attention import add_attention_provider

PETITIONS_MENU = "Petitions"


def register_intake_and_lists(appbuilder: AppBuilder) -> None:
    """The intake screen, the petition, case and citizen lists, their API, the home card."""
    from app.petitions.api import CaseApi, CitizenApi, PetitionApi
    from app.petitions.intake_home import received_today_cards
    from app.petitions.intake_views import PetitionIntakeView
    from app.petitions.list_views import CaseListView, CitizenListView, PetitionListView

    category = {"category": PETITIONS_MENU, "category_label": _l("Petitions")}
    appbuilder.add_view(
        PetitionIntakeView,
        "Receive a petition",
        label=_l("Receive a petition"),
        icon="fa-inbox",
        **category,
    )
    appbuilder.add_view(
        PetitionListView, "Petition list", label=_l("Petition list"), icon="fa-list", **category
    )
    appbuilder.add_view(CaseListView, "Cases", label=_l("Cases"), icon="fa-folder-open", **category)
    appbuilder.add_view(
        CitizenListView, "Citizens", label=_l("Citizens"), icon="fa-users", **category
    )
    appbuilder.add_api(PetitionApi)
    appbuilder.add_api(CitizenApi)
    appbuilder.add_api(CaseApi)
    add_attention_provider(received_today_cards)


def register(appbuilder: AppBuilder) -> None:
    """Register the petition screens and APIs (issue 3)."""
    from app.petitions.document_setup import register_documents
    from app.petitions.processing_views import register as register_processing
    from app.petitions.reception_views import register as register_reception

    register_intake_and_lists(appbuilder)
    register_processing(appbuilder)
    register_documents(appbuilder)
    register_reception(appbuilder)
