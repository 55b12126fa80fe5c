"""Secret ballots: one vote each, secrecy in every table, paper ballots, closing, ranking."""
from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select, text

from engine import clock
from engine.db import Base
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied, VoteClosed
from engine.models import AuditEvent, Ballot, BallotEnvelope, BallotVote, BallotVoter, PaperCount, User
from engine.services import ballots, counting
from tests.engine.test_concurrency import run_together


@pytest.fixture
def office(make_user):
    return make_user("office", groups=["评议办"])


@pytest.fixture
def members(make_user):
    return [make_user(f"member{i:02d}") for i in range(1, 8)]


def open_for(session, office, people, rule="default", **kwargs):
    voters = {u.id: kwargs.pop("group", "committee") for u in people}
    kwargs.setdefault("members_total", len(people))
    ballot = ballots.open_ballot(session, office, title="对教育局的满意度测评", subject="县教育局", year=2026,
                                 voters=voters, rule_set_code=rule, **kwargs)
    session.commit()
    return ballot


def vote(session, sessions, ballot, user, choice):
    """Both steps, each in its own transaction, as the web layer does."""
    public_id, user_id = ballot.public_id, user.id
    session.commit()  # the caller's session must not hold SQLite's lock while others write
    with sessions() as s:
        envelope = ballots.issue_envelope(s, public_id, s.get(User, user_id), choice)
        s.commit()
    with sessions() as s:
        ballots.cast(s, envelope, choice)
        s.commit()


def close(session, ballot, actor, **kwargs):
    closed = counting.close_ballot(session, ballot.public_id, actor, **kwargs)
    session.commit()
    counting.forget_order(session, closed)
    return closed


def test_vote_close_and_tally(session, sessions, office, members):
    ballot = open_for(session, office, members)
    for user, choice in zip(members, ["satisfied"] * 4 + ["basic", "dissatisfied", "basic"], strict=True):
        vote(session, sessions, ballot, user, choice)
    closed = close(session, ballot, office)
    assert closed.status == "closed"
    tally = closed.tally
    assert tally["pooled"]["counts"] == {"satisfied": 4, "basic": 2, "dissatisfied": 1, "invalid": 0}
    assert tally["grade"] == "满意"  # 4 of 7 members is more than half
    assert tally["score"] == 81.43  # (400 + 140 + 30) / 7 = 570 / 7
    assert tally["turnout"] == {"eligible": 7, "voted": 7, "paper_returned": 0, "not_cast": 0}
    assert "表决选项：满意、基本满意、不满意" in tally["rule"]
    assert session.scalar(select(func.count()).select_from(BallotEnvelope)) == 0  # envelopes gone
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.event_type.like("ballot%"))
                                  .order_by(AuditEvent.seq)))
    assert [e.event_type for e in events] == ["ballot_opened", "ballot_turnout", "ballot_closed"]
    assert events[1].details["voted"] == sorted(u.username for u in members)


