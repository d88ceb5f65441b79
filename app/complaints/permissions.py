"""Who may read and act on complaint dossiers (R10, R11; issue 4).

The right is the FAB permission of the dossier screens as roles grant it
(app.security.roles: clerks resolve the complaints of their agency; leaders and monitors
read), and the data scope decides which dossiers. The services check both, so the
screens, the REST API and tests are refused alike.
"""

from __future__ import annotations

from typing import Any

from app.petitions.permissions import holds
from app.security.scope import agency_in_scope

# (permission, view) pairs, as the views declare them.
READ = ("can_show", "ComplaintDossierPageView")
RESOLVE = ("can_act", "ComplaintDossierActionView")


def may_resolve(user: Any, agency_id: int | None) -> bool:
    """R10, R11: the user may take the steps of dossiers of agency ``agency_id``."""
    return holds(user, RESOLVE) and agency_in_scope(agency_id, user)
