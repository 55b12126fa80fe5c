"""Counting a ballot: paper ballots, closing and the tally, the announcement, the year's ranking."""
from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from engine import audit, clock, rules
from engine.errors import Conflict, InvalidInput, NoMessageRecipient, VoteClosed
from engine.models import Ballot, BallotEnvelope, BallotVote, BallotVoter, PaperCount, User
from engine.services import messages
from engine.services.ballots import GROUPS, electronic_counts, get_ballot, require_staff, turnout, voters_per_group

CLOSED_MESSAGE = "ballot_closed"


def _clean_counts(ballot: Ballot, counts: dict) -> dict[str, dict[str, int]]:
    codes = {o["code"] for o in ballot.rules["options"]} | {rules.INVALID}
    clean: dict[str, dict[str, int]] = {}
    for group, by_option in (counts or {}).items():
        if group not in GROUPS or not isinstance(by_option, dict):
            raise InvalidInput(f"Unknown voter group '{group}'.", errors={"counts": "group"})
        for code, n in by_option.items():
            if code not in codes or not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise InvalidInput(f"Bad count for '{code}'.", errors={"counts": code})
            if n:
                clean.setdefault(group, {})[code] = n
    return clean


def record_paper_count(session: Session, public_id: str, teller: User, *, issued: int, returned: int,
                       counts: dict) -> PaperCount:
    """A teller's count of the paper ballots (blank or multiple marks under "invalid"). A teller who
    counts again (the two counts differed) replaces their own count."""
    require_staff(teller, "count paper ballots")
    ballot = get_ballot(session, public_id)
    if ballot.status != "open":
        raise VoteClosed("Paper ballots are counted before the vote closes.", reason="closed")
    clean = _clean_counts(ballot, counts)
    if issued < 0 or returned < 0 or sum(sum(c.values()) for c in clean.values()) != returned:
        raise InvalidInput("The counts must add up to the ballots returned.", errors={"returned": "sum"})
    _within_voters(session, ballot, issued, clean)
    if session.scalar(select(BallotVote.id).where(BallotVote.ballot_id == ballot.id,
                                                  BallotVote.source == "paper").limit(1)):
        raise Conflict("Paper ballots were entered one by one already; do not also enter totals.", reason="mixed_paper")
    row = session.scalar(select(PaperCount).where(PaperCount.ballot_id == ballot.id, PaperCount.teller_id == teller.id))
    before = None if row is None else {"issued": row.issued, "returned": row.returned, "counts": row.counts}
    if row is None:
        row = PaperCount(ballot_id=ballot.id, teller_id=teller.id)
        session.add(row)
    row.issued, row.returned, row.counts = issued, returned, clean
    session.flush()
    audit.record(session, "paper_count_entered", teller, before=before, details={
        "ballot": public_id, "issued": issued, "returned": returned, "counts": clean})
    return row


def _within_voters(session: Session, ballot: Ballot, issued: int, counts: dict[str, dict[str, int]]) -> None:
    """A teller's count these voters could not have given is refused: more paper ballots issued
    than voters, or more ballots in a voter group than it has voters. (Paper plus phone ballots above
    the voters is possible, if someone voted twice: that voids the round when it closes.)"""
    voters = voters_per_group(session, ballot)
    if issued > sum(voters.values()):
        raise InvalidInput(f"{issued} paper ballots issued, but the vote has {sum(voters.values())} voters.",
                           errors={"issued": "over_voters"}, count=issued, voters=sum(voters.values()))
    for group, by_option in counts.items():
        if sum(by_option.values()) > voters.get(group, 0):
            raise InvalidInput(f"{sum(by_option.values())} ballots from '{group}', which has "
                               f"{voters.get(group, 0)} voters.", errors={"counts": "group_over_voters"},
                               group=group, count=sum(by_option.values()), voters=voters.get(group, 0))


def paper_room(session: Session, ballot: Ballot) -> int:
    """How many voters could still take a paper ballot: the voters less those who voted on the phone
    (their envelopes, spent or not, are kept until the vote closes)."""
    phone = session.scalar(select(func.count()).where(BallotEnvelope.ballot_id == ballot.id))
    return sum(voters_per_group(session, ballot).values()) - phone


def _require_room(session: Session, ballot: Ballot, issued: int) -> None:
    room = paper_room(session, ballot)
    if issued > room:
        raise InvalidInput(f"{issued} paper ballots issued, but only {room} voters have not voted on the phone.",
                           errors={"issued": "over_room"}, count=issued, room=room)


def _paper_entries(session: Session, ballot: Ballot) -> list[PaperCount]:
    return list(session.scalars(select(PaperCount).where(PaperCount.ballot_id == ballot.id).order_by(PaperCount.id)))