def test_secrecy_nothing_links_a_voter_to_a_choice(session, sessions, office, members, caplog):
    """The one member voting 不满意 must not be findable: not in any table, the audit trail,
    or the log output, even with SQL statements logged."""
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)  # what echo=True logs
    try:
        ballot = open_for(session, office, members)
        dissenter = members[3]
        for user in members:
            vote(session, sessions, ballot, user, "dissatisfied" if user is dissenter else "satisfied")
        close(session, ballot, office)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    session.expire_all()

    # 1. The vote table holds no voter, no time, no sequence: only the ballot, group, choice, source.
    vote_columns = {c.name for c in BallotVote.__table__.columns}
    assert vote_columns == {"id", "ballot_id", "voter_group", "choice", "source"}
    voter_columns = {c.name for c in BallotVoter.__table__.columns}
    assert voter_columns == {"ballot_id", "user_id", "voter_group", "has_voted"}
    for table in Base.metadata.sorted_tables:  # no other table refers to a vote
        for fk in table.foreign_keys:
            assert fk.column.table.name not in ("ballot_vote", "ballot_envelope"), table.name

    # 2. Vote ids are random and their stored order is not the order of voting.
    ids = list(session.scalars(text("SELECT id FROM ballot_vote")))
    assert len(ids) == 7 and len(set(ids)) == 7 and all(len(i) == 32 for i in ids)
    if session.get_bind().dialect.name == "sqlite":
        # WITHOUT ROWID: stored by random key (the suite scans unordered selects backwards)
        assert ids == sorted(ids, reverse=True)

    # 3. No row anywhere contains the dissenter and a choice together.
    dissenter_marks = {str(dissenter.id), dissenter.username}
    for table in Base.metadata.sorted_tables:
        if table.name == "user":
            continue
        for row in session.execute(table.select()).mappings():
            values = {k: v for k, v in row.items()}
            blob = json.dumps(values, default=str, ensure_ascii=False)
            holds_choice = "dissatisfied" in blob or "不满意" in blob
            if not holds_choice:
                continue
            refs = {str(v) for k, v in values.items() if k.endswith(("user_id", "actor_id", "_by_id"))}
            named = dissenter.username in blob or bool(refs & dissenter_marks)
            assert not named, f"{table.name} ties {dissenter.username} to a choice: {blob[:300]}"

    # 4. Voting leaves no audit event of its own (no per-voter time); who voted is one event at the close.
    assert session.scalar(select(func.count()).where(AuditEvent.actor_id == dissenter.id)) == 0
    turnout = session.scalar(select(AuditEvent).where(AuditEvent.event_type == "ballot_turnout"))
    assert dissenter.username in turnout.details["voted"]
    assert "satisfied" not in json.dumps(turnout.details)

    # 5. The log output, SQL included, holds no choice.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ballot_vote" in logged  # the SQL was logged ...
    assert "'dissatisfied'" not in logged and "不满意" not in logged  # ... without its parameters


def test_one_ballot_per_voter_under_50_concurrent_attempts(session, sessions, office, members):
    ballot = open_for(session, office, members)
    voter = members[0]
    session.close()

    voter_id, public_id = inspect(voter).identity[0], ballot.public_id

    def attempt(s):
        return ballots.issue_envelope(s, public_id, s.get(User, voter_id), "satisfied")

    results = run_together(sessions, [attempt] * 50)
    winners = [r for kind, r in results if kind == "ok"]
    losers = [r for kind, r in results if kind == "error"]
    assert len(winners) == 1, results
    assert all(isinstance(e, Conflict) for e in losers), losers
    with sessions() as s:
        ballots.cast(s, winners[0], "satisfied")
        s.commit()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(BallotVote)) == 1
        assert s.scalar(select(func.count()).where(BallotVoter.has_voted.is_(True))) == 1


def test_refusals(session, sessions, office, members, make_user):
    ballot = open_for(session, office, members[:3])
    outsider = make_user("outsider")
    with pytest.raises(PermissionDenied):
        ballots.issue_envelope(session, ballot.public_id, outsider, "satisfied")
    session.rollback()
    with pytest.raises(InvalidInput):  # a wrong choice does not spend the ballot
        ballots.issue_envelope(session, ballot.public_id, members[0], "excellent")
    session.rollback()
    vote(session, sessions, ballot, members[0], "basic")
    with pytest.raises(Conflict, match="already voted"):
        ballots.issue_envelope(session, ballot.public_id, members[0], "satisfied")
    session.rollback()
    with pytest.raises(PermissionDenied):
        ballots.open_ballot(session, members[1], title="x", subject="y", year=2026, voters={members[1].id: "committee"})
    session.rollback()
    with pytest.raises(PermissionDenied):
        counting.close_ballot(session, ballot.public_id, members[1])
    session.rollback()
    close(session, ballot, office)
    with pytest.raises(Conflict, match="closed"):
        ballots.issue_envelope(session, ballot.public_id, members[1], "satisfied")
    session.rollback()
    with pytest.raises(NotFound):
        ballots.issue_envelope(session, "nope", members[1], "satisfied")


