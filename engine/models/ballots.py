"""Secret ballots.

Who voted (`ballot_voter`) and what was chosen (`ballot_vote`) live in separate tables that
share nothing but the ballot: votes have random ids, no timestamp and no voter; on SQLite they
are stored without a rowid (in random-id order), on PostgreSQL the tables are re-clustered when
the ballot closes. A vote is cast in two transactions joined only by a random envelope, so not
even the database's own row versions tie a voter's row to a vote's row.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base, UTCDateTime


class RuleSet(Base):
    """How a ballot is counted: options, validity, denominators, thresholds, weights, scores."""

    __tablename__ = "rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    definition: Mapped[dict] = mapped_column(JSON)
    is_preset: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class Ballot(Base):
    """One round of voting on one subject (a department at the meeting, or a re-evaluation)."""

    __tablename__ = "ballot"
    __table_args__ = (Index("ix_ballot_year_kind", "year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    subject_key: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32), default="meeting")  # meeting | reevaluation
    rule_set_code: Mapped[str] = mapped_column(String(64))
    rules: Mapped[dict] = mapped_column(JSON)  # the rule set as it was when the ballot opened
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed | void
    members_total: Mapped[int | None]   # "all members" for majority rules
    present: Mapped[int | None]         # members present, when a rule counts them
    paper_issued: Mapped[int | None]
    paper_returned: Mapped[int | None]
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    announced_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    message_name: Mapped[str | None] = mapped_column(String(255))
    # which waiting task gets the tally: {"<result variable>.ballot": public_id} (parallel votes in one instance)
    message_correlation: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    tally: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    void_reason: Mapped[str | None] = mapped_column(Text)


class BallotVoter(Base):
    """An eligible voter and whether they voted. No time, no choice."""

    __tablename__ = "ballot_voter"

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True, index=True)
    voter_group: Mapped[str] = mapped_column(String(32))
    has_voted: Mapped[bool] = mapped_column(default=False)


class BallotEnvelope(Base):
    """A random token handed to a voter in the first transaction and spent in the second."""

    __tablename__ = "ballot_envelope"
    __table_args__ = {"sqlite_with_rowid": False}

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    voter_group: Mapped[str] = mapped_column(String(32))
    is_spent: Mapped[bool] = mapped_column(default=False)


class BallotVote(Base):
    """A cast ballot: which option (or "invalid"), from which voter group, electronic or paper."""

    __tablename__ = "ballot_vote"
    __table_args__ = (Index("ix_ballot_vote_ballot", "ballot_id"), {"sqlite_with_rowid": False})

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"))
    voter_group: Mapped[str] = mapped_column(String(32))
    choice: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16), default="electronic")  # electronic | paper


class PaperCount(Base):
    """A teller's count of the paper ballots; two tellers must agree."""

    __tablename__ = "paper_count"
    __table_args__ = (UniqueConstraint("ballot_id", "teller_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    teller_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    issued: Mapped[int]
    returned: Mapped[int]
    counts: Mapped[dict] = mapped_column(JSON)  # {voter group: {option code or "invalid": n}}
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