def _agreement(entries: list[PaperCount]) -> bool | None:
    """None while fewer than two tellers have counted; then whether every count is the same."""
    if len(entries) < 2:
        return None
    first = entries[0]
    return all((e.issued, e.returned, e.counts) == (first.issued, first.returned, first.counts) for e in entries[1:])


def tellers_agree(session: Session, ballot: Ballot) -> bool | None:
    return _agreement(_paper_entries(session, ballot))


def record_paper_ballot(session: Session, public_id: str, teller: User, voter_group: str, choice: str) -> None:
    """One paper ballot entered by a teller ("invalid" for a blank or spoiled one)."""
    require_staff(teller, "enter paper ballots")
    ballot = get_ballot(session, public_id, share=True)  # open until this commits: counted, not slipped in after
    if ballot.status != "open":
        raise VoteClosed("Paper ballots are entered before the vote closes.", reason="closed")
    _clean_counts(ballot, {voter_group: {choice: 1}})
    if session.scalar(select(PaperCount.id).where(PaperCount.ballot_id == ballot.id).limit(1)):
        raise Conflict("The paper ballots are being counted in totals; do not also enter them one by one.",
                       reason="mixed_paper")
    entered = session.scalar(select(func.count()).where(BallotVote.ballot_id == ballot.id, BallotVote.source == "paper",
                                                        BallotVote.voter_group == voter_group))
    _within_voters(session, ballot, 0, {voter_group: {choice: entered + 1}})
    session.add(BallotVote(id=secrets.token_hex(16), ballot_id=ballot.id, voter_group=voter_group, choice=choice,
                           source="paper"))
    session.flush()


def set_paper_issued(session: Session, public_id: str, actor: User, issued: int) -> None:
    """The number of paper ballots handed out (to voters who are not registered by name)."""
    require_staff(actor, "record paper ballots issued")
    ballot = get_ballot(session, public_id, lock=True)
    if ballot.status != "open":
        raise VoteClosed("The vote is closed.", reason="closed")
    if issued < 0:
        raise InvalidInput("A count cannot be negative.", errors={"issued": "min"})
    _require_room(session, ballot, issued)
    ballot.paper_issued = issued
    audit.record(session, "paper_ballots_issued", actor, details={"ballot": public_id, "issued": issued})


def issue_paper_to(session: Session, public_id: str, actor: User, user_ids: list[int]) -> int:
    """Hand paper ballots to named voters: each is marked as voting (so cannot also vote on the
    phone) and the number issued goes up. Voters who voted already are refused."""
    require_staff(actor, "issue paper ballots")
    ballot = get_ballot(session, public_id, lock=True)
    if ballot.status != "open":
        raise VoteClosed("The vote is closed.", reason="closed")
    _require_room(session, ballot, (ballot.paper_issued or 0) + len(set(user_ids)))
    marked = session.execute(
        update(BallotVoter).where(BallotVoter.ballot_id == ballot.id, BallotVoter.user_id.in_(user_ids),
                                  BallotVoter.has_voted.is_(False))
        .values(has_voted=True)).rowcount
    if marked != len(set(user_ids)):
        raise Conflict("Some of these people are not voters in this ballot or have voted already.",
                       reason="not_voters")
    ballot.paper_issued = (ballot.paper_issued or 0) + marked
    audit.record(session, "paper_ballots_issued", actor, details={"ballot": public_id, "to": sorted(set(user_ids)),
                                                                   "issued": ballot.paper_issued})
    return marked


def _agreed_paper(session: Session, ballot: Ballot) -> PaperCount | None:
    entries = _paper_entries(session, ballot)
    if not entries:
        return None
    agree = _agreement(entries)
    if agree is None:
        raise Conflict("Two tellers must enter the paper count before the vote closes.", reason="two_tellers")
    if not agree:
        raise Conflict("The tellers' counts differ; they must count again.", reason="tellers_differ")
    return entries[0]


def _counted(session: Session, ballot: Ballot, paper: PaperCount | None, issued: int | None,
             returned: int | None) -> rules.Counted:
    counts = electronic_counts(session, ballot)  # phone votes and paper ballots entered one by one
    for group, by_option in (paper.counts if paper is not None else {}).items():
        for code, n in by_option.items():
            counts.setdefault(group, {})[code] = counts.get(group, {}).get(code, 0) + n
    return rules.Counted(counts, voters_per_group(session, ballot), issued, returned or 0, ballot.members_total or 0)


def paper_count_voids(session: Session, ballot: Ballot, paper: PaperCount) -> dict | None:
    """Whether closing now, with this paper count, would void the round for its numbers (more returned
    than issued, more ballots than voters); the quorum is left out: more may still vote."""
    return rules.void_cause({"quorum": "none"}, _counted(session, ballot, paper, paper.issued, paper.returned))


