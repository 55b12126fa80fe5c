"""Service operations that tell people something (see engine/connectors.py and processes/README.md)."""
from __future__ import annotations

from engine.connectors import Context, OperationError, operation
from engine.errors import EngineError
from engine.services import notifications


def _running(ctx: Context, name: str) -> None:
    if ctx.instance is None:
        raise OperationError(f"{name} needs a running instance (not the first step of a process)")


@operation("notify.holders", required=("task", "title"), optional=("text", "kind"))
def notify_holders(ctx: Context, task, title, text=None, kind="reminder") -> dict:
    """Tell whoever holds the open task `task` (its id on the diagram) of this instance: its assignee, else
    its candidates. For a reminder on a boundary timer of that task (the task is open while it fires)."""
    _running(ctx, "notify.holders")
    try:
        sent = notifications.remind_holders(ctx.session, ctx.instance, str(task), str(title), text,
                                            kind=kind or "reminder", actor=ctx.actor)
    except EngineError as exc:
        raise OperationError(str(exc)) from exc
    return {"notified": sent}


@operation("notify.groups", required=("groups", "title"), optional=("text", "kind"))
def notify_groups(ctx: Context, groups, title, text=None, kind="message") -> dict:
    """Tell the active members of `groups` (a group name, e.g. a lane's, or a list of names)."""
    _running(ctx, "notify.groups")
    names = [groups] if isinstance(groups, str) else [str(name) for name in (groups or [])]
    try:
        sent = notifications.notify_groups(ctx.session, names, str(title), text, kind=kind or "message",
                                           instance=ctx.instance, actor=ctx.actor)
    except EngineError as exc:
        raise OperationError(str(exc)) from exc
    return {"notified": sent}
