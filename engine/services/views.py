"""Read models for pages and the API: a task with its form and context, an instance with its
diagram, path and timeline. Every function checks that the user may see what it returns."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, selectinload, undefer

from engine import clock, repository, runtime, serializer, validation
from engine.errors import InvalidInput, NotFound, PermissionDenied
from engine.labels import Labels
from engine.labels import for_version as version_labels
from engine.models import (
    Attachment,
    HumanTask,
    ProcessInstance,
    ProcessVersion,
    TaskState,
    User,
)
from engine.permissions import WHOLE, InstanceView, can_work_on, instance_view, is_candidate
from engine.services import attachments, progress
from engine.services import history as audit_history
from engine.services.inbox import deadline
from engine.services.instances import task_data
from engine.services.tasks import WORKABLE, get_task


@dataclass
class FormSpec:
    """A form as the page renders it: the JSON Schema already resolved with task data."""

    key: str | None = None
    schema: dict | None = None
    ui: dict | None = None


@dataclass
class Step:
    """An earlier, completed task of the instance and what was submitted in it."""

    task: HumanTask
    form: FormSpec
    data: dict


@dataclass
class TaskPage:
    task: HumanTask
    instance: ProcessInstance
    process_name: str
    form: FormSpec
    values: dict              # what the form shows: the draft, else the task's current data
    context: dict             # the task's data (read-only)
    can_work: bool
    can_claim: bool
    earlier: list[Step] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    history: list[audit_history.Entry] = field(default_factory=list)
    labels: Labels = field(default_factory=Labels)  # form titles and element names
    is_overdue: bool = False
    is_due_soon: bool = False


@dataclass
class InstancePage:
    instance: ProcessInstance
    version: ProcessVersion
    visited: list[str]
    current: list[str]        # element ids of open tasks
    open_tasks: list[HumanTask]
    data: dict
    files: list[Attachment]
    history: list[audit_history.Entry]
    labels: Labels
    whole: bool = True        # False: seen from some branches only (no instance data)
    grid: progress.Grid | None = None  # how far each branch (department) got, when it has branches
    nobody: dict[int, list[str]] = field(default_factory=dict)  # open tasks that reach nobody (progress.py)


def deployed_form(session: Session, version_id: int, key: str | None, ui_key: str | None) -> FormSpec:
    """A task's form as deployed: Jinja not rendered, options not expanded."""
    forms = repository.forms_of(session, version_id)
    return FormSpec(key=key, schema=forms.get(key) if key else None, ui=forms.get(ui_key) if ui_key else None)


_FORM_OF_TASK = (select(HumanTask.form_key, HumanTask.ui_form_key, HumanTask.instance_id,
                         ProcessInstance.process_version_id)
                  .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
                  .where(HumanTask.id == bindparam("task_id")))


def deployed_form_of_task(session: Session, task_id: int) -> tuple[FormSpec, int] | None:
    """A task's form as deployed, with its instance id (one query, no entities); None: no such task."""
    found = session.execute(_FORM_OF_TASK, {"task_id": task_id}).first()
    if found is None:
        return None
    form_key, ui_key, instance_id, version_id = found
    return deployed_form(session, version_id, form_key, ui_key), instance_id


def form_spec(session: Session, version_id: int, key: str | None, ui_key: str | None, data: dict) -> FormSpec:
    """A task's form as its user sees it: Jinja rendered with task data, options expanded."""
    deployed = deployed_form(session, version_id, key, ui_key)
    return FormSpec(key=key, schema=validation.resolve_schema(deployed.schema, data) if deployed.schema else None,
                    ui=validation.resolve_schema(deployed.ui, data) if deployed.ui else None)


def _view(session: Session, instance_id: int, user: User, message: str, **details) -> InstanceView:
    view = instance_view(session, instance_id, user)
    if view is None:
        raise PermissionDenied(message, **details)
    return view


