"""index an agency's petitions by status and deadline (the processing queue's counts);
on PostgreSQL the task status/deadline index carries the scope columns (overdue lists)

Revision ID: f7b9c1d3e5a8
Revises: e6a8b0c2d4f7
Create Date: 2026-11-28 17:45:00
"""

from alembic import op

revision = "f7b9c1d3e5a8"
down_revision = "e6a8b0c2d4f7"
branch_labels = None
depends_on = None

TASK_SCOPE_COLUMNS = ["receiving_agency_id", "document_id", "deleted_at"]


def upgrade():
    op.create_index(
        "ix_petition_agency_status_due", "petition", ["agency_id", "status", "due_date"]
    )
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_task_status_deadline", table_name="task")
        op.create_index(
            "ix_task_status_deadline",
            "task",
            ["status", "deadline"],
            postgresql_include=TASK_SCOPE_COLUMNS,
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_task_status_deadline", table_name="task")
        op.create_index("ix_task_status_deadline", "task", ["status", "deadline"])
    op.drop_index("ix_petition_agency_status_due", table_name="petition")