def test_an_envelope_is_spent_once(session, sessions, office, members):
    ballot = open_for(session, office, members[:3])
    with sessions() as s:
        envelope = ballots.issue_envelope(s, ballot.public_id, s.get(User, members[0].id), "basic")
        s.commit()
    with sessions() as s:
        ballots.cast(s, envelope, "basic")
        s.commit()
    with sessions() as s, pytest.raises(Conflict):
        ballots.cast(s, envelope, "satisfied")
    with sessions() as s:
        assert [v.choice for v in s.scalars(select(BallotVote))] == ["basic"]


def test_the_vote_closes_at_its_time(session, sessions, office, members):
    ballot = open_for(session, office, members, closes_at=clock.now() + timedelta(minutes=10))
    vote(session, sessions, ballot, members[0], "satisfied")
    for user in members[1:5]:
        vote(session, sessions, ballot, user, "basic")
    clock.advance(timedelta(minutes=11))
    with pytest.raises(Conflict):  # no more votes after the time, even before the worker runs
        ballots.issue_envelope(session, ballot.public_id, members[5], "satisfied")
    session.rollback()
    ballot_id = ballot.id
    session.close()
    assert counting.close_due(sessions) == 1
    with sessions() as s:
        closed = s.get(Ballot, ballot_id)
        assert closed.status == "closed" and closed.closed_by_id is None
        assert closed.tally["pooled"]["counts"]["basic"] == 4


def test_lost_envelope_is_reported_not_counted(session, sessions, office, members):
    ballot = open_for(session, office, members[:4])
    for user in members[:3]:
        vote(session, sessions, ballot, user, "satisfied")
    with sessions() as s:  # the phone lost its connection between the two steps
        ballots.issue_envelope(s, ballot.public_id, s.get(User, members[3].id), "basic")
        s.commit()
    closed = close(session, ballot, office)
    assert closed.tally["turnout"]["not_cast"] == 1
    assert closed.tally["pooled"]["ballots"] == 3


def test_quorum_not_met_voids_the_round(session, sessions, office, members):
    ballot = open_for(session, office, members, members_total=29)
    for user in members:
        vote(session, sessions, ballot, user, "satisfied")
    closed = close(session, ballot, office)  # 7 of 29
    assert closed.status == "void" and "quorum" in closed.void_reason and closed.tally is None
    closed = counting.close_ballot  # noqa: F841 - closing twice is refused
    with pytest.raises(Conflict):
        counting.close_ballot(session, ballot.public_id, office)


# Paper ballots --------------------------------------------------------------------------------

def open_with_deputies(session, office, members, deputies, **kwargs):
    voters = {u.id: "committee" for u in members} | {u.id: "deputy" for u in deputies}
    ballot = ballots.open_ballot(session, office, title="对教育局的满意度测评", subject="县教育局", year=2026,
                                 voters=voters, **kwargs)
    session.commit()
    return ballot


@pytest.fixture
def deputies(make_user):
    return [make_user(f"deputy{i:02d}") for i in range(1, 6)]


