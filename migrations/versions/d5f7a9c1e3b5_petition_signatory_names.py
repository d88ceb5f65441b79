"""petition.signatory_names: the signatories' folded names on the petition's row (the
list's search word, R12); drop ix_petition_received, a copy of ix_petition_received_at;
index assignment documents by the office that entered them (the task lists' scope)

Revision ID: d5f7a9c1e3b5
Revises: b4d6f8a0c2e1
Create Date: 2026-11-28 17:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "d5f7a9c1e3b5"
down_revision = "b4d6f8a0c2e1"
branch_labels = None
depends_on = None

# As app.petitions.keys.signatory_names_value: names in signing order, one space apart.
POSTGRESQL_FILL = """
UPDATE petition p SET signatory_names = left(s.names, 500)
FROM (
    SELECT ps.petition_id, string_agg(c.name_folded, ' ' ORDER BY ps.position, ps.id) AS names
    FROM petition_signatory ps JOIN citizen c ON c.id = ps.citizen_id
    GROUP BY ps.petition_id
) s
WHERE s.petition_id = p.id
"""


def _fill_row_by_row(connection) -> None:
    rows = connection.execute(
        sa.text(
            "SELECT ps.petition_id, c.name_folded FROM petition_signatory ps "
            "JOIN citizen c ON c.id = ps.citizen_id ORDER BY ps.petition_id, ps.position, ps.id"
        )
    )
    names: dict[int, list[str]] = {}
    for petition_id, name in rows:
        names.setdefault(petition_id, []).append(name or "")
    if not names:
        return
    update = sa.text("UPDATE petition SET signatory_names = :names WHERE id = :id")
    connection.execute(
        update, [{"id": pk, "names": " ".join(parts)[:500]} for pk, parts in names.items()]
    )


def upgrade():
    # A plain ADD COLUMN (no batch copy on SQLite, which would lose the FTS5 triggers).
    op.add_column(
        "petition", sa.Column("signatory_names", sa.String(500), nullable=False, server_default="")
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text(POSTGRESQL_FILL))
    else:
        _fill_row_by_row(connection)
    op.drop_index("ix_petition_received", table_name="petition")
    op.create_index(
        "ix_assignment_document_office_agency_id", "assignment_document", ["office_agency_id"]
    )


def downgrade():
    op.drop_index("ix_assignment_document_office_agency_id", table_name="assignment_document")
    op.create_index("ix_petition_received", "petition", ["received_at"])
    op.drop_column("petition", "signatory_names")
