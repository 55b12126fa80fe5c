"""public pages: the notice, results and rectification published per year

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import engine.db  # noqa: F401


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in with the models of this revision


def downgrade() -> None:
    pass
