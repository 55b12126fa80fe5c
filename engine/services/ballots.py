"""Secret ballots: open, cast (in two transactions), count paper, close, announce.

Casting is split so that nothing stored ties a voter to a choice, not even the database's
row versions: `issue_envelope` marks the voter (one ballot each, enforced by a conditional
UPDATE) and hands out a random envelope; after that transaction commits, `cast` spends the
envelope and records the choice. The caller commits after each step and keeps the envelope
id (e.g. in the browser session) to retry `cast` if the second step fails. On PostgreSQL the
web layer first tries each step as a single statement (engine/services/ballot_box.py) and comes
here when that did nothing.
"""
from __future__ import annotations

import secrets
from copy import deepcopy
from datetime import datetime

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from engine import audit, clock, rules
from engine.errors import AlreadyVoted, Conflict, InvalidInput, NotFound, PermissionDenied, VoteClosed
from engine.models import Ballot, BallotEnvelope, BallotVote, BallotVoter, Group, ProcessInstance, RuleSet, User
from engine.models.instances import OPEN_STATUSES

GROUPS = ("committee", "deputy")


OFFICE_GROUP, CHAIR_GROUP = "评议办", "主任会议"


def may_run(user: User | None) -> bool:
    """The evaluation office and the chair's meeting run ballots (open, count, close, announce)."""
    return bool(user is not None and user.is_active and not user.is_auditor and (
        user.is_admin or any(g.name in (OFFICE_GROUP, CHAIR_GROUP) for g in user.groups)))


def may_see_results(user: User | None) -> bool:
    return may_run(user) or bool(user is not None and user.is_active and user.is_auditor)


def require_staff(user: User, action: str) -> None:
    if not may_run(user):
        raise PermissionDenied(f"Only the evaluation office may {action}.", action=action)


def rule_set(session: Session, code: str) -> dict:
    """A rule set by code: an administrator's saved version, else the built-in preset."""
    row = session.scalar(select(RuleSet).where(RuleSet.code == code))
    if row is not None:
        return {"name": row.name, **row.definition}
    if code in rules.PRESETS:
        return deepcopy(rules.PRESETS[code])
    raise NotFound(f"No rule set '{code}'.", rule_set=code)


def rule_sets(session: Session) -> dict[str, dict]:
    saved = {row.code: {"name": row.name, **row.definition}
             for row in session.scalars(select(RuleSet).order_by(RuleSet.code))}
    return {**deepcopy(rules.PRESETS), **saved}


def save_rule_set(session: Session, code: str, name: str, definition: dict, actor: User) -> RuleSet:
    if not actor.is_admin:
        raise PermissionDenied("Only an administrator may change rule sets.")
    rules.check(definition)
    row = session.scalar(select(RuleSet).where(RuleSet.code == code))
    before = row.definition if row else rules.PRESETS.get(code)
    if row is None:
        row = RuleSet(code=code, name=name, definition=definition, is_preset=code in rules.PRESETS)
        session.add(row)
    row.name, row.definition, row.updated_by_id, row.updated_at = name, definition, actor.id, clock.now()
    session.flush()
    audit.record(session, "rule_set_saved", actor, before=before, after=definition, details={"code": code})
    return row


def open_ballot(session: Session, actor: User, *, title: str, subject: str, year: int, voters: dict[int, str],
                rule_set_code: str = "default", kind: str = "meeting", subject_key: str | None = None,
                members_total: int | None = None, closes_at: datetime | None = None,
                instance_id: int | None = None, message_name: str | None = None,
                message_correlation: dict | None = None, public_id: str | None = None,
                by_process: bool = False) -> Ballot:
    """Open a ballot for `voters` ({user id: voter group}). `members_total`: all the Standing Committee's
    members, the base of the quorum (default: the committee voters; with none, every voter).
    `by_process`: a deployed model's service task opens it (the model was deployed by an
    administrator; `actor` is only recorded)."""
    if not by_process:
        require_staff(actor, "open a ballot")
    if not voters:
        raise InvalidInput("A ballot needs voters.", errors={"voters": "required"})
    bad = sorted({g for g in voters.values() if g not in GROUPS})
    if bad:
        raise InvalidInput(f"Unknown voter groups: {', '.join(bad)}.", errors={"voters": "group"})
    definition = rules.check(dict(rule_set(session, rule_set_code)))
    if open_on_subject(session, kind=kind, year=year, subject=subject, subject_key=subject_key) is not None:
        raise InvalidInput(f"A {kind} vote on {subject} for {year} is open already; close it first.",
                           errors={"subject": "open_already"})
    ballot = Ballot(public_id=public_id or secrets.token_hex(16), title=title.strip()[:255],
                    subject=subject.strip()[:255], subject_key=subject_key, year=year, kind=kind,
                    rule_set_code=rule_set_code, rules=definition,
                    status="open", members_total=members_total or committee_size(voters), opened_at=clock.now(),
                    opened_by_id=actor.id if actor else None, closes_at=closes_at, instance_id=instance_id,
                    message_name=message_name, message_correlation=message_correlation)
    session.add(ballot)
    session.flush()
    session.add_all(BallotVoter(ballot_id=ballot.id, user_id=uid, voter_group=group) for uid, group in voters.items())
    session.flush()
    audit.record(session, "ballot_opened", actor, details={
        "ballot": ballot.public_id, "title": ballot.title, "subject": subject, "rule_set": rule_set_code,
        "voters": len(voters), "members_total": ballot.members_total})
    return ballot