def test_two_tellers_must_agree(session, sessions, office, members, deputies, make_user):
    teller = make_user("teller2", groups=["评议办"])
    ballot = open_with_deputies(session, office, members, deputies)  # 7 members + 5 deputies
    assert ballot.members_total == 7  # the quorum's base: the committee members
    for user, choice in zip(members[:4], ["satisfied"] * 3 + ["dissatisfied"], strict=True):
        vote(session, sessions, ballot, user, choice)
    counting.set_paper_issued(session, ballot.public_id, office, 6)
    paper = {"deputy": {"satisfied": 3, "basic": 1, "invalid": 1}}
    counting.record_paper_count(session, ballot.public_id, office, issued=6, returned=5, counts=paper)
    session.commit()
    with pytest.raises(Conflict, match="Two tellers"):
        counting.close_ballot(session, ballot.public_id, office)
    session.rollback()
    counting.record_paper_count(session, ballot.public_id, teller, issued=6, returned=5,
                                counts={"deputy": {"satisfied": 2, "basic": 2, "invalid": 1}})
    session.commit()
    with pytest.raises(Conflict, match="differ"):
        counting.close_ballot(session, ballot.public_id, office)
    session.rollback()
    with pytest.raises(InvalidInput, match="add up"):
        counting.record_paper_count(session, ballot.public_id, make_user("t3", groups=["评议办"]), issued=6,
                                    returned=5, counts={"deputy": {"satisfied": 3}})
    session.rollback()
    assert counting.tellers_agree(session, ballot) is False
    counting.record_paper_count(session, ballot.public_id, teller, issued=6, returned=5, counts=paper)  # recounted
    session.commit()
    assert counting.tellers_agree(session, ballot) is True
    assert session.scalar(select(func.count()).select_from(PaperCount)) == 2  # the teller's count replaced
    recount = session.scalars(select(AuditEvent).where(AuditEvent.event_type == "paper_count_entered")
                              .order_by(AuditEvent.seq.desc())).first()
    assert recount.data_before["counts"] == {"deputy": {"satisfied": 2, "basic": 2, "invalid": 1}}
    closed = close(session, ballot, office)
    tally = closed.tally
    assert tally["groups"]["deputy"]["counts"] == {"satisfied": 3, "basic": 1, "dissatisfied": 0, "invalid": 1}
    assert tally["groups"]["committee"]["counts"]["satisfied"] == 3
    assert tally["pooled"]["counts"]["satisfied"] == 6
    assert tally["present"] == 9  # 4 electronic + 5 paper
    assert tally["committee"] == {"members": 7, "present": 4}  # 4 of 7 members: a quorum
    assert tally["members"] == 12  # the base of the majority: 7 members + 5 deputies
    assert (closed.paper_issued, closed.paper_returned) == (6, 5)
    assert tally["grade"] == "基本满意"  # 6 of 12 is exactly half; 7 > 6
    assert "参加表决的代表不计入法定人数" in tally["rule"]


def test_more_returned_than_issued_voids_the_round(session, sessions, office, members):
    ballot = open_for(session, office, members, rule="F")
    counting.set_paper_issued(session, ballot.public_id, office, 2)
    for choice in ("satisfied", "basic", "invalid"):
        counting.record_paper_ballot(session, ballot.public_id, office, "committee", choice)
    session.commit()
    closed = close(session, ballot, office)
    assert closed.status == "void"
    assert closed.void_reason == "more paper ballots returned (3) than issued (2)"
    assert closed.tally is None
    assert session.scalar(select(AuditEvent.event_type).order_by(AuditEvent.seq.desc()).limit(1)) == "ballot_voided"


def test_paper_ballots_one_by_one_and_paper_to_named_voters(session, sessions, office, members):
    ballot = open_for(session, office, members)
    counting.issue_paper_to(session, ballot.public_id, office, [members[0].id, members[1].id])
    session.commit()
    with pytest.raises(Conflict):  # took a paper ballot: cannot also vote on the phone
        ballots.issue_envelope(session, ballot.public_id, members[0], "satisfied")
    session.rollback()
    with pytest.raises(Conflict):
        counting.issue_paper_to(session, ballot.public_id, office, [members[1].id])
    session.rollback()
    counting.record_paper_ballot(session, ballot.public_id, office, "committee", "basic")
    counting.record_paper_ballot(session, ballot.public_id, office, "committee", "invalid")
    with pytest.raises(InvalidInput):
        counting.record_paper_ballot(session, ballot.public_id, office, "committee", "great")
    session.rollback()
    counting.record_paper_ballot(session, ballot.public_id, office, "committee", "basic")
    counting.record_paper_ballot(session, ballot.public_id, office, "committee", "invalid")
    session.commit()
    with pytest.raises(Conflict, match="one by one"):
        counting.record_paper_count(session, ballot.public_id, office, issued=2, returned=2,
                                    counts={"committee": {"basic": 2}})
    session.rollback()
    for user in members[2:6]:
        vote(session, sessions, ballot, user, "satisfied")
    closed = close(session, ballot, office)
    assert (closed.paper_issued, closed.paper_returned) == (2, 2)
    assert closed.tally["pooled"]["counts"] == {"satisfied": 4, "basic": 1, "dissatisfied": 0, "invalid": 1}
    assert closed.tally["grade"] == "满意"


