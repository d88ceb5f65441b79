"""Roles and their permissions, defined in code and synced by ``flask app init`` (R10, R11).

A role is built from named capabilities (``READ_AGENCIES``, ``MANAGE_USERS`` …). Each
capability is a list of (permission pattern, view pattern) pairs, regular expressions
matched against the whole permission and view-menu names the registered views declare.
Build capabilities with ``can_read``, ``can_manage`` and ``grant``, which escape and
anchor the names. A new domain adds one line defining its capability, e.g.::

    PETITION_INTAKE = can_manage("PetitionModelView", "PetitionApi", "Petitions")

and names it in the roles of ``ROLE_CAPABILITIES`` that need it. The system
administrator holds every permission and is not listed. Administrators may still adjust
roles in the Roles screen; a later sync adds what code requires and never removes what
they added (app.security.sync).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SYSADMIN = "Quản trị hệ thống"
AGENCY_ADMIN = "Quản trị cơ quan"
CLERK = "Chuyên viên xử lý đơn"
TASK_OFFICER = "Chuyên viên theo dõi nhiệm vụ"
AGENCY_STAFF = "Cán bộ cơ quan thực hiện nhiệm vụ"
MONITOR = "Giám sát (Ban Tiếp công dân)"
LEADER = "Lãnh đạo"
PUBLIC = "Khách"

# Roles whose data scope is the whole province (R10, R24).
PROVINCE_WIDE_ROLES = frozenset({SYSADMIN, MONITOR})
# Roles an agency administrator may never grant (R10).
NEVER_GRANTED_BY_AGENCY_ADMIN = frozenset({SYSADMIN, PUBLIC})

Grant = tuple[str, str]

READ = ("can_list", "can_show", "can_get", "can_info", "menu_access")
WRITE = ("can_add", "can_edit", "can_delete", "can_post", "can_put")

USER_VIEW = "ScopedUserDBModelView"
RESET_PASSWORD_VIEW = "ScopedResetPasswordView"


def _any_of(names: Iterable[str]) -> str:
    return "|".join(re.escape(name) for name in names)


def grant(permissions: Iterable[str], views: Iterable[str]) -> list[Grant]:
    """The given permissions on the given views or menu entries, matched by exact name."""
    return [(_any_of(permissions), _any_of(views))]


def can_read(*views: str) -> list[Grant]:
    """Read-only access (list, show, API get and info, menu entry) to the given views."""
    return grant(READ, views)


def can_manage(*views: str) -> list[Grant]:
    """Read and write access (add, edit, delete, API post and put) to the given views."""
    return grant(READ + WRITE, views)


# Everyone: their own profile and password.
OWN_ACCOUNT = grant(
    ("can_this_form_get", "can_this_form_post"), ("ResetMyPasswordView", "UserInfoEditView")
) + grant(("can_userinfo", "resetmypassword", "userinfoedit"), (USER_VIEW,))
# The agency tree, list and kinds, screens and API (R1–R3).
READ_AGENCIES = can_read(
    "AgencyModelView",
    "AgencyApi",
    "AgencyKindModelView",
    "AgencyTreeView",
    "Agencies",
    "Agency list",
    "Agency kinds",
    "Agency tree",
) + grant(("can_tree",), ("AgencyTreeView",))
# The working-day calendar and the legal time limits every deadline comes from
# (read-only; system administrators edit overrides and rules).
READ_CALENDAR = (
    can_read(
        "TimeLimitRuleModelView",
        "Calendar",
        "Time limits",
        "Holidays of the year",
        "Deadline calculator",
    )
    + grant(("can_holidays",), ("HolidayListView",))
    + grant(("can_calculator",), ("DeadlineCalculatorView",))
)
# Accounts of the agency subtree (R10); the guards are in app.security.user_admin.
MANAGE_USERS = (
    grant(("can_list", "can_show", "can_add", "can_edit", "resetpasswords"), (USER_VIEW,))
    + grant(("can_this_form_get", "can_this_form_post"), (RESET_PASSWORD_VIEW,))
    + grant(("menu_access",), ("Security", "List Users"))
)
# The audit log of the user's scope (R9).
READ_AUDIT = can_read("AuditLogModelView", "Audit log", "Security")
# The cross-agency duplicate lookup (R6, R12), REST for the intake page and other systems.
LOOKUP_PETITIONS = grant(("can_lookup",), ("PetitionLookupApi",))
# Official slips of a petition, generated on demand (issue 3).
PETITION_SLIPS = grant(("can_slip",), ("PetitionSlipView",))
# A petition's documents and any stored file in scope, downloaded as attachments.
READ_ATTACHMENTS = grant(("can_documents",), ("PetitionAttachmentView",)) + grant(
    ("can_download",), ("StoredFileView",)
)
# Upload, remove and return a petition's files (issue 3, issue 7 Uploads).
MANAGE_ATTACHMENTS = grant(
    ("can_upload", "can_remove", "can_returned"), ("PetitionAttachmentView",)
)
# The citizen reception book (Luật TCD Art. 25): read and export.
READ_RECEPTION_BOOK = grant(
    ("can_book", "can_show", "can_export"), ("ReceptionVisitView",)
) + grant(("menu_access",), ("Reception", "Reception book"))
# Recording reception visits.
RECEIVE_CITIZENS = grant(
    ("can_record", "can_correct", "can_remove"), ("ReceptionVisitView",)
) + grant(("menu_access",), ("Record a reception visit",))

# The petition page, the queue of petitions to process and the inbox of forwarded
# petitions, read-only (issue 3; app.petitions.processing_views).
READ_PETITION_PROCESSING = (
    grant(("can_show",), ("PetitionPageView",))
    + can_read("ProcessingQueueView", "TransferInboxView", "Petitions to process")
    + can_read("Incoming petitions", "Petitions", "PetitionProcessingApi")
)
# Processing petitions of the scope and receiving those forwarded to it, on screen and
# over REST (issue 3).
PROCESS_PETITIONS = (
    grant(("can_process",), ("PetitionProcessView",))
    + grant(("can_receive",), ("TransferInboxView",))
    + grant(("can_process", "can_receive"), ("PetitionProcessingApi",))
)
# Everyone: their notifications and the bell (app.notifications).
NOTIFICATIONS = grant(("can_list", "can_open", "can_read_all"), ("NotificationView",))
# Receiving petitions: the lookup-first intake screen and the intake API (issue 3, R12).
PETITION_INTAKE = grant(("can_intake",), ("PetitionIntakeView", "PetitionApi")) + grant(
    ("menu_access",), ("Receive a petition", "Petitions")
)
# Petition, case and citizen lists of the scope, their Excel export and read API (R8).
READ_PETITIONS = can_read(
    "PetitionListView",
    "CaseListView",
    "CitizenListView",
    "PetitionApi",
    "CitizenApi",
    "CaseApi",
    "Petitions",
    "Petition list",
    "Cases",
    "Citizens",
)
# The report forms page (R21, R24): read-only, within the data scope.
READ_REPORTS = grant(
    ("can_index", "can_download", "can_forms", "menu_access"),
    ("ReportFormsView", "Report forms", "Reports and statistics"),
)
# Stored and ad hoc summaries, the dashboard and the agency ranking (R8, R24, R26), within
# the data scope (app.reports.summary_views, dashboard_views, ranking_views).
READ_OVERSIGHT = (
    grant(("can_list", "can_request"), ("SummaryView",))
    + grant(("can_index",), ("DashboardView",))
    + grant(("can_index", "can_export"), ("RankingView",))
    + grant(("menu_access",), ("Summaries", "Dashboard", "Agency ranking"))
)
# Freezing a compiled summary after review and compiling a month again (R24: the Citizen
# Reception Board).
FREEZE_SUMMARIES = grant(("can_freeze",), ("SummaryView",))
# Complaint dossiers of the scope: the list and its Excel export, the dossier page and
# the read API (issue 4; app.complaints).
READ_COMPLAINTS = (
    grant(("can_list",), ("ComplaintDossierListView",))
    + grant(("can_show",), ("ComplaintDossierPageView",))
    + grant(("can_get",), ("ComplaintDossierApi",))
    + grant(("menu_access",), ("Complaint resolution", "Complaint dossiers"))
)
# Resolving the complaints of the agency: every step of a dossier, on screen and over REST.
RESOLVE_COMPLAINTS = grant(("can_act",), ("ComplaintDossierActionView", "ComplaintDossierApi"))
# Tasks (issue 5; app.tasks): task and document pages with their files, the overdue list
# and its export, the read API.
READ_TASKS = grant(
    ("can_show",), ("TaskView", "AssignmentDocumentView", "TaskApi", "AssignmentDocumentApi")
) + can_read("OverdueTasksView", "Tasks", "Overdue tasks")
# Both task lists of the scope, read-only (leaders and monitors, R24).
READ_TASK_LISTS = can_read(
    "AssignedTasksView", "AgencyTasksView", "Tasks assigned", "Tasks of my agency"
)
# Entering assignment documents, reviewing reports, extending and recalling (R3, R13, R17).
ASSIGN_TASKS = (
    grant(("can_assign",), ("AssignmentDocumentView", "AssignmentDocumentApi"))
    + grant(("can_review",), ("TaskView", "TaskApi"))
    + can_read("AssignedTasksView", "ReviewQueueView", "Tasks assigned", "Reports awaiting review")
    + grant(("menu_access",), ("Enter an assignment document",))
)
# Receiving tasks and reporting on them (R15, R16, R18).
CARRY_OUT_TASKS = grant(("can_report",), ("TaskView", "TaskApi")) + can_read(
    "AgencyTasksView", "Tasks of my agency"
)
# The national database outbox page, read-only (issue 7; R7, R24).
READ_NATIONAL_OUTBOX = grant(("can_list",), ("NationalOutboxView",)) + grant(
    ("menu_access",), ("Interoperability", "National database outbox")
)
# Sending a failed record to the national database again (administrators, R10).
RETRY_NATIONAL_OUTBOX = grant(("can_retry",), ("NationalOutboxView",))

# Bulk import of petitions and tasks from Excel/CSV within the data scope (issue 7; R10).
IMPORT_DATA = grant(("can_import",), ("ImportView",)) + grant(
    ("menu_access",), ("Interoperability", "Import data")
)

ROLE_CAPABILITIES: dict[str, list[list[Grant]]] = {
    AGENCY_ADMIN: [
        OWN_ACCOUNT,
        READ_AGENCIES,
        READ_CALENDAR,
        MANAGE_USERS,
        READ_AUDIT,
        NOTIFICATIONS,
        READ_PETITIONS,
        READ_REPORTS,
        READ_OVERSIGHT,
        READ_NATIONAL_OUTBOX,
        RETRY_NATIONAL_OUTBOX,
        IMPORT_DATA,
    ],
    CLERK: [
        OWN_ACCOUNT,
        READ_AGENCIES,
        READ_CALENDAR,
        LOOKUP_PETITIONS,
        PETITION_SLIPS,
        READ_ATTACHMENTS,
        MANAGE_ATTACHMENTS,
        READ_RECEPTION_BOOK,
        RECEIVE_CITIZENS,
        READ_PETITION_PROCESSING,
        PROCESS_PETITIONS,
        NOTIFICATIONS,
        PETITION_INTAKE,
        READ_PETITIONS,
        READ_COMPLAINTS,
        RESOLVE_COMPLAINTS,
    ],
    TASK_OFFICER: [
        OWN_ACCOUNT,
        READ_AGENCIES,
        READ_CALENDAR,
        NOTIFICATIONS,
        READ_REPORTS,
        READ_OVERSIGHT,
        READ_TASKS,
        ASSIGN_TASKS,
    ],
    AGENCY_STAFF: [
        OWN_ACCOUNT,
        READ_AGENCIES,
        READ_CALENDAR,
        NOTIFICATIONS,
        READ_TASKS,
        CARRY_OUT_TASKS,
    ],
    MONITOR: [
        OWN_ACCOUNT,
        READ_AGENCIES,
        READ_CALENDAR,
        LOOKUP_PETITIONS,
        READ_ATTACHMENTS,
        READ_RECEPTION_BOOK,
        READ_PETITION_PROCESSING,
        NOTIFICATIONS,
        READ_PETITIONS,
        READ_REPORTS,
        READ_OVERSIGHT,
        FREEZE_SUMMARIES,
        READ_COMPLAINTS,
        READ_TASKS,
        READ_TASK_LISTS,
        READ_NATIONAL_OUTBOX,
    ],
    LEADER: [
        OWN_ACCOUNT,
        READ_AGENCIES,
        READ_CALENDAR,
        LOOKUP_PETITIONS,
        PETITION_SLIPS,
        READ_ATTACHMENTS,
        READ_RECEPTION_BOOK,
        READ_PETITION_PROCESSING,
        NOTIFICATIONS,
        READ_PETITIONS,
        READ_REPORTS,
        READ_OVERSIGHT,
        READ_COMPLAINTS,
        READ_TASKS,
        READ_TASK_LISTS,
    ],
    PUBLIC: [],
}

ROLE_PERMISSIONS: dict[str, list[Grant]] = {
    role: [pair for capability in capabilities for pair in capability]
    for role, capabilities in ROLE_CAPABILITIES.items()
}


def role_grants(role: str, permission: str, view: str) -> bool:
    """True when the code definition of ``role`` includes ``permission`` on ``view``."""
    for perm_pattern, view_pattern in ROLE_PERMISSIONS.get(role, []):
        if re.fullmatch(perm_pattern, permission) and re.fullmatch(view_pattern, view):
            return True
    return False