def void_cause(session: Session, ballot: Ballot) -> dict | None:
    """Why a void round is void, from what it counted (None for a round that is not void)."""
    if ballot.status != "void":
        return None
    entries = _paper_entries(session, ballot)
    counted = _counted(session, ballot, entries[0] if entries else None, ballot.paper_issued, ballot.paper_returned)
    return rules.void_cause(ballot.rules, counted)


def close_ballot(session: Session, public_id: str, actor: User | None) -> Ballot:
    """Close the vote and count it. The round is void when more paper ballots come back than were
    issued, when there are more ballots than voters (in all or in a voter group: someone voted on
    paper and on the phone), or when not more than half the Standing Committee's members are present."""
    if actor is not None:
        require_staff(actor, "close a ballot")
    ballot = get_ballot(session, public_id, lock=True)
    if ballot.status != "open":
        raise VoteClosed(f"The ballot is {ballot.status}.", reason="closed")
    paper = _agreed_paper(session, ballot)
    if paper is not None:
        if ballot.paper_issued is not None and paper.issued < ballot.paper_issued:
            # the tellers' total may include deputies handed a paper ballot in the hall, never fewer
            # than the voters the system recorded as switched to paper
            raise Conflict(f"The tellers count {paper.issued} paper ballots issued, but {ballot.paper_issued} "
                           "were recorded as handed out; they must count again.", reason="issued_differs")
        issued, returned = paper.issued, paper.returned
    else:
        issued = ballot.paper_issued
        returned = session.scalar(select(func.count()).where(BallotVote.ballot_id == ballot.id,
                                                             BallotVote.source == "paper"))
    if returned and issued is None:
        raise Conflict("Record how many paper ballots were issued before closing the vote.", reason="issued_missing")
    counted = _counted(session, ballot, paper, issued, returned)
    ballot.paper_issued, ballot.paper_returned = issued, returned or None
    ballot.closed_at, ballot.closed_by_id = clock.now(), actor.id if actor else None
    ballot.present = counted.ballots(counted.quorum_group)  # the members present (every ballot shows one)
    cause = rules.void_cause(ballot.rules, counted)
    if cause:
        _drop_envelopes(session, ballot)
        ballot.status, ballot.void_reason = "void", rules.void_reason(cause)
        _record_turnout(session, ballot, actor)
        audit.record(session, "ballot_voided", actor, reason=ballot.void_reason,
                     details={"ballot": public_id, "cause": cause})
        _notify_process(session, ballot, actor, cause)
        return ballot
    committee = ({"members": counted.members, "present": ballot.present} if counted.quorum_group else None)
    tally = rules.tally(ballot.rules, counted.counts, members=counted.entitled, present=counted.ballots(),
                        groups=tuple(sorted(counted.voters)), committee=committee)
    tally["turnout"] = turnout(session, ballot) | {"not_cast": _drop_envelopes(session, ballot)}
    ballot.tally = tally  # assigned whole: JSON columns do not see changes made in place
    ballot.status = "closed"
    session.flush()
    _record_turnout(session, ballot, actor)
    audit.record(session, "ballot_closed", actor, details={
        "ballot": public_id, "grade": ballot.tally["grade"], "score": ballot.tally["score"],
        "counts": ballot.tally["pooled"]["counts"]})
    _notify_process(session, ballot, actor)
    return ballot


def _record_turnout(session: Session, ballot: Ballot, actor: User | None) -> None:
    """Who took part, in one event at the close (attendance is public, choices are not), sorted by
    name: votes themselves leave no audit event, so that no per-voter time sits near the ballot box."""
    voted = list(session.scalars(select(User.username).join(BallotVoter, BallotVoter.user_id == User.id)
                                 .where(BallotVoter.ballot_id == ballot.id, BallotVoter.has_voted.is_(True))
                                 .order_by(User.username)))
    audit.record(session, "ballot_turnout", actor, details={"ballot": ballot.public_id, "voted": voted,
                                                             "eligible": turnout(session, ballot)["eligible"]})


def _drop_envelopes(session: Session, ballot: Ballot) -> int:
    """Envelopes are spent or lost once the vote closes; returns how many were never cast."""
    unspent = session.scalar(select(func.count()).where(BallotEnvelope.ballot_id == ballot.id,
                                                        BallotEnvelope.is_spent.is_(False)))
    session.execute(delete(BallotEnvelope).where(BallotEnvelope.ballot_id == ballot.id))
    return unspent