def test_paper_returned_without_issued_cannot_close(session, office, members):
    ballot = open_for(session, office, members)
    counting.record_paper_ballot(session, ballot.public_id, office, "committee", "basic")
    session.commit()
    with pytest.raises(Conflict, match="issued"):
        counting.close_ballot(session, ballot.public_id, office)


# Announcing, rule sets and ranking ------------------------------------------------------------

def test_announce_once(session, sessions, office, members):
    ballot = open_for(session, office, members[:3], members_total=3)
    with pytest.raises(Conflict):
        counting.announce(session, ballot.public_id, office)
    session.rollback()
    for user in members[:3]:
        vote(session, sessions, ballot, user, "basic")
    close(session, ballot, office)
    first = counting.announce(session, ballot.public_id, office).announced_at
    clock.advance(timedelta(minutes=1))
    assert counting.announce(session, ballot.public_id, office).announced_at == first
    session.commit()
    assert session.scalar(select(func.count()).where(AuditEvent.event_type == "ballot_announced")) == 1


def test_rule_set_saved_by_admin_is_used_by_new_ballots(session, sessions, office, members, admin):
    definition = dict(ballots.rule_set(session, "F"))
    definition.pop("name")
    definition["grade"]["bands"] = [[90, "满意"], [70, "基本满意"]]
    with pytest.raises(PermissionDenied):
        ballots.save_rule_set(session, "F", "F改", definition, office)
    ballots.save_rule_set(session, "F", "F（本县）", definition, admin)
    session.commit()
    ballot = open_for(session, office, members[:2], rule="F", members_total=2)
    vote(session, sessions, ballot, members[0], "satisfied")
    vote(session, sessions, ballot, members[1], "satisfied")
    ballots.save_rule_set(session, "F", "F（再改）", {**definition, "grade": {
        "method": "score_bands", "bands": [[101, "满意"]], "otherwise": "不满意"}}, admin)
    session.commit()
    closed = close(session, ballot, office)  # counted by the rules as they were when it opened
    assert closed.tally["score"] == 100.0 and closed.tally["grade"] == "满意"
    assert "90分及以上为“满意”" in closed.tally["rule"]
    with pytest.raises(InvalidInput):
        ballots.save_rule_set(session, "X", "坏", {"options": []}, admin)


def test_ranking_flags_the_lowest(session, sessions, office, make_user):
    people = [make_user(f"v{i}") for i in range(4)]
    results = {"县教育局": ["satisfied"] * 4, "县卫健局": ["satisfied", "basic", "basic", "dissatisfied"],
               "县交通局": ["basic"] * 4, "县水利局": ["satisfied", "basic", "basic", "dissatisfied"],
               "县民政局": ["dissatisfied"] * 4}
    for subject, choices in results.items():
        ballot = ballots.open_ballot(session, office, title=f"对{subject}的测评", subject=subject, year=2026,
                                     voters={u.id: "committee" for u in people})
        session.commit()
        for user, choice in zip(people, choices, strict=True):
            vote(session, sessions, ballot, user, choice)
        close(session, ballot, office)
    ranked = counting.ranking(session, 2026, lowest=2)
    rows = [(r.rank, r.ballot.subject, r.score, r.flagged) for r in ranked]
    assert rows == [
        (1, "县教育局", 100.0, False),
        (2, "县交通局", 70.0, False),
        (3, "县卫健局", 67.5, True),  # tied with 县水利局 at the boundary: both flagged
        (3, "县水利局", 67.5, True),
        (5, "县民政局", 30.0, True),
    ]
    assert [r.flagged for r in counting.ranking(session, 2026, lowest=1)] == [False, False, False, False, True]
    assert counting.ranking(session, 2025) == []


def test_my_open_ballots(session, sessions, office, members):
    ballot = open_for(session, office, members[:2], members_total=2)
    assert [b.id for b in ballots.my_open_ballots(session, members[0])] == [ballot.id]
    session.commit()
    vote(session, sessions, ballot, members[0], "basic")
    session.expire_all()
    assert ballots.my_open_ballots(session, members[0]) == []
    assert [b.id for b in ballots.my_open_ballots(session, members[1])] == [ballot.id]


