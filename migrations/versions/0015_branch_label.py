"""human_task.branch_label: what a multi-instance branch is about (a department's name)

Shown as the row of the instance page's progress table. Rows written before this stay NULL and
the page names such a branch by the title of its first task.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("human_task", sa.Column("branch_label", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("human_task") as batch:
        batch.drop_column("branch_label")
