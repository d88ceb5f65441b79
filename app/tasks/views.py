"""Registration of the task screens, their REST API and their landing-page cards
(issue 5): the "Tasks" menu — enter an assignment document, tasks assigned, reports
awaiting review, tasks of my agency, overdue tasks — and the pages reached from them."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _l

from app.home.attention import add_attention_provider
from app.tasks.api import AssignmentDocumentApi, TaskApi
from app.tasks.attention import agency_cards, office_cards
from app.tasks.display import signing_time
from app.tasks.document_views import AssignmentDocumentView
from app.tasks.list_views import (
    AgencyTasksView,
    AssignedTasksView,
    OverdueTasksView,
    ReviewQueueView,
)
from app.tasks.task_views import TaskView

CATEGORY = "Tasks"
# The menu entries' labels (the names are the permission view-menu names, app.security.roles).
MENU_LABELS = {
    "Enter an assignment document": _l("Enter an assignment document"),
    "Tasks assigned": _l("Tasks assigned"),
    "Reports awaiting review": _l("Reports awaiting review"),
    "Tasks of my agency": _l("Tasks of my agency"),
    "Overdue tasks": _l("Overdue tasks"),
}


def register(appbuilder: AppBuilder) -> None:
    """Add the task menu, pages and API, and the landing page's task cards."""
    menu = [
        (AssignmentDocumentView, "Enter an assignment document", "fa-plus-square"),
        (AssignedTasksView, "Tasks assigned", "fa-paper-plane"),
        (ReviewQueueView, "Reports awaiting review", "fa-inbox"),
        (AgencyTasksView, "Tasks of my agency", "fa-tasks"),
        (OverdueTasksView, "Overdue tasks", "fa-exclamation-triangle"),
    ]
    for view, name, icon in menu:
        appbuilder.add_view(
            view,
            name,
            label=MENU_LABELS[name],
            icon=icon,
            category=CATEGORY,
            category_label=_l("Tasks"),
        )
    appbuilder.add_view_no_menu(TaskView)
    appbuilder.add_api(AssignmentDocumentApi)
    appbuilder.add_api(TaskApi)
    add_attention_provider(office_cards)
    add_attention_provider(agency_cards)
    current_app.add_template_filter(signing_time, "signing_time")
