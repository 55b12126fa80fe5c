"""Service operations that tell people something (see engine/connectors.py and processes/README.md)."""
from __future__ import annotations

from engine import runtime
from engine.connectors import Context, OperationError, operation
from engine.errors import EngineError
from engine.services import notifications


@operation("notify.holders", required=("task", "title"), optional=("text", "kind"))
def notify_holders(ctx: Context, task, title, text=None, kind="reminder") -> dict:
    """Tell whoever holds the open task `task` (its id on the diagram) in this branch of this instance (a
    department's copy of a per-department step: that department only): its assignee, else its candidates.
    For a reminder on a boundary timer of that task. Sent once the step is saved, so a task that opens in
    the same step (a reminder whose time has passed already) is found too."""
    try:
        notifications.queue(ctx.session, str(task), str(title), text, kind=kind or "reminder",
                            branch=runtime.branch_of(ctx.task) if ctx.task is not None else None, actor=ctx.actor)
    except EngineError as exc:
        raise OperationError(str(exc)) from exc
    return {"queued": True}


@operation("notify.groups", required=("groups", "title"), optional=("text", "kind"))
def notify_groups(ctx: Context, groups, title, text=None, kind="message") -> dict:
    """Tell the active members of `groups` (a group name, e.g. a lane's, or a list of names)."""
    names = [groups] if isinstance(groups, str) else [str(name) for name in (groups or [])]
    try:
        sent = notifications.notify_groups(ctx.session, names, str(title), text, kind=kind or "message",
                                           instance=ctx.instance, actor=ctx.actor)
    except EngineError as exc:
        raise OperationError(str(exc)) from exc
    return {"notified": sent}
