"""empty nullable JSON columns hold SQL NULL, not the JSON value null

Columns written through core statements with None held JSON null; the models now store None as
NULL (none_as_null), and this turns the values already stored into NULL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28
"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = (("process_instance", "error"), ("ballot", "message_correlation"), ("ballot", "tally"),
           ("human_task", "draft"), ("human_task", "submitted"))


def upgrade() -> None:
    text_of = "{}::text" if op.get_bind().dialect.name == "postgresql" else "{}"
    for table, column in COLUMNS:
        op.execute(f'UPDATE "{table}" SET "{column}" = NULL WHERE {text_of.format(column)} = \'null\'')


def downgrade() -> None:
    pass  # NULL and JSON null read back the same (None); nothing to undo