def _seen_tasks(session: Session, instance_id: int, view: InstanceView) -> dict[str, int] | None:
    """task guid -> id of the instance's tasks in the branches `view` sees; None: all of them."""
    if view.whole:
        return None
    rows = session.execute(select(HumanTask.task_guid, HumanTask.id, HumanTask.branch)
                           .where(HumanTask.instance_id == instance_id))
    return {guid: task_id for guid, task_id, branch in rows if view.sees_task(task_id, branch)}


# What happened to the instance as a whole, shown to those who see only some of its branches. Its
# other events without a task (a ballot's result arriving in one department's meeting, a channel made
# for each department, a reminder to another department, a failed step) are the office's.
SHARED_EVENTS = frozenset({"instance_started", "instance_suspended", "instance_resumed", "instance_terminated",
                           "instance_migrated", "publication_published"})


def history(session: Session, instance_id: int, seen: dict[str, int] | None = None) -> list[audit_history.Entry]:
    """The instance's events, each checked against its hash (auditors' views are not shown here).
    With `seen` (from _seen_tasks): the events of the tasks seen and those of the instance as a
    whole (SHARED_EVENTS)."""
    entries = audit_history.timeline(session, instance_id)
    if seen is None:
        return entries
    return [e for e in entries if e.event.task_guid in seen
            or (e.event.task_guid is None and e.event.event_type in SHARED_EVENTS)]


def files(session: Session, instance_id: int, seen: dict[str, int] | None = None) -> list[Attachment]:
    found = attachments.for_instance(session, instance_id)
    if seen is None:
        return found
    task_ids = set(seen.values())
    return [a for a in found if a.human_task_id in task_ids]


def choice_data(session: Session, instance: ProcessInstance, labels: Labels | None = None) -> dict:
    """The task data variables that hold a form's choices (`deputy_choices`: user name and name of
    each deputy), as the instance holds them now: a closed task's answers then read as the titles of
    the choices made, not their values. Empty when no form of the version takes its choices so."""
    names = set((labels or version_labels(session, instance.version)).option_vars.values())
    if not names:
        return {}
    data = task_data(session, instance)
    return {name: data[name] for name in names if name in data}


def earlier_steps(session: Session, instance: ProcessInstance, before: HumanTask | None = None,
                  view: InstanceView = WHOLE, choices: dict | None = None) -> list[Step]:
    """The completed tasks `view` sees, in order, each with its answers and its form (`choices`: as
    choice_data gives them, found here when not given)."""
    choices = choice_data(session, instance) if choices is None else choices
    query = (select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.state == TaskState.COMPLETED)
             .options(selectinload(HumanTask.completed_by), undefer(HumanTask.submitted))  # answers: not one query each
             .order_by(HumanTask.completed_at, HumanTask.id))
    steps = []
    for done in session.scalars(query):
        if (before is not None and done.id == before.id) or not view.sees_task(done.id, done.branch):
            continue
        data = done.submitted or {}
        steps.append(Step(task=done, data=data, form=form_spec(session, instance.process_version_id, done.form_key,
                                                               done.ui_form_key, {**choices, **data})))
    return steps


def _draft(session: Session, task: HumanTask, instance: ProcessInstance, context: dict) -> dict:
    """The saved draft, with the task's own read-only answers. A group whose rows no longer match the
    task's (a draft saved by an older release, or by a script) shows the task's rows instead; the
    draft's other answers stay."""
    forms = repository.forms_of(session, instance.process_version_id)
    try:
        return validation.draft_read_only(forms, task, context, task.draft)
    except InvalidInput as exc:
        stale = {path.split(".")[0] for path in exc.errors}
        draft = {**task.draft, **{key: context[key] for key in stale if key in context}}
        try:
            return validation.draft_read_only(forms, task, context, draft)
        except InvalidInput:
            return context


