"""PostgreSQL's one-statement steps of a vote: all of a careful step when the vote is plainly
open, nothing at all otherwise (the careful path then says why)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from sqlalchemy import event, func, select, text

from engine import clock
from engine.models import BallotEnvelope, BallotVote, BallotVoter
from engine.services import ballot_box, counting
from tests.engine.test_ballots import members, office, open_for  # noqa: F401  (fixtures)


@pytest.fixture
def box(db_engine):
    if not ballot_box.supported(db_engine):
        pytest.skip("the one-statement steps are PostgreSQL's; SQLite takes the careful path only")
    with ballot_box.connection(db_engine) as conn:
        yield conn


def state(session):
    session.rollback()  # a fresh snapshot
    return (sorted(session.execute(select(BallotVoter.user_id).where(BallotVoter.has_voted.is_(True))).scalars()),
            sorted(session.execute(select(BallotEnvelope.is_spent)).scalars()),
            sorted(tuple(row) for row in session.execute(select(BallotVote.voter_group, BallotVote.choice))))


def test_both_steps_in_separate_transactions(box, session, office, members):  # noqa: F811
    ballot = open_for(session, office, members)
    envelope = ballot_box.issue_envelope(box, ballot.public_id, members[0].id, "basic")
    assert envelope is not None
    assert state(session) == ([members[0].id], [False], [])
    assert ballot_box.cast(box, envelope, "basic")
    assert state(session) == ([members[0].id], [True], [("committee", "basic")])
    # not even the row versions tie the voter to the choice
    voter_xid = session.scalar(text("SELECT xmin::text FROM ballot_voter WHERE has_voted"))
    vote_xid = session.scalar(text("SELECT xmin::text FROM ballot_vote"))
    assert voter_xid != vote_xid
    assert not ballot_box.cast(box, envelope, "basic")  # an envelope is spent once
    assert state(session) == ([members[0].id], [True], [("committee", "basic")])


def test_step_one_does_nothing_unless_plainly_open(box, session, office, members, make_user):  # noqa: F811
    ballot = open_for(session, office, members[:3])
    outsider = make_user("outsider")
    session.commit()
    assert ballot_box.issue_envelope(box, ballot.public_id, outsider.id, "basic") is None
    assert ballot_box.issue_envelope(box, ballot.public_id, members[0].id, "excellent") is None
    assert ballot_box.issue_envelope(box, "no-such-ballot", members[0].id, "basic") is None
    assert state(session) == ([], [], [])
    assert ballot_box.issue_envelope(box, ballot.public_id, members[0].id, "basic") is not None
    assert ballot_box.issue_envelope(box, ballot.public_id, members[0].id, "basic") is None  # voted already
    clock.set_now(clock.now())
    ballot.closes_at = clock.now() + timedelta(minutes=5)
    session.commit()
    clock.advance(timedelta(minutes=5))  # its closing time, before the timer has run
    assert ballot_box.issue_envelope(box, ballot.public_id, members[1].id, "basic") is None
    assert state(session) == ([members[0].id], [False], [])


def test_step_two_does_nothing_once_closed_or_with_a_wrong_choice(box, session, office, members):  # noqa: F811
    ballot = open_for(session, office, members[:3])
    envelope = ballot_box.issue_envelope(box, ballot.public_id, members[0].id, "basic")
    assert not ballot_box.cast(box, envelope, "excellent")
    assert not ballot_box.cast(box, "no-such-envelope", "basic")
    assert state(session) == ([members[0].id], [False], [])
    counting.close_ballot(session, ballot.public_id, office)
    session.commit()
    assert not ballot_box.cast(box, envelope, "basic")
    assert state(session)[2] == []


def test_one_ballot_per_voter_when_twenty_presses_come_at_once(box, db_engine, session, office, members):  # noqa: F811
    ballot = open_for(session, office, members)
    public_id, voter = ballot.public_id, members[0].id
    together = Barrier(20)

    def press(_):
        with ballot_box.connection(db_engine) as conn:
            together.wait()
            return ballot_box.issue_envelope(conn, public_id, voter, "satisfied")

    with ThreadPoolExecutor(20) as pool:
        envelopes = [e for e in pool.map(press, range(20)) if e is not None]
    assert len(envelopes) == 1
    session.rollback()
    assert session.scalar(select(func.count()).select_from(BallotEnvelope)) == 1


def test_no_statement_carries_both_the_voter_and_the_choice(box, db_engine, session, office, members):  # noqa: F811
    """A server that logs slow statements with their parameters must not log a voter with a choice."""
    ballot = open_for(session, office, members)
    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(set(parameters.values()) if isinstance(parameters, dict) else set(parameters or ()))

    event.listen(db_engine, "before_cursor_execute", record)
    try:
        envelope = ballot_box.issue_envelope(box, ballot.public_id, members[0].id, "dissatisfied")
        assert ballot_box.cast(box, envelope, "dissatisfied")
    finally:
        event.remove(db_engine, "before_cursor_execute", record)
    assert any(members[0].id in values for values in sent) and any("dissatisfied" in values for values in sent)
    assert not any({members[0].id, "dissatisfied"} <= values for values in sent)
