"""user.session_epoch: "sign out on every device" changes it, and every earlier session stops

NULL until first used, and a NULL epoch leaves the session id as it was: nobody is signed out by
this upgrade.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("user", sa.Column("session_epoch", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("session_epoch")
