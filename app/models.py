"""Imports every domain's models so they are all on the one metadata (migrations, tests)."""

from app.agencies.models import Agency, AgencyKind, AgencySuccession
from app.audit.models import AuditChainHead, AuditLog
from app.calendar.models import CalendarOverride, TimeLimitRule
from app.complaints.models import (
    ComplaintDossier,
    ComplaintGround,
    DossierDeadlineChange,
    DossierStep,
    Enforcement,
    ResolutionDecision,
)
from app.figures.models import CachedFigure
from app.files.models import StoredFile
from app.geography.models import AdminUnit
from app.imports.models import ImportBatch
from app.jobs.models import JobRun
from app.notifications.models import Notification, NotificationRead
from app.outbox.models import NationalCode, OutboxItem
from app.petitions.models import (
    Case,
    Citizen,
    Petition,
    PetitionEvent,
    PetitionSignatory,
    PetitionTransfer,
    ReasonCode,
    ReceptionVisit,
    SubjectArea,
)
from app.reports.models import REPORT_INDEXES
from app.security.models import AppUser
from app.tasks.models import AssignmentDocument, Task, TaskExtension, TaskReport

__all__ = [
    "REPORT_INDEXES",
    "AdminUnit",
    "Agency",
    "AgencyKind",
    "AgencySuccession",
    "AppUser",
    "AssignmentDocument",
    "AuditChainHead",
    "AuditLog",
    "CachedFigure",
    "CalendarOverride",
    "Case",
    "Citizen",
    "ComplaintDossier",
    "ComplaintGround",
    "DossierDeadlineChange",
    "DossierStep",
    "Enforcement",
    "ImportBatch",
    "JobRun",
    "NationalCode",
    "Notification",
    "NotificationRead",
    "OutboxItem",
    "Petition",
    "PetitionEvent",
    "PetitionSignatory",
    "PetitionTransfer",
    "ReasonCode",
    "ReceptionVisit",
    "ResolutionDecision",
    "StoredFile",
    "SubjectArea",
    "Task",
    "TaskExtension",
    "TaskReport",
    "TimeLimitRule",
]
