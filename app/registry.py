"""Every add_view / add_api / add_link of the application, in one function."""

from __future__ import annotations

from flask_appbuilder import AppBuilder


def register_views(appbuilder: AppBuilder) -> None:
    """Register the screens and APIs of every domain, in menu order."""
    from app.agencies.api import AgencyApi
    from app.agencies.views import register as register_agencies
    from app.audit.views import register as register_audit
    from app.calendar.views import register as register_calendar
    from app.complaints.views import register as register_complaints
    from app.files.views import register as register_files
    from app.guide.views import register as register_guide
    from app.home.views import register as register_home
    from app.imports.views import register as register_imports
    from app.jobs.views import register as register_jobs
    from app.notifications.views import register as register_notifications
    from app.outbox.views import register as register_outbox
    from app.petitions.lookup_api import PetitionLookupApi
    from app.petitions.views import register as register_petitions
    from app.reports.dashboard_views import register as register_dashboard
    from app.reports.ranking_views import register as register_ranking
    from app.reports.summary_views import register as register_summaries
    from app.reports.views import register as register_reports
    from app.tasks.views import register as register_tasks

    register_agencies(appbuilder)
    register_calendar(appbuilder)
    register_audit(appbuilder)
    # The landing page's own cards first: equally urgent cards keep the providers' order.
    register_home(appbuilder)
    register_reports(appbuilder)
    register_summaries(appbuilder)
    register_dashboard(appbuilder)
    register_ranking(appbuilder)
    register_complaints(appbuilder)
    register_files(appbuilder)
    register_petitions(appbuilder)
    register_tasks(appbuilder)
    register_jobs(appbuilder)
    register_notifications(appbuilder)
    register_guide(appbuilder)
    register_outbox(appbuilder)
    register_imports(appbuilder)
    appbuilder.add_api(AgencyApi)
    appbuilder.add_api(PetitionLookupApi)
