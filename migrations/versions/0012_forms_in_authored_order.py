"""process_version.forms keeps the form files' key order

JSON columns are stored with sorted keys; a form's fields lost the order their author gave them
(a form without ui:order then showed its fields alphabetically). The column becomes text written
as authored. Versions deployed before keep the sorted order they were stored in.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("process_version") as batch:
        batch.alter_column("forms", existing_type=sa.JSON(), type_=sa.Text(), postgresql_using="forms::text")


def downgrade() -> None:
    with op.batch_alter_table("process_version") as batch:
        batch.alter_column("forms", existing_type=sa.Text(), type_=sa.JSON(), postgresql_using="forms::json")
