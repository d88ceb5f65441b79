"""Which audit entries a user may read (R9, R10), as one SQL condition.

System administrators and reception-board monitors read everything; an agency
administrator reads the entries made by users of their agency subtree and the entries
about records of that subtree (app.security.scope decides the subtree).
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.filters import BaseFilter
from sqlalchemy import false, or_, true
from sqlalchemy.sql.elements import ColumnElement

from app.audit.models import AuditLog
from app.audit.softdelete import INCLUDE_DELETED
from app.security.scope import request_user, scope_agency_ids


def audit_scope_condition(user: Any | None) -> ColumnElement[bool]:
    """SQL condition restricting AuditLog rows to what ``user`` may read."""
    if user is None:
        return false()
    ids = scope_agency_ids(user, include_deleted=True)
    if ids is None:
        return true()
    return or_(AuditLog.agency_id.in_(ids), AuditLog.record_agency_id.in_(ids))


class AuditScopeFilter(BaseFilter):
    """FAB base filter applying ``audit_scope_condition`` for the request's user.

    Soft-deleted agencies still count in the subtree: the entries about them stay readable.
    """

    name = "Audit scope"
    arg_name = "auditscope"

    def apply(self, query, value):
        return query.execution_options(**INCLUDE_DELETED).filter(
            audit_scope_condition(request_user())
        )
