"""human_task_candidate.by_reassign: a candidate added by a reassignment goes when the task is
reassigned on (a confidential task handed to the wrong person and back stays closed to them)

Candidates already there count as the model's own.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("human_task_candidate", sa.Column("by_reassign", sa.Boolean(), nullable=False,
                                                    server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("human_task_candidate") as batch:
        batch.drop_column("by_reassign")
