"""cached figures shared by every instance (app/figures)

Revision ID: 9a3c5e7b1d42
Revises: 7d1e4f2a9b30
Create Date: 2026-11-28 13:30:00
"""

import sqlalchemy as sa
from alembic import op

import app.core.types

revision = "9a3c5e7b1d42"
down_revision = "7d1e4f2a9b30"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "cached_figure",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("computed_at", app.core.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade():
    op.drop_table("cached_figure")
