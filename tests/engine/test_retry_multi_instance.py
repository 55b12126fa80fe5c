"""Retrying a failed step in place: inside a multi-instance (sequential and parallel, a script child
and a call activity's subprocess), in a pre-script, in a post-script, with boundary timers attached.

SpiffWorkflow's `reset_from_task_id` rebuilt a multi-instance child from its parent's data and lost
the key its result is merged under: the merge then crashed with "'dict' object has no attribute
'append'" and the year's process stayed in error for good.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock, repository
from engine.models import AuditEvent
from engine.services import instances, tasks, timers
from tests.engine.test_timers import open_tasks, timer_rows

UNITS = {"edu": {"name": "教育局", "points": 90, "weight": 3},
         "health": {"name": "卫健委", "points": 80, "weight": 0},  # 80 // 0 fails
         "police": {"name": "公安局", "points": 70, "weight": 7}}
FIXED = {"name": "卫健委", "points": 80, "weight": 4}


def events(session, instance):
    return [e.event_type for e in session.scalars(select(AuditEvent).where(AuditEvent.instance_id == instance.id)
                                                  .order_by(AuditEvent.id))]


def complete(session, instance, title, actor, data=None):
    [task] = [t for t in open_tasks(session, instance) if t.title == title]
    tasks.complete_task(session, task.id, data or {}, actor)


def fresh(session, instance):
    """Forget every cached workflow, so the next step works on one read back from the database."""
    session.commit()
    repository.clear_caches()
    return instance


@pytest.mark.parametrize("process_id", ["mi_retry_seq", "mi_retry_par"])
def test_a_failed_child_is_retried_and_its_result_merged_under_its_key(session, deploy, start, admin,
                                                                      process_id):
    deploy("mi_retry")
    instance = start(process_id, {"units": UNITS})
    assert instance.status == "error" and instance.error["element_id"] == "score_unit"
    assert "ZeroDivisionError" in instance.error["message"]
    fresh(session, instance)
    # a retry without a correction fails again, and changes nothing
    instances.retry(session, instance.id, admin)
    assert instance.status == "error" and instance.error["element_id"] == "score_unit"
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"unit": FIXED}, reason="权重录入错误")
    assert instance.status == "completed" and instance.error is None
    data = instances.task_data(session, instance)
    assert data["scores"] == {"edu": 30, "health": 20, "police": 10}
    assert data["total"] == 60
    assert data["units"] == UNITS  # the patch corrected the one child's copy, not the input
    assert events(session, instance) == ["instance_started", "instance_failed", "instance_retried",
                                         "instance_failed", "instance_retried"]


@pytest.mark.parametrize("process_id", ["mi_retry_seq", "mi_retry_par"])
def test_a_failed_child_over_a_list_keeps_its_item(session, deploy, start, admin, process_id):
    deploy("mi_retry")
    instance = start(process_id, {"units": list(UNITS.values())})
    assert instance.status == "error" and instance.error["element_id"] == "score_unit"
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"unit": FIXED})
    assert instance.status == "completed"
    data = instances.task_data(session, instance)
    assert data["scores"] == [30, 20, 10] and data["total"] == 60  # the retried child still came second


@pytest.mark.parametrize("process_id", ["mi_retry_call_seq", "mi_retry_call_par"])
def test_a_failed_step_in_a_call_activity_child_is_retried_and_the_year_runs_to_the_end(
        session, deploy, start, admin, process_id):
    """The year's meeting: one call per department; a step inside one department's call fails."""
    deploy("mi_retry")
    instance = start(process_id, {"units": UNITS})
    complete(session, instance, "听取报告：教育局", admin)
    complete(session, instance, "听取报告：卫健委", admin)
    assert instance.status == "error" and instance.error["element_id"] == "tally"
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"agenda_unit": FIXED})
    assert instance.status == "running" and instance.error is None
    assert [t.title for t in open_tasks(session, instance)] == ["听取报告：公安局"]
    fresh(session, instance)
    complete(session, instance, "听取报告：公安局", admin)  # the merge of every child works after the retry
    assert instance.status == "completed" and instance.error is None
    data = instances.task_data(session, instance)
    assert data["results"] == {"edu": {"name": "教育局", "score": 30},
                               "health": {"name": "卫健委", "score": 20},
                               "police": {"name": "公安局", "score": 10}}
    assert data["ranking"] == ["edu", "health", "police"]


def test_a_parallel_sibling_can_finish_while_another_is_in_error(session, deploy, start, admin):
    deploy("mi_retry")
    instance = start("mi_retry_call_par", {"units": UNITS})
    complete(session, instance, "听取报告：卫健委", admin)
    assert instance.status == "error"
    complete(session, instance, "听取报告：公安局", admin)
    complete(session, instance, "听取报告：教育局", admin)
    assert instance.status == "error" and open_tasks(session, instance) == []
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"agenda_unit": FIXED})
    assert instance.status == "completed"
    assert {key: r["score"] for key, r in instances.task_data(session, instance)["results"].items()} == \
        {"edu": 30, "health": 20, "police": 10}


def test_a_failed_pre_script_runs_again_and_the_boundary_timer_starts(session, deploy, start, admin):
    deploy("mi_retry")
    remind_at = clock.now() + timedelta(days=7)
    instance = start("mi_retry_timer", {"remind_at": remind_at.isoformat()})
    assert instance.status == "error" and instance.error["element_id"] == "report"
    assert "plan_items" in instance.error["message"]
    assert open_tasks(session, instance) == []
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"plan_items": [{"problem": "课后服务"}, {"problem": "交通"}]})
    assert instance.status == "running"
    assert [t.element_id for t in open_tasks(session, instance)] == ["report"]
    [reminder] = timer_rows(session, instance)
    assert reminder.element_id == "reminder" and reminder.due_at == remind_at
    clock.advance(days=8)
    fresh(session, instance)
    assert timers.fire_due(session, instance.id) == ["reminder"]
    complete(session, instance, "报告整改情况", admin, {"weight": 1})
    assert instance.status == "running"
    assert instances.task_data(session, instance)["items"] == ["课后服务", "交通"]


def test_a_failed_script_with_a_timer_keeps_the_timer_and_a_failed_post_script_keeps_the_answers(
        session, deploy, start, admin):
    deploy("mi_retry")
    instance = start("mi_retry_timer", {"remind_at": (clock.now() + timedelta(days=30)).isoformat(),
                                        "plan_items": [{"problem": "课后服务"}]})
    complete(session, instance, "报告整改情况", admin, {"weight": 0})
    assert instance.status == "error" and instance.error["element_id"] == "check"
    [late] = timer_rows(session, instance)
    assert late.element_id == "late"
    due = late.due_at
    clock.advance(days=1)
    fresh(session, instance)
    instances.retry(session, instance.id, admin)  # still wrong: the timer keeps its due time
    assert instance.status == "error"
    assert [(t.element_id, t.due_at) for t in timer_rows(session, instance)] == [("late", due)]
    instances.retry(session, instance.id, admin, {"weight": 1})
    assert instance.status == "running" and timer_rows(session, instance) == []
    assert [t.element_id for t in open_tasks(session, instance)] == ["confirm"]
    # the post-script fails on the answer; the retry completes the task again with the answers given
    complete(session, instance, "确认", admin, {"note": None, "agreed": True})
    assert instance.status == "error" and instance.error["element_id"] == "confirm"
    assert open_tasks(session, instance) == []
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"note": "ok"})
    assert instance.status == "completed" and open_tasks(session, instance) == []
    data = instances.task_data(session, instance)
    assert (data["summary"], data["agreed"], data["per_item"]) == ("OK", True, 1)


def test_retry_of_a_failed_script_outside_any_multi_instance_reruns_it_with_the_patch(session, deploy, start,
                                                                                    admin):
    deploy("failing")
    instance = start("failing")
    complete(session, instance, "填写评分", admin, {"score": 90, "count": 0})
    assert instance.status == "error" and instance.error["element_id"] == "compute"
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"count": 3, "threshold": 25})
    assert instance.status == "running"
    assert [t.element_id for t in open_tasks(session, instance)] == ["good"]
    assert instances.task_data(session, instance)["average"] == 30


def test_a_timer_that_fires_while_its_step_is_in_error_does_not_skip_the_step(session, deploy, start, admin):
    deploy("mi_retry")
    instance = start("mi_retry_timer", {"remind_at": (clock.now() + timedelta(days=30)).isoformat(),
                                        "plan_items": [{"problem": "课后服务"}]})
    complete(session, instance, "报告整改情况", admin, {"weight": 0})
    clock.advance(days=11)
    fresh(session, instance)
    assert timers.fire_due(session, instance.id) == ["late"]  # non-interrupting: its branch runs
    assert instance.status == "error" and open_tasks(session, instance) == []
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"weight": 1})
    assert [t.element_id for t in open_tasks(session, instance)] == ["confirm"]
    complete(session, instance, "确认", admin, {"note": "ok"})
    assert instance.status == "completed"
    assert instances.task_data(session, instance)["per_item"] == 1


def test_an_interrupting_timer_that_fires_while_its_step_is_in_error_replaces_the_step(session, deploy, start,
                                                                                      admin):
    deploy("mi_retry")
    instance = start("mi_retry_interrupt", {"remind_at": (clock.now() + timedelta(days=30)).isoformat(),
                                            "plan_items": [{"problem": "课后服务"}]})
    complete(session, instance, "报告整改情况", admin, {"weight": 0})
    assert instance.status == "error" and instance.error["element_id"] == "check"
    clock.advance(days=11)
    fresh(session, instance)
    assert timers.fire_due(session, instance.id) == ["late"]
    # the deadline's path took over: nothing is left to retry, the failed step never runs
    assert instance.status == "running" and instance.error is None
    assert [t.element_id for t in open_tasks(session, instance)] == ["escalate"]
    complete(session, instance, "超时督办", admin)
    assert instance.status == "completed"
    assert "per_item" not in instances.task_data(session, instance)


def test_a_pre_script_failing_after_a_parallel_split_lets_the_other_branch_start_too(session, deploy, start,
                                                                                    admin):
    deploy("mi_retry")
    instance = start("mi_retry_gateway")
    # the failure stopped the split before it reached its second branch
    assert instance.status == "error" and open_tasks(session, instance) == []
    fresh(session, instance)
    instances.retry(session, instance.id, admin, {"checklist": ["报告", "台账"]})
    assert sorted(t.element_id for t in open_tasks(session, instance)) == ["a", "b"]
    complete(session, instance, "准备材料", admin)
    complete(session, instance, "通知部门", admin)
    assert instance.status == "completed"
    assert instances.task_data(session, instance)["materials"] == ["报告", "台账"]
