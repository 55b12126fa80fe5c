"""organisation data (departments, offices, members, deputies, observers) and term plans

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import engine.db  # noqa: F401


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in with the models of this revision


def downgrade() -> None:
    pass