def test_vote_tables_have_no_time_columns():
    for model in (BallotVote, BallotVoter, BallotEnvelope):
        for column in inspect(model).columns:
            assert "time" not in str(column.type).lower() and "date" not in str(column.type).lower(), column


def test_a_pending_envelope_is_refused_after_the_closing_time(session, sessions, office, members):
    """Step 2 checks the closing time itself: the timer that closes the vote may not have run yet."""
    ballot = open_for(session, office, members, closes_at=clock.now() + timedelta(minutes=10))
    public_id, user_id = ballot.public_id, members[0].id
    session.commit()
    with sessions() as s:
        envelope = ballots.issue_envelope(s, public_id, s.get(User, user_id), "satisfied")
        s.commit()
    clock.set_now(clock.now() + timedelta(minutes=11))
    with sessions() as s, pytest.raises(Conflict, match="closed"):
        ballots.cast(s, envelope, "satisfied")
    assert session.scalar(select(func.count()).select_from(BallotVote)) == 0
    session.commit()


def test_ballots_going_in_as_the_vote_closes_are_counted_or_refused(session, sessions, office, members):
    """Step 2 and the count take their locks in the same order: no deadlock, and no ballot lands
    in the box after it was counted."""
    ballot = open_for(session, office, members, members_total=1)
    public_id, office_id, voter_ids = ballot.public_id, office.id, [m.id for m in members]
    session.close()
    envelopes = []
    for voter_id in voter_ids:
        with sessions() as s:
            envelopes.append(ballots.issue_envelope(s, public_id, s.get(User, voter_id), "satisfied"))
            s.commit()

    def casting(envelope):
        return lambda s: ballots.cast(s, envelope, "satisfied")

    def closing(s):
        return counting.close_ballot(s, public_id, s.get(User, office_id)).status

    results = run_together(sessions, [casting(e) for e in envelopes] + [closing])
    assert results[-1][0] == "ok", results[-1]
    refused = [r for kind, r in results[:-1] if kind == "error"]
    assert all(isinstance(e, (VoteClosed, NotFound)) for e in refused), refused
    with sessions() as s:
        stored = s.scalar(select(func.count()).select_from(BallotVote))
        closed = s.scalar(select(Ballot))
        assert stored == len(envelopes) - len(refused)
        if closed.status == "closed":
            assert sum(closed.tally["pooled"]["counts"].values()) == stored


# Ballots never outnumber the voters (J1); the quorum is the committee's (J2) ---------------------

def test_paper_issued_never_exceeds_the_voters_who_did_not_vote_on_the_phone(session, sessions, office, members):
    ballot = open_for(session, office, members)  # 7 voters
    for user in members[:2]:
        vote(session, sessions, ballot, user, "satisfied")
    with pytest.raises(InvalidInput, match="only 5 voters") as refused:
        counting.set_paper_issued(session, ballot.public_id, office, 6)
    assert refused.value.errors == {"issued": "over_room"} and refused.value.params == {"count": 6, "room": 5}
    session.rollback()
    counting.set_paper_issued(session, ballot.public_id, office, 4)
    counting.issue_paper_to(session, ballot.public_id, office, [members[2].id])  # 5 in all: the last one left
    session.commit()
    with pytest.raises(InvalidInput, match="only 5 voters"):
        counting.issue_paper_to(session, ballot.public_id, office, [members[3].id])
    session.rollback()
    assert session.get(BallotVoter, (ballot.id, members[3].id)).has_voted is False  # nothing was marked
    assert session.get(Ballot, ballot.id).paper_issued == 5


