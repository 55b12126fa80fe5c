"""Helpers for tests that drive the shipped process models (processes/) one step at a time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

import forms
from engine import bpmn, repository, runtime
from engine.models import HumanTask, TaskState
from engine.services import processes, tasks
from tests.conftest import ROOT

CST = timedelta(hours=8)


def beijing(year, month, day, hour=9, minute=0, second=0) -> datetime:
    """That moment in Beijing time, as the engine's UTC clock (hour 23:59:59 is the end of a due day)."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC) - CST


def deploy_models(session, admin) -> None:
    processes.deploy(session, bpmn.read_bundle(ROOT / "processes"), admin, form_checker=forms.check_bundle_form)


def step(session, instance, element) -> HumanTask | None:
    """The open task of `element` in `instance`."""
    return session.scalar(select(HumanTask).where(HumanTask.instance_id == instance.id, HumanTask.element_id == element,
                                                  HumanTask.state == TaskState.OPEN))


def do(session, instance, element, data, user) -> None:
    tasks.complete_task(session, step(session, instance, element).id, data, user)
    session.flush()


def data_of(session, instance, task) -> dict:
    """The task's data, as its form is filled from (rows with their read-only parts)."""
    return runtime.find_task(repository.load(session, instance), task.task_guid).data