def data_of_page(session: Session, page: TaskPage) -> dict:
    """All a task held: an open task's data with the form's answers over it; a finished task's data as
    the instance still keeps it (its answers alone when the instance no longer holds the step)."""
    if page.context:
        return {**page.context, **(page.values or {})}
    try:
        held = runtime.find_task(repository.peek(session, page.instance), page.task.task_guid).data
    except NotFound:
        held = {}
    return {**serializer.json_safe(held), **(page.values or {})}


def task_page(session: Session, task_id: int, user: User) -> TaskPage:
    task = get_task(session, task_id)
    instance = task.instance
    view = instance_view(session, instance.id, user)
    if view is None or not view.sees_task(task.id, task.branch):
        raise PermissionDenied("You may not see this task.", task=task.title)
    is_open = task.state == TaskState.OPEN
    context: dict = {}
    if is_open:
        workflow = repository.peek(session, instance)
        context = serializer.json_safe(runtime.find_task(workflow, task.task_guid).data)
    values = _draft(session, task, instance, context) if is_open and task.draft else (task.submitted or context)
    workable = is_open and instance.status in WORKABLE  # a suspended process is frozen until resumed
    can_work = workable and can_work_on(session, task, user)
    can_claim = workable and task.assignee_id is None and not user.is_auditor and is_candidate(session, task, user)
    overdue, soon = deadline(task.due_at if is_open else None, clock.now())
    if task.branch is not None:  # a department's task: the main line and this department's steps only
        view = view.within(task.branch)
    seen = _seen_tasks(session, instance.id, view)
    labels = version_labels(session, instance.version)
    choices = choice_data(session, instance, labels)
    return TaskPage(
        task=task, instance=instance, process_name=instance.version.name, context=context, values=values,
        form=form_spec(session, instance.process_version_id, task.form_key, task.ui_form_key,
                       context or {**choices, **values}),
        can_work=can_work, can_claim=can_claim, earlier=earlier_steps(session, instance, task, view, choices),
        files=files(session, instance.id, seen), history=history(session, instance.id, seen),
        labels=labels.with_options(context or choices), is_overdue=overdue, is_due_soon=soon)


def instance_page(session: Session, instance_id: int, user: User) -> InstancePage:
    """Seen from some branches only, the instance's data (which gathers every branch's) is left out."""
    instance = repository.get_instance(session, instance_id)
    view = _view(session, instance.id, user, "You may not see this process instance.", instance=instance_id)
    open_tasks = [t for t in session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                                     HumanTask.state == TaskState.OPEN)
                                             .options(selectinload(HumanTask.assignee)).order_by(HumanTask.id))
                  if view.sees_task(t.id, t.branch)]
    data = task_data(session, instance) if view.whole else {}
    seen = _seen_tasks(session, instance.id, view)
    labels = version_labels(session, instance.version)
    labels = labels.with_options(data or choice_data(session, instance, labels))
    nobody = progress.nobody_can_take(session, instance.id, view) if open_tasks else {}
    return InstancePage(instance=instance, version=instance.version, visited=list(instance.visited or []),
                        current=sorted({t.element_id for t in open_tasks}), open_tasks=open_tasks, data=data,
                        files=files(session, instance.id, seen), history=history(session, instance.id, seen),
                        labels=labels, whole=view.whole, nobody=nobody,
                        grid=progress.branch_grid(session, instance.id, view, labels.elements.get, nobody))


def progress_of(session: Session, instance_id: int, user: User) -> tuple[ProcessInstance, progress.Grid | None]:
    """The instance and how far each of the branches `user` sees got (None: it has no branches)."""
    instance = repository.get_instance(session, instance_id)
    view = _view(session, instance.id, user, "You may not see this process instance.", instance=instance_id)
    labels = version_labels(session, instance.version)
    return instance, progress.branch_grid(session, instance.id, view, labels.elements.get)


def bpmn_xml(session: Session, instance_id: int, user: User) -> str:
    instance = repository.get_instance(session, instance_id)
    _view(session, instance.id, user, "You may not see this process instance.", instance=instance_id)
    return instance.version.bpmn_xml
