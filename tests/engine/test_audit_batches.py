"""The chain check reads the log in batches (Core rows, JSON as stored text) and can stop and go on
in steps: a tampered row at the start, middle or end of a batch is found and named, a check in
steps finds what one walk finds, and the stored JSON is hashed by exactly the rules of `record`."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text, update

from engine import audit
from engine.models import AuditEvent

BATCH = 10


def chain_of(session, n: int = 25) -> None:
    for i in range(n):
        audit.record(session, "test_event", None, details={"i": i, "名": "教育局"}, after={"z": i, "a": [i, None]})
    session.commit()


def row_id(session, seq: int) -> int:
    return session.scalar(select(AuditEvent.id).where(AuditEvent.seq == seq))


@pytest.mark.parametrize("seq", [11, 15, 20, 1, 25])  # a batch's first, middle and last row; the chain's ends
def test_an_edited_row_anywhere_in_a_batch_is_named(session, seq):
    chain_of(session)
    session.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(reason="edited"))
    session.commit()
    count, broken = audit.verify(session, batch=BATCH)
    assert (count, broken.seq, broken.event_id, broken.kind) == (seq, seq, row_id(session, seq), "content")


@pytest.mark.parametrize("seq", [10, 11, 15])  # the follower is the next batch's first row, or in the same batch
def test_a_rehashed_row_breaks_the_link_of_the_next_even_across_batches(session, seq):
    chain_of(session)
    target = session.scalars(select(AuditEvent).where(AuditEvent.seq == seq)).one()
    target.reason = "forged"
    target.hash = audit.compute_hash(target)
    session.commit()
    broken = audit.verify(session, batch=BATCH)[1]
    assert (broken.seq, broken.kind) == (seq + 1, "link")


@pytest.mark.parametrize("seq", [10, 11, 20])
def test_a_deleted_row_at_a_batch_edge_is_named(session, seq):
    chain_of(session)
    session.execute(text("DELETE FROM audit_event WHERE seq = :s"), {"s": seq})
    session.commit()
    broken = audit.verify(session, batch=BATCH)[1]
    assert (broken.seq, broken.kind) == (seq + 1, "missing")


def test_a_check_in_steps_finds_what_one_walk_finds(session):
    chain_of(session)
    state = audit.begin(session)
    steps = 0
    while True:  # `until` already passed: every step stops after one batch
        state, broken, done = audit.walk(session, state, batch=BATCH, until=0.0)
        steps += 1
        if done:
            break
        assert broken is None and state.last_seq == state.checked == steps * BATCH
    assert (state.checked, broken) == audit.verify(session) == (25, None)
    session.execute(update(AuditEvent).where(AuditEvent.seq == 21).values(actor_name="x"))
    session.commit()
    state, broken, done = audit.walk(session, audit.begin(session), batch=BATCH, until=0.0)
    assert not done and broken is None
    state, broken, done = audit.walk(session, state, batch=BATCH)
    assert done and (state.checked, broken.seq, broken.kind) == (21, 21, "content")


def test_the_tail_is_checked_against_the_head_read_when_the_check_began(session):
    chain_of(session, 12)
    state = audit.begin(session)
    chain_of(session, 3)  # appended during a check in steps: left for the next check
    state, broken, done = audit.walk(session, state, batch=BATCH)
    assert done and broken is None and state.checked == 12
    session.execute(text("DELETE FROM audit_event WHERE seq = 15"))
    session.commit()
    assert audit.verify(session, batch=BATCH)[1].kind == "removed"


def test_stored_json_is_hashed_as_its_decoded_value(session):
    """A row stored in another JSON layout is intact (its value is what was hashed); one whose hash was
    computed over non-canonical text is not: the text is not what `record` would have hashed."""
    chain_of(session, 3)
    stored = session.execute(text("SELECT data_after FROM audit_event WHERE seq = 2")).scalar()
    value = stored if isinstance(stored, dict) else json.loads(stored)  # PostgreSQL's driver decodes JSON itself
    spaced = json.dumps(dict(reversed(list(value.items()))), indent=1)
    session.execute(text("UPDATE audit_event SET data_after = :v WHERE seq = 2"), {"v": spaced})
    session.commit()
    assert audit.verify(session, batch=2) == (3, None)
    event = session.execute(select(*(AuditEvent.__table__.c[n] for n in audit.HASHED))
                            .where(AuditEvent.seq == 3)).mappings().one()
    forged = audit.compute_hash(dict(event), {"data_after": spaced})  # hashed over the text itself
    session.execute(text("UPDATE audit_event SET data_after = :v, hash = :h WHERE seq = 3"),
                    {"v": spaced, "h": forged})
    session.commit()
    broken = audit.verify(session, batch=2)[1]
    assert (broken.seq, broken.kind) == (3, "content")
