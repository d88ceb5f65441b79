"""index petitions by the time received (the province's petitions of a day or a month)

Revision ID: b4d6f8a0c2e1
Revises: 9a3c5e7b1d42
Create Date: 2026-11-28 13:20:00
"""

from alembic import op

revision = "b4d6f8a0c2e1"
down_revision = "9a3c5e7b1d42"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_petition_received", "petition", ["received_at"])


def downgrade():
    op.drop_index("ix_petition_received", table_name="petition")
