"""human_task.confidential: a task the model marks confidential is seen, within its branch, only by
its own participants (the investigation group's records of talks, not the department evaluated)

Tasks already projected are not confidential: a model marks its tasks from its next version on.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("human_task", sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("human_task") as batch:
        batch.drop_column("confidential")
