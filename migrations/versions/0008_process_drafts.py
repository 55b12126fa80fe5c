"""process model drafts edited in the browser

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import engine.db  # noqa: F401


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in with the models of this revision


def downgrade() -> None:
    pass
