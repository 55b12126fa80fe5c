"""Errors the engine raises. Each has a stable `code` (the web layer translates it) and params."""
from __future__ import annotations

from dataclasses import dataclass


class EngineError(Exception):
    """Base class. `code` names the kind of error; `params` fill the translated message."""

    code = "engine_error"
    status = 400

    def __init__(self, message: str, **params):
        super().__init__(message)
        self.message = message
        self.params = params


class NotFound(EngineError):
    code = "not_found"
    status = 404


class PermissionDenied(EngineError):
    code = "permission_denied"
    status = 403


class Conflict(EngineError):
    """The state changed under the caller (completed by someone else, instance not running...)."""

    code = "conflict"
    status = 409


class TaskAlreadyCompleted(Conflict):
    code = "task_already_completed"

    def __init__(self, task_title: str, completed_by: str | None):
        who = completed_by or "the engine"
        super().__init__(f"Task '{task_title}' was already completed by {who}.",
                         task=task_title, by=who)
        self.completed_by = completed_by


class TaskHeld(Conflict):
    code = "task_held"


class TaskEnded(Conflict):
    code = "task_ended"


class InstanceFrozen(Conflict):
    """The instance is suspended or has ended: its tasks are not worked on."""

    code = "instance_frozen"


class VoteClosed(Conflict):
    code = "vote_closed"


class AlreadyVoted(Conflict):
    code = "already_voted"


class InvalidInput(EngineError):
    """Bad data from a user; `errors` maps a field path to a message."""

    code = "invalid_input"

    def __init__(self, message: str, errors: dict[str, str] | None = None, **params):
        super().__init__(message, **params)
        self.errors = errors or {}


@dataclass(frozen=True)
class Problem:
    """One deployment problem, located in a file, on an element, at a line."""

    file: str
    message: str
    element_id: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.element_id:
            where += f", element '{self.element_id}'"
        if self.line:
            where += f", line {self.line}"
        return f"{where}: {self.message}"


class DeploymentError(EngineError):
    """A bundle was refused; nothing of it was stored."""

    code = "deployment_failed"

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        text = "Deployment refused:\n" + "\n".join(f"- {p}" for p in self.problems)
        super().__init__(text, count=len(self.problems))


class ScriptError(EngineError):
    """A script, condition or expression failed while the engine ran an instance."""

    code = "script_error"
    status = 422

    def __init__(self, message: str, *, element_id: str = "", task_name: str = "",
                 line: int | None = None, detail: str = ""):
        super().__init__(message, element_id=element_id, task=task_name, line=line, detail=detail)
        self.element_id = element_id
        self.task_name = task_name
        self.line = line
        self.detail = detail


class NoMessageRecipient(EngineError):
    code = "no_message_recipient"
    status = 409