def committee_size(voters: dict[int, str]) -> int:
    """The Standing Committee members among `voters` (every voter when none is one)."""
    return sum(1 for group in voters.values() if group == "committee") or len(voters)


def open_on_subject(session: Session, *, kind: str, year: int, subject: str,
                    subject_key: str | None = None) -> Ballot | None:
    """The open vote of this kind on this subject (its key, else its name) in this year, if any."""
    same = Ballot.subject_key == subject_key if subject_key else Ballot.subject == subject.strip()
    return session.scalar(select(Ballot).where(Ballot.status == "open", Ballot.kind == kind, Ballot.year == year,
                                               same).order_by(Ballot.id).limit(1))


def adopt(session: Session, ballot: Ballot, actor: User | None, *, voters: dict[int, str], instance_id: int,
          message_name: str, message_correlation: dict | None, members_total: int | None = None) -> Ballot:
    """A process takes over a vote the office opened by hand on its subject: the tally goes to the
    process when the vote closes. Its title, rules and closing time stay; the process's `voters` who
    are not voters yet are added. Refused when another running process waits for that vote, or
    when it is past its closing time."""
    ballot = get_ballot(session, ballot.public_id, lock=True)
    owner = session.get(ProcessInstance, ballot.instance_id) if ballot.instance_id else None
    if owner is not None and owner.id != instance_id and owner.status in OPEN_STATUSES:
        raise InvalidInput(f"The {ballot.kind} vote on {ballot.subject} for {ballot.year} (“{ballot.title}”) "
                           f"is open already for process {owner.id}; close it there first.",
                           errors={"subject": "open_for_another_process"})
    if ballot.status != "open" or is_past_closing(ballot):
        raise InvalidInput(f"The vote “{ballot.title}” is past its closing time or was closed meanwhile; close it "
                           "if it is still open, then retry the step.", errors={"subject": "past_closing"})
    known = dict(session.execute(select(BallotVoter.user_id, BallotVoter.voter_group)
                                 .where(BallotVoter.ballot_id == ballot.id)).all())
    added = {uid: group for uid, group in voters.items() if uid not in known}
    session.add_all(BallotVoter(ballot_id=ballot.id, user_id=uid, voter_group=group) for uid, group in added.items())
    ballot.members_total = max(ballot.members_total or 0, members_total or 0, committee_size(known | added))
    ballot.instance_id, ballot.message_name, ballot.message_correlation = instance_id, message_name, message_correlation
    session.flush()
    audit.record(session, "ballot_adopted", actor, instance=session.get(ProcessInstance, instance_id), details={
        "ballot": ballot.public_id, "title": ballot.title, "subject": ballot.subject,
        "voters_added": len(added), "members_total": ballot.members_total})
    return ballot


_BY_PUBLIC_ID = select(Ballot).where(Ballot.public_id == bindparam("public_id"))
_BALLOT_QUERIES = {"none": _BY_PUBLIC_ID, "share": _BY_PUBLIC_ID.with_for_update(read=True),
                   "lock": _BY_PUBLIC_ID.with_for_update()}


def get_ballot(session: Session, public_id: str, lock: bool = False, share: bool = False) -> Ballot:
    """lock: exclusive (closing); share: ballots going in hold the ballot open until they commit."""
    query = _BALLOT_QUERIES["lock" if lock else "share" if share else "none"]
    ballot = session.scalar(query, {"public_id": public_id})
    if ballot is None:
        raise NotFound("No such ballot.", ballot=public_id)
    return ballot


