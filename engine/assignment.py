"""What the inbox needs to know about a READY user task: title, form, instructions, who, when.

Candidates, in order of precedence:
1. the task's spiff properties `assignee` (an expression giving a user name) and/or `candidates`
   (an expression giving `user:NAME` / `group:NAME` strings, or a list of them; a bare name is a
   user). Evaluated in the task's data, so a multi-instance child can name its own element, e.g.
   `assignee` = `deputy` gives each deputy their own task;
2. `lane_owners[lane]` from task data (same `user:` / `group:` strings);
3. the lane name as a group name;
4. a task outside any lane goes to whoever started the instance (SpiffArena's rule).

`dueAt` (an expression giving a date or date-time, e.g. `add_months(issued_on, 1)`) and
`priority` (an expression giving an integer) are read the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine import dates
from engine.errors import ScriptError
from engine.runtime import script_error
from engine.script_env import render_text


@dataclass(frozen=True)
class Principal:
    kind: str  # "user" or "group"
    name: str


@dataclass
class TaskInfo:
    task_guid: str
    element_id: str
    title: str
    lane: str | None
    form_key: str | None
    ui_form_key: str | None
    instructions: str
    branch: str | None = None
    branch_label: str | None = None
    candidates: list[Principal] = field(default_factory=list)
    assignee: str | None = None
    due_at: datetime | None = None
    priority: int = 0
    confidential: bool = False  # seen only by its own participants within a branch (permissions.py)


def parse_principals(value) -> list[Principal]:
    """`user:NAME` / `group:NAME` strings (or a list of them); a bare name is a user."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, (list, tuple, set)) else [value]
    result = []
    for item in items:
        text = str(item).strip()
        kind, _, name = text.partition(":")
        if name and kind in ("user", "group"):
            result.append(Principal(kind, name.strip()))
        elif text:
            result.append(Principal("user", text))
    return result


def describe(task) -> TaskInfo:
    spec = task.task_spec
    ext = getattr(spec, "extensions", None) or {}
    props = ext.get("properties", {}) or {}
    element = spec.bpmn_id or spec.name
    title = _render(task, "title", props.get("title")) if props.get("title") else (spec.bpmn_name or element)
    title = " ".join(title.split()) or element  # one line: a name from data may hold a line break
    instructions = _render(task, "instructions", ext.get("instructionsForEndUser"))
    info = TaskInfo(
        task_guid=str(task.id), element_id=element, title=title[:255], lane=spec.lane,
        form_key=props.get("formJsonSchemaFilename"), ui_form_key=props.get("formUiSchemaFilename"),
        instructions=instructions, confidential=is_confidential(props))
    assignee = _evaluate(task, props.get("assignee"))
    if assignee:
        info.assignee = str(assignee).removeprefix("user:")
        info.candidates.append(Principal("user", info.assignee))
    info.candidates.extend(parse_principals(_evaluate(task, props.get("candidates"))))
    if not info.candidates:
        owners = task.data.get("lane_owners")
        if isinstance(owners, dict) and spec.lane and spec.lane in owners:
            info.candidates = parse_principals(owners[spec.lane])
        elif spec.lane:
            info.candidates = [Principal("group", spec.lane)]
    due = _evaluate(task, props.get("dueAt"))
    if due:
        try:
            info.due_at = dates.to_datetime(due)
        except (TypeError, ValueError) as exc:
            raise ScriptError(f"Error in '{title}' ({element}): dueAt gave {due!r}: {exc}",
                              element_id=element, task_name=title, detail=str(exc)) from None
    priority = _evaluate(task, props.get("priority"))
    if priority not in (None, ""):
        info.priority = int(priority)
    return info


def _render(task, what: str, template: str | None) -> str:
    """A model text (the task's title or instructions) rendered with the task's data; an error
    names which of the two failed."""
    try:
        return render_text(template or "", task.data)
    except Exception as exc:  # jinja errors of any kind, raised while rendering model text
        spec = task.task_spec
        element = spec.bpmn_id or spec.name
        raise ScriptError(f"Error in '{spec.bpmn_name or element}' ({element}): {what}: {exc}",
                          element_id=element, task_name=spec.bpmn_name or element, detail=str(exc)) from None


def fallback_info(task) -> TaskInfo:
    """A plain description (element name, lane group) when the model's expressions fail."""
    spec = task.task_spec
    props = (getattr(spec, "extensions", None) or {}).get("properties", {}) or {}
    element = spec.bpmn_id or spec.name
    return TaskInfo(
        task_guid=str(task.id), element_id=element, title=(spec.bpmn_name or element)[:255], lane=spec.lane,
        form_key=props.get("formJsonSchemaFilename"), ui_form_key=props.get("formUiSchemaFilename"),
        instructions="", candidates=[Principal("group", spec.lane)] if spec.lane else [],
        confidential=is_confidential(props))


def is_confidential(props: dict) -> bool:
    """The task property `confidential` = true: what the task records (a talk held back to back)
    is kept from the others who work in its branch (the department being evaluated)."""
    return str(props.get("confidential") or "").strip().lower() in ("true", "yes", "1")


def _evaluate(task, expression: str | None):
    if not expression:
        return None
    try:
        return task.workflow.script_engine.evaluate(task, expression)
    except SpiffWorkflowException as exc:
        raise script_error(exc) from None
