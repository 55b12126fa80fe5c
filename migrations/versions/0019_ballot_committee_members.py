"""ballot.members_total is the Standing Committee's members (the quorum's base), no longer every voter

A vote still open that was opened with the default (every voter, members and deputies) gets the
number of its committee voters, or its quorum would count the members present against the deputies
too. Closed and void votes keep what they were counted with.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-28
"""
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

_VOTERS = "SELECT count(*) FROM ballot_voter v WHERE v.ballot_id = ballot.id"
_COMMITTEE = _VOTERS + " AND v.voter_group = 'committee'"


def upgrade() -> None:
    op.execute(f"UPDATE ballot SET members_total = ({_COMMITTEE}) WHERE status = 'open' "
               f"AND members_total = ({_VOTERS}) AND ({_COMMITTEE}) > 0 AND ({_COMMITTEE}) < ({_VOTERS})")


def downgrade() -> None:
    pass  # the committee's size is the right base either way
