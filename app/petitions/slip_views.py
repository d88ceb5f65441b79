"""Download of a petition's official slips: ``/petitions/<id>/slips/<kind>.docx``."""

from __future__ import annotations

import io

from flask import abort, send_file
from flask_appbuilder import BaseView, expose, has_access
from sqlalchemy import select

from app.extensions import db
from app.petitions.models import Petition
from app.petitions.slips import SlipUnavailable, record_slip_issued, render_slip
from app.security.scope import request_user, scope_condition

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def petition_in_scope_or_404(petition_id: int) -> Petition:
    """R11: the petition when it lies in the request user's scope; 404 otherwise."""
    petition = db.session.scalar(
        select(Petition).where(
            Petition.id == petition_id, scope_condition(Petition, request_user())
        )
    )
    if petition is None:
        abort(404)
    return petition


class PetitionSlipView(BaseView):
    """Generates a slip on demand and logs it in the petition's history (issue 3)."""

    route_base = "/petitions"

    @expose("/<int:petition_id>/slips/<string:kind>.docx")
    @has_access
    def slip(self, petition_id: int, kind: str):
        """R11: the slip of a petition in scope that fits its state; 404 otherwise."""
        petition = petition_in_scope_or_404(petition_id)
        user = request_user()
        try:
            slip = render_slip(db.session, petition, kind, user)
        except SlipUnavailable:
            abort(404)
        record_slip_issued(db.session, petition, slip, user)
        db.session.commit()
        return send_file(
            io.BytesIO(slip.content),
            mimetype=DOCX,
            as_attachment=True,
            download_name=slip.filename,
            max_age=0,
        )
