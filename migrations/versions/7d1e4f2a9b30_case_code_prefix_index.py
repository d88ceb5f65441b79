"""case code prefix index (byte order on PostgreSQL)

The next case code of an agency is found with ``code LIKE 'prefix%'`` (R6); under a
non-C collation PostgreSQL scans the whole table unless an index in byte order
(varchar_pattern_ops) exists. SQLite gets the same index, plain.

Revision ID: 7d1e4f2a9b30
Revises: 2c2ec1c29bc3
Create Date: 2026-11-28 13:00:00
"""

from alembic import op

revision = "7d1e4f2a9b30"
down_revision = "2c2ec1c29bc3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_petition_case_code_prefix",
        "petition_case",
        ["code"],
        postgresql_ops={"code": "varchar_pattern_ops"},
    )


def downgrade():
    op.drop_index("ix_petition_case_code_prefix", table_name="petition_case")
