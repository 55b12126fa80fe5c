"""Service tasks: named operations a BPMN model may call, implemented in Python by the services.

A service task (`spiffworkflow:serviceTaskOperator id="ballot.open"` with parameters) calls the
operation registered under that name with the evaluated parameters; what it returns (JSON-able)
lands in the task's result variable. Operations run inside the transaction that advances the
instance, with its session, so their effects commit or roll back with the instance's state.

Only registered operations exist: deployment refuses an unknown name or a missing parameter,
and an operation cannot reach anything the registry does not offer (models cannot import).

    @operation("ballot.open", required=("title", "subject"), optional=("rule_set",))
    def open_ballot(ctx, title, subject, rule_set="default"):
        ...
        return {"ballot": ballot.public_id}
"""
from __future__ import annotations

import contextvars
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

BUILTIN_MODULES = ("engine.services.operations", "engine.services.public_operations", "engine.services.org_operations",
                   "engine.services.notify_operations")


@dataclass
class Context:
    """What an operation may use: the session, who acted, and the instance (None while it starts)."""

    session: object
    actor: object | None = None
    instance: object | None = None
    result_variable: str | None = None  # where the calling service task puts the result
    task: object | None = None  # the calling service task (SpiffWorkflow's), while the operation runs


@dataclass(frozen=True)
class Operation:
    name: str
    function: Callable
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    doc: str = ""


class OperationError(Exception):
    """An operation refused its input; the instance stops with this message (in English)."""


_registry: dict[str, Operation] = {}
_loaded = False
_context: contextvars.ContextVar[Context | None] = contextvars.ContextVar("pingyi_operation_context", default=None)


def operation(name: str, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()):
    def register(function: Callable) -> Callable:
        _registry[name] = Operation(name, function, tuple(required), tuple(optional),
                                    (function.__doc__ or "").strip().split("\n")[0])
        return function

    return register


def registry() -> dict[str, Operation]:
    global _loaded
    if not _loaded:
        for module in BUILTIN_MODULES:
            importlib.import_module(module)
        _loaded = True
    return _registry


def problems(name: str, params: dict) -> list[str]:
    """What is wrong with a service task calling `name` with these parameter names (for deployment)."""
    known = registry().get(name)
    if known is None:
        return [f"unknown service operation '{name}' (known: {', '.join(sorted(registry()))})"]
    found = []
    missing = [p for p in known.required if p not in params]
    if missing:
        found.append(f"operation '{name}' needs the parameter(s) {', '.join(missing)}")
    extra = [p for p in params if p not in known.required and p not in known.optional]
    if extra:
        found.append(f"operation '{name}' has no parameter(s) {', '.join(extra)}")
    return found


# session.info: what operations leave for after the step is saved (engine/services/notifications.py)
QUEUED = "pingyi.operations_queued"


@contextmanager
def bound(session, actor=None, instance=None) -> Iterator[Context]:
    """Run engine steps with this context available to operations."""
    session.info[QUEUED] = []  # nothing left over from a step that failed before it was saved
    context = Context(session, actor, instance)
    token = _context.set(context)
    try:
        yield context
    finally:
        _context.reset(token)


def running() -> bool:
    """Whether a service task's operation is running now (what it records, the process does)."""
    context = _context.get()
    return context is not None and context.task is not None


def call(name: str, params: dict, result_variable: str | None = None, task=None) -> object:
    context = _context.get()
    if context is None:
        raise OperationError(f"service operation '{name}' called outside a transaction")
    known = registry().get(name)
    if known is None:
        raise OperationError(f"unknown service operation '{name}'")
    context.result_variable, context.task = result_variable, task
    try:
        return known.function(context, **params)
    finally:
        context.result_variable, context.task = None, None