def _notify_process(session: Session, ballot: Ballot, actor: User | None, cause: dict | None = None) -> None:
    """The tally (never a ballot) goes into the workflow that asked for the vote; a void round's
    reason in the result sheet's words (the stored one is the audit's)."""
    if ballot.instance_id is None:
        return
    pooled = (ballot.tally or {}).get("pooled") or {}
    summary = {"ballot": ballot.public_id, "subject": ballot.subject, "status": ballot.status,
               "void_reason": rules.void_reason_zh(cause) if cause else ballot.void_reason,
               "grade": (ballot.tally or {}).get("grade"),
               "score": (ballot.tally or {}).get("score"), "counts": pooled.get("counts"),
               "rates": pooled.get("rates"), "combined_rate": pooled.get("combined_rate"),
               "rule": (ballot.tally or {}).get("rule")}
    # the process may not wait for it (any more): the result stays on the ballot
    with contextlib.suppress(NoMessageRecipient):
        messages.deliver(session, ballot.message_name or CLOSED_MESSAGE, summary, actor,
                         instance_id=ballot.instance_id, correlation=ballot.message_correlation)


def forget_order(session: Session, ballot: Ballot) -> None:
    """After a ballot is closed and committed: erase what the storage remembers of the order of
    voting. On PostgreSQL every voter and vote row gets the same transaction id and the tables are
    rewritten without the old row versions; on SQLite (rows stored by random key) the write-ahead
    log, which holds pages in commit order, is checkpointed and truncated."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(update(BallotVoter).where(BallotVoter.ballot_id == ballot.id)
                        .values(has_voted=BallotVoter.has_voted))
        session.execute(update(BallotVote).where(BallotVote.ballot_id == ballot.id)
                        .values(choice=BallotVote.choice))
        session.commit()
        for table in ("ballot_vote", "ballot_voter", "ballot_envelope"):
            session.execute(text(f"CLUSTER {table} USING pk_{table}"))
        session.commit()
    elif dialect == "sqlite":
        session.commit()
        raw = session.get_bind().raw_connection()
        try:  # outside any transaction, or the checkpoint cannot finish
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def announce(session: Session, public_id: str, actor: User) -> Ballot:
    require_staff(actor, "announce a result")
    ballot = get_ballot(session, public_id)
    if ballot.status not in ("closed", "void"):
        raise Conflict("Only a closed ballot can be announced.", reason="not_closed")
    if ballot.announced_at is None:
        ballot.announced_at, ballot.announced_by_id = clock.now(), actor.id
        audit.record(session, "ballot_announced", actor, details={
            "ballot": public_id, "status": ballot.status, "grade": (ballot.tally or {}).get("grade")})
    return ballot


def close_due(session_factory: sessionmaker) -> int:
    """Close ballots whose closing time has passed (run by the timer worker)."""
    with session_factory() as session:
        due = list(session.scalars(select(Ballot.public_id).where(Ballot.status == "open",
                                                                  Ballot.closes_at <= clock.now())))
        session.rollback()
    closed = 0
    for public_id in due:
        with session_factory() as session:
            try:
                ballot = close_ballot(session, public_id, None)
                session.commit()
                forget_order(session, ballot)
                closed += 1
            except Conflict:
                session.rollback()
    return closed


@dataclass
class Ranked:
    rank: int
    ballot: Ballot
    score: float | None
    flagged: bool


def ranking(session: Session, year: int, kind: str = "meeting", lowest: int = 1) -> list[Ranked]:
    """The year's closed ballots by composite score (best first); the lowest `lowest` are flagged."""
    ballots = [b for b in session.scalars(select(Ballot).where(Ballot.year == year, Ballot.kind == kind,
                                                                Ballot.status == "closed"))]
    ballots.sort(key=lambda b: (b.tally.get("score") is None, -(b.tally.get("score") or 0), b.subject))
    ranked, previous, rank = [], object(), 0
    for position, ballot in enumerate(ballots, 1):
        score = ballot.tally.get("score")
        if score != previous:
            rank, previous = position, score
        ranked.append(Ranked(rank=rank, ballot=ballot, score=score, flagged=False))
    scored = [r.score for r in ranked if r.score is not None]
    if scored and lowest > 0:
        threshold = sorted(scored)[min(lowest, len(scored)) - 1]  # ties at the boundary are flagged too
        for entry in ranked:
            entry.flagged = entry.score is not None and entry.score <= threshold
    return ranked


def paper_counts(session: Session, ballot: Ballot) -> list[tuple[PaperCount, str]]:
    """The tellers' entries so far, with the teller's name."""
    return list(session.execute(select(PaperCount, User.display_name).join(User, User.id == PaperCount.teller_id)
                                .where(PaperCount.ballot_id == ballot.id).order_by(PaperCount.id)))
