"""notifications (提醒): deadline reminders and other messages to one person

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

import engine.db

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("instance_id", sa.Integer(), nullable=True),
        sa.Column("human_task_id", sa.Integer(), nullable=True),
        sa.Column("created_at", engine.db.UTCDateTime(), nullable=False),
        sa.Column("read_at", engine.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["human_task_id"], ["human_task.id"], name=op.f("fk_notification_human_task_id_human_task"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["instance_id"], ["process_instance.id"],
                                name=op.f("fk_notification_instance_id_process_instance"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_notification_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification") as batch:
        batch.create_index("ix_notification_user_unread", ["user_id", "read_at", "id"], unique=False)
        batch.create_index(batch.f("ix_notification_instance_id"), ["instance_id"], unique=False)
        batch.create_index(batch.f("ix_notification_human_task_id"), ["human_task_id"], unique=False)


def downgrade() -> None:
    op.drop_table("notification")
