"""Flask-Limiter's counts in the database (R23): every worker and instance counts together

Revision ID: a1c3e5f7b9d2
Revises: f7b9c1d3e5a8
Create Date: 2026-11-29 16:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a1c3e5f7b9d2"
down_revision = "f7b9c1d3e5a8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit_counter",
        sa.Column("counter_key", sa.String(length=255), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("counter_key"),
    )


def downgrade():
    op.drop_table("rate_limit_counter")
