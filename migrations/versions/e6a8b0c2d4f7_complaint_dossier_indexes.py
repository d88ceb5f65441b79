"""index complaint dossiers by petition (the petition page) and by status (the landing
page's deadline cards)

Revision ID: e6a8b0c2d4f7
Revises: d5f7a9c1e3b5
Create Date: 2026-11-28 17:30:00
"""

from alembic import op

revision = "e6a8b0c2d4f7"
down_revision = "d5f7a9c1e3b5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_complaint_dossier_petition_id", "complaint_dossier", ["petition_id"])
    op.create_index("ix_complaint_dossier_status", "complaint_dossier", ["status"])


def downgrade():
    op.drop_index("ix_complaint_dossier_status", table_name="complaint_dossier")
    op.drop_index("ix_complaint_dossier_petition_id", table_name="complaint_dossier")
