"""which waiting task of a process receives a ballot's tally

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ballot') as batch:
        batch.add_column(sa.Column('message_correlation', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('ballot') as batch:
        batch.drop_column('message_correlation')