# these read a Ballot or a row of its columns (status, closes_at, public_id, rules)
def is_past_closing(ballot: Ballot) -> bool:
    return ballot.closes_at is not None and ballot.closes_at <= clock.now()


def _require_open(ballot: Ballot) -> None:
    if ballot.status != "open" or is_past_closing(ballot):
        raise VoteClosed("The vote is closed.", ballot=ballot.public_id)


def valid_choice(ballot: Ballot, choice: str) -> str:
    codes = {o["code"] for o in ballot.rules["options"]}
    if choice not in codes:
        raise InvalidInput("Choose one of the options.", errors={"choice": "required"})
    return choice


# the statements of a vote, built once (a meeting casts hundreds of votes within seconds)
_MARK_VOTED = (update(BallotVoter).where(BallotVoter.ballot_id == bindparam("b_ballot"),
                                         BallotVoter.user_id == bindparam("b_user"), BallotVoter.has_voted.is_(False))
               .values(has_voted=True).returning(BallotVoter.voter_group))
_NEW_ENVELOPE = insert(BallotEnvelope)
_SPEND_ENVELOPE = (update(BallotEnvelope).where(BallotEnvelope.id == bindparam("b_envelope"),
                                                BallotEnvelope.is_spent.is_(False))
                   .values(is_spent=True).returning(BallotEnvelope.voter_group))
# what a ballot going in checks, share-locked: the ballot stays open until the vote commits
_VOTE_STATE = (select(Ballot.id, Ballot.status, Ballot.rules, Ballot.public_id, Ballot.closes_at)
               .with_for_update(read=True))
_BALLOT_STATE = _VOTE_STATE.where(Ballot.id == bindparam("ballot_id"))
_OPEN_FOR_VOTES = _VOTE_STATE.where(Ballot.public_id == bindparam("public_id"))
_ENVELOPE_BALLOT = select(BallotEnvelope.ballot_id).where(BallotEnvelope.id == bindparam("b_envelope"))
_NEW_VOTE = insert(BallotVote)


def issue_envelope(session: Session, public_id: str, voter: User, choice: str) -> str:
    """Step 1 (its own transaction): mark the voter as having voted; returns an envelope id.

    The choice is only checked here (so a wrong one does not spend the voter's ballot). No audit
    event per vote: its time would be a per-voter timestamp next to the vote; who voted is recorded
    once, when the vote closes (see counting.close_ballot)."""
    connection = session.connection()  # Core statements: no ORM bookkeeping on this hot path
    ballot = connection.execute(_OPEN_FOR_VOTES, {"public_id": public_id}).first()
    if ballot is None:
        raise NotFound("No such ballot.", ballot=public_id)
    _require_open(ballot)
    valid_choice(ballot, choice)
    marked = connection.execute(_MARK_VOTED, {"b_ballot": ballot.id, "b_user": voter.id}).first()
    if marked is None:
        eligible = session.get(BallotVoter, (ballot.id, voter.id))
        if eligible is None:
            raise PermissionDenied("You are not a voter in this ballot.", ballot=public_id)
        raise AlreadyVoted("You have already voted; a cast ballot cannot be changed.", ballot=public_id)
    envelope = secrets.token_hex(16)
    connection.execute(_NEW_ENVELOPE, {"id": envelope, "ballot_id": ballot.id, "voter_group": marked[0],
                                       "is_spent": False})
    return envelope


def cast(session: Session, envelope_id: str, choice: str) -> None:
    """Step 2 (a separate transaction): spend the envelope and drop the choice in the box.

    The ballot is locked before the envelope, in the order closing takes them (the ballot, then
    its envelopes), so a vote going in and the count never wait on each other in a circle."""
    connection = session.connection()
    ballot_id = connection.scalar(_ENVELOPE_BALLOT, {"b_envelope": envelope_id})
    if ballot_id is None:
        raise NotFound("No such envelope.")
    # the ballot row is share-locked until commit, so a vote cannot slip in after the count
    ballot = connection.execute(_BALLOT_STATE, {"ballot_id": ballot_id}).one()
    if ballot.status != "open" or is_past_closing(ballot):  # past its closing time, even before the timer ran
        raise VoteClosed("The vote is closed.", ballot=ballot.public_id)
    valid_choice(ballot, choice)
    spent = connection.execute(_SPEND_ENVELOPE, {"b_envelope": envelope_id}).first()
    if spent is None:
        raise Conflict("This envelope was used already.")
    connection.execute(_NEW_VOTE, {"id": secrets.token_hex(16), "ballot_id": ballot_id, "voter_group": spent[0],
                                   "choice": choice, "source": "electronic"})


