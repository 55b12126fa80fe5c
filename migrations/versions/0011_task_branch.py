"""human_task.branch: the multi-instance branch a task runs in

Who works in one branch (a department's copy of a per-department step) does not see another
branch's tasks, files and history. Rows written before this stay NULL: main line, as before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("human_task", sa.Column("branch", sa.String(length=36), nullable=True))  # no table rewrite


def downgrade() -> None:
    with op.batch_alter_table("human_task") as batch:
        batch.drop_column("branch")