def test_a_teller_count_no_voters_could_give_is_refused(session, office, members, deputies):
    ballot = open_with_deputies(session, office, members, deputies)  # 7 members + 5 deputies
    with pytest.raises(InvalidInput) as refused:
        counting.record_paper_count(session, ballot.public_id, office, issued=13, returned=12,
                                    counts={"committee": {"satisfied": 7}, "deputy": {"satisfied": 5}})
    assert refused.value.errors == {"issued": "over_voters"} and refused.value.params["voters"] == 12
    session.rollback()
    with pytest.raises(InvalidInput) as refused:
        counting.record_paper_count(session, ballot.public_id, office, issued=10, returned=10,
                                    counts={"committee": {"satisfied": 4}, "deputy": {"satisfied": 6}})
    assert refused.value.errors == {"counts": "group_over_voters"}
    assert refused.value.params == {"group": "deputy", "count": 6, "voters": 5}
    session.rollback()
    for _ in range(5):
        counting.record_paper_ballot(session, ballot.public_id, office, "deputy", "basic")
    session.commit()
    with pytest.raises(InvalidInput):  # a sixth deputy's ballot, one by one
        counting.record_paper_ballot(session, ballot.public_id, office, "deputy", "basic")
    session.rollback()
    assert session.scalar(select(func.count()).where(BallotVote.ballot_id == ballot.id)) == 5


def test_paper_and_phone_ballots_above_the_voters_void_the_round(session, sessions, office, members, make_user):
    """The repro of J1: the paper ballots were handed out in the hall before some voted on the phone.
    7 members; 5 paper ballots issued, then 3 vote on the phone (one of them held a paper ballot); the
    tellers count 5 returned: 8 ballots from 7 voters. The round is void, never a valid result."""
    teller = make_user("teller2", groups=["评议办"])
    ballot = open_for(session, office, members)
    counting.set_paper_issued(session, ballot.public_id, office, 5)
    session.commit()
    for user in members[4:]:
        vote(session, sessions, ballot, user, "satisfied")
    for who in (office, teller):  # possible alone: 5 of 7 members
        counting.record_paper_count(session, ballot.public_id, who, issued=5, returned=5,
                                    counts={"committee": {"satisfied": 5}})
    session.commit()
    closed = close(session, ballot, office)
    assert closed.status == "void" and closed.tally is None
    assert closed.void_reason == "more ballots (8) than voters (7)"
    assert counting.void_cause(session, closed) == {"code": "over_voters", "group": None, "ballots": 8, "voters": 7}
    assert counting.ranking(session, 2026) == []


def test_more_ballots_than_a_groups_voters_voids_the_round(session, sessions, office, members, deputies, make_user):
    # 12 voters and 12 ballots, but 8 of them from the 7 members (one deputy's ballot was counted as a member's)
    teller = make_user("teller2", groups=["评议办"])
    ballot = open_with_deputies(session, office, members, deputies)
    for user in members[:4]:
        vote(session, sessions, ballot, user, "satisfied")
    for who in (office, teller):
        counting.record_paper_count(session, ballot.public_id, who, issued=8, returned=8,
                                    counts={"committee": {"satisfied": 4}, "deputy": {"satisfied": 4}})
    session.commit()
    closed = close(session, ballot, office)
    assert closed.status == "void" and closed.void_reason == "more ballots (8) than voters (7) among committee"


def test_the_quorum_is_over_the_committee_members_not_the_deputies(session, sessions, office, members, deputies):
    """The repro of J2, smaller: 3 of 7 members and all 5 deputies vote: 8 of 12 voters, but only
    3 of the 7 members, so no quorum."""
    ballot = open_with_deputies(session, office, members, deputies)
    for user in [*members[:3], *deputies]:
        vote(session, sessions, ballot, user, "satisfied")
    closed = close(session, ballot, office)
    assert closed.status == "void" and closed.void_reason == "no quorum: 3 of 7 committee members present"
    assert closed.present == 3
    assert counting.void_cause(session, closed) == {"code": "no_quorum", "group": "committee", "present": 3,
                                                    "members": 7}
    # the next round: 4 of 7 members is a quorum, however few deputies vote
    again = open_with_deputies(session, office, members, deputies)
    for user in [*members[:4], deputies[0]]:
        vote(session, sessions, again, user, "satisfied")
    closed = close(session, again, office)
    assert closed.status == "closed" and closed.tally["committee"] == {"members": 7, "present": 4}
    assert closed.tally["grade"] == "不满意"  # 5 of 12 entitled is not more than half
