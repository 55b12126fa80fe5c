"""The service operations BPMN models may call (see engine/connectors.py and processes/README.md)."""
from __future__ import annotations

import secrets

from engine.connectors import Context, OperationError, operation
from engine.errors import EngineError
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
    "deputy"}, e.g. the deputies selected for the meeting)."""
    if ctx.instance is None:
        raise OperationError("ballot.open needs a running instance (not the first step of a process)")
    public_id = secrets.token_hex(16)
    correlation = {f"{ctx.result_variable}.ballot": public_id} if ctx.result_variable else None
    try:
        chosen = ballots.voters_from_groups(ctx.session, {"committee": committee_group, "deputy": deputy_group})
        chosen.update(ballots.voters_by_name(ctx.session, voters or {}))
        ballot = ballots.open_ballot(
            ctx.session, ctx.actor, title=str(title), subject=str(subject), year=int(year), voters=chosen,
            rule_set_code=rule_set or "default", kind=kind or "meeting", subject_key=subject_key,
            members_total=int(members_total) if members_total else None, instance_id=ctx.instance.id,
            message_name=message or CLOSED, message_correlation=correlation, public_id=public_id,
            by_process=True)
    except EngineError as exc:
        raise OperationError(f"{exc} {getattr(exc, 'errors', '') or ''}".strip()) from exc
    return {"ballot": ballot.public_id, "voters": len(chosen), "members_total": ballot.members_total}


@operation("ballot.ranking", required=("year",), optional=("kind", "lowest"))
def ranking(ctx: Context, year, kind="meeting", lowest=1) -> list[dict]:
    """The year's counted ballots by score, best first; the lowest `lowest` flagged."""
    return [{"rank": r.rank, "subject": r.ballot.subject, "subject_key": r.ballot.subject_key, "score": r.score,
             "grade": r.ballot.tally["grade"], "flagged": r.flagged, "ballot": r.ballot.public_id}
            for r in counting.ranking(ctx.session, int(year), kind=kind or "meeting", lowest=int(lowest or 0))]