def turnout(session: Session, ballot: Ballot) -> dict:
    eligible, voted = session.execute(
        select(func.count(), func.count().filter(BallotVoter.has_voted.is_(True)))
        .where(BallotVoter.ballot_id == ballot.id)).one()
    return {"eligible": eligible, "voted": voted, "paper_returned": ballot.paper_returned or 0}


def voters_per_group(session: Session, ballot: Ballot) -> dict[str, int]:
    """How many eligible voters each voter group has."""
    return dict(session.execute(select(BallotVoter.voter_group, func.count()).where(BallotVoter.ballot_id == ballot.id)
                                .group_by(BallotVoter.voter_group)).all())


def electronic_counts(session: Session, ballot: Ballot) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for group, choice, n in session.execute(
            select(BallotVote.voter_group, BallotVote.choice, func.count())
            .where(BallotVote.ballot_id == ballot.id).group_by(BallotVote.voter_group, BallotVote.choice)):
        counts.setdefault(group, {})[choice] = n
    return counts


def my_open_ballots(session: Session, user: User) -> list[Ballot]:
    """Open ballots the user may still vote in (the inbox shows them)."""
    return list(session.scalars(
        select(Ballot).join(BallotVoter, BallotVoter.ballot_id == Ballot.id)
        .where(BallotVoter.user_id == user.id, BallotVoter.has_voted.is_(False), Ballot.status == "open")
        .order_by(Ballot.opened_at, Ballot.id)))


def is_voter(session: Session, ballot: Ballot, user: User) -> BallotVoter | None:
    return session.get(BallotVoter, (ballot.id, user.id))



def voters_from_groups(session: Session, groups: dict[str, str | None]) -> dict[int, str]:
    """{voter group: user group name} -> {user id: voter group}; a person in both votes once, as
    a committee member. Inactive users are left out."""
    voters: dict[int, str] = {}
    for voter_group in reversed(GROUPS):  # committee last, so it wins
        name = groups.get(voter_group)
        if not name:
            continue
        group = session.scalar(select(Group).where(Group.name == name))
        if group is None:
            raise InvalidInput(f"No group '{name}'.", errors={voter_group: "no_such_group"})
        voters.update({u.id: voter_group for u in group.members if u.is_active})
    return voters


def list_ballots(session: Session, year: int | None = None) -> list[Ballot]:
    query = select(Ballot).order_by(Ballot.opened_at.desc(), Ballot.id.desc())
    if year is not None:
        query = query.where(Ballot.year == year)
    return list(session.scalars(query))


def voters_of(session: Session, ballot: Ballot) -> list[tuple[User, BallotVoter]]:
    """The eligible voters (for the tellers' list of who may still get a paper ballot)."""
    return list(session.execute(select(User, BallotVoter).join(BallotVoter, BallotVoter.user_id == User.id)
                                .where(BallotVoter.ballot_id == ballot.id).order_by(User.display_name, User.id)))


def count_my_open_ballots(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(BallotVoter)
                          .join(Ballot, Ballot.id == BallotVoter.ballot_id)
                          .where(BallotVoter.user_id == user.id, BallotVoter.has_voted.is_(False),
                                 Ballot.status == "open")) or 0


def voters_by_name(session: Session, named: dict[str, str]) -> dict[int, str]:
    """{user name: voter group} -> {user id: voter group}; unknown or inactive names are refused."""
    if not named:
        return {}
    bad = sorted({g for g in named.values() if g not in GROUPS})
    if bad:
        raise InvalidInput(f"Unknown voter groups: {', '.join(bad)}.", errors={"voters": "group"})
    found = dict(session.execute(select(User.username, User.id).where(User.username.in_(list(named)),
                                                                       User.is_active.is_(True))).all())
    missing = sorted(set(named) - set(found))
    if missing:
        raise InvalidInput(f"Unknown voters: {', '.join(missing[:10])}.", errors={"voters": "unknown"})
    return {found[name]: group for name, group in named.items()}
