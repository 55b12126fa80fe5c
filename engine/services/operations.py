"""The service operations BPMN models may call (see engine/connectors.py and processes/README.md)."""
from __future__ import annotations

import secrets

from engine.connectors import Context, OperationError, operation
from engine.errors import EngineError, InvalidInput
from engine.services import ballots, counting

CLOSED = counting.CLOSED_MESSAGE


@operation("ballot.open", required=("title", "subject", "year"),
           optional=("subject_key", "committee_group", "deputy_group", "voters", "rule_set", "kind",
                     "members_total", "message"))
def open_ballot(ctx: Context, title, subject, year, subject_key=None, committee_group=None, deputy_group=None,
                voters=None, rule_set="default", kind="meeting", members_total=None, message=CLOSED) -> dict:
    """Open a secret ballot; the tally comes back to this instance as a message (default ballot_closed),
    to the waiting task whose `<result variable>.ballot` names this ballot (parallel votes do not mix).

    Voters: the members of `committee_group` and `deputy_group`, plus `voters` ({user name: "committee" |
    "deputy"}, e.g. the deputies selected for the meeting). A vote of the same kind on the same subject
    and year that the office opened by hand is taken over instead (see ballots.adopt)."""
    if ctx.instance is None:
        raise OperationError("ballot.open needs a running instance (not the first step of a process)")
    kind, year, members_total = kind or "meeting", _number("year", year), _number("members_total", members_total)
    if year is None:
        raise OperationError("ballot.open: year is required")
    try:
        chosen = ballots.voters_from_groups(ctx.session, {"committee": committee_group, "deputy": deputy_group})
        chosen.update(ballots.voters_by_name(ctx.session, voters or {}))
        if not chosen:
            raise InvalidInput("A ballot needs voters.", errors={"voters": "required"})
        found = ballots.open_on_subject(ctx.session, kind=kind, year=year, subject=str(subject),
                                        subject_key=subject_key)
        public_id = found.public_id if found is not None else secrets.token_hex(16)
        correlation = {f"{ctx.result_variable}.ballot": public_id} if ctx.result_variable else None
        if found is not None:
            ballot = ballots.adopt(ctx.session, found, ctx.actor, voters=chosen, instance_id=ctx.instance.id,
                                   message_name=message or CLOSED, message_correlation=correlation,
                                   members_total=members_total)
        else:
            ballot = ballots.open_ballot(
                ctx.session, ctx.actor, title=str(title), subject=str(subject), year=year, voters=chosen,
                rule_set_code=rule_set or "default", kind=kind, subject_key=subject_key, members_total=members_total,
                instance_id=ctx.instance.id, message_name=message or CLOSED, message_correlation=correlation,
                public_id=public_id, by_process=True)
    except EngineError as exc:
        raise OperationError(f"{exc} {getattr(exc, 'errors', '') or ''}".strip()) from exc
    return {"ballot": ballot.public_id, "voters": ballots.turnout(ctx.session, ballot)["eligible"],
            "members_total": ballot.members_total, "adopted": found is not None}


def _number(name: str, value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise OperationError(f"ballot.open: {name} must be a number, not {value!r}") from None


@operation("ballot.ranking", required=("year",), optional=("kind", "lowest"))
def ranking(ctx: Context, year, kind="meeting", lowest=1) -> list[dict]:
    """The year's counted ballots by score, best first; the lowest `lowest` flagged."""
    return [{"rank": r.rank, "subject": r.ballot.subject, "subject_key": r.ballot.subject_key, "score": r.score,
             "grade": r.ballot.tally["grade"], "flagged": r.flagged, "ballot": r.ballot.public_id,
             "announced": r.ballot.announced_at is not None}
            for r in counting.ranking(ctx.session, int(year), kind=kind or "meeting", lowest=int(lowest or 0))]
