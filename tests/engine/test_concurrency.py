"""Concurrent completion and claiming: exactly one winner, nothing half-saved."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from engine import repository, runtime
from engine.errors import Conflict, TaskAlreadyCompleted
from engine.models import AuditEvent, HumanTask, ProcessInstance, TaskState, User
from engine.services import instances, tasks


def run_together(sessions, jobs):
    """Run each job(session) in its own thread and session, released at the same moment.

    The caller's own session must have no open transaction (on SQLite it would hold the lock).
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        with sessions() as session:
            barrier.wait()
            try:
                results[index] = ("ok", job(session))
                session.commit()
            except Exception as exc:  # the outcome is what the test checks
                session.rollback()
                results[index] = ("error", exc)

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def setup_vote(session, deploy, start, make_user, voters):
    deploy("vote")
    office = make_user("office", groups=["评议办"])
    dept = make_user("dept", groups=["被评议部门"])
    group = make_user("group", groups=["评议调查组"])
    for name in voters:
        make_user(name)
    instance = start("four_stage", {"voters": {name: name for name in voters}})
    for actor in (office, dept, group):
        task = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                       HumanTask.state == TaskState.OPEN)).one()
        tasks.complete_task(session, task.id, {}, actor)
    session.commit()
    return instance


def test_two_people_complete_the_same_task_at_once(session, sessions, deploy, start, make_user):
    deploy("approval")
    make_user("zhang", groups=["起草人"], display_name="张三")
    make_user("li", groups=["起草人"], display_name="李四")
    instance = start("approval", {"unit": "教育局"})
    task_id = session.scalars(select(HumanTask.id).where(HumanTask.instance_id == instance.id)).one()
    session.commit()

    def complete_as(username):
        def job(s):
            actor = s.scalars(select(User).where(User.username == username)).one()
            return tasks.complete_task(s, task_id, {"title": f"{username} 的方案"}, actor).id
        return job

    results = run_together(sessions, [complete_as("zhang"), complete_as("li")])
    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    winner = session.get(HumanTask, task_id, populate_existing=True)
    assert isinstance(error, TaskAlreadyCompleted)
    assert error.completed_by == winner.completed_by.display_name
    assert f"already completed by {winner.completed_by.display_name}" in error.message
    session.expire_all()
    assert session.scalar(select(func.count()).where(AuditEvent.event_type == "task_completed")) == 1
    reviews = session.scalars(select(HumanTask).where(HumanTask.element_id == "review")).all()
    assert len(reviews) == 1 and reviews[0].state == "open"
    data = instances.task_data(session, session.get(ProcessInstance, instance.id))
    assert data["title"] == f"{winner.completed_by.username} 的方案"


def test_voters_completing_their_own_tasks_at_once_all_succeed(session, sessions, deploy, start, make_user):
    voters = [f"dep{i:02d}" for i in range(8)]
    instance = setup_vote(session, deploy, start, make_user, voters)
    votes = session.execute(select(HumanTask.id, User.username).join(User, User.id == HumanTask.assignee_id)
                            .where(HumanTask.element_id == "vote")).all()
    assert len(votes) == len(voters)
    session.commit()  # an open SQLite transaction holds the write lock

    def vote(task_id, username):
        def job(s):
            actor = s.scalars(select(User).where(User.username == username)).one()
            return tasks.complete_task(s, task_id, {"choice": "满意"}, actor).id
        return job

    results = run_together(sessions, [vote(task_id, name) for task_id, name in votes])
    assert [kind for kind, _ in results] == ["ok"] * len(voters), results
    session.expire_all()
    instance = session.get(ProcessInstance, instance.id)
    data = instances.task_data(session, instance)
    assert data["ballots"] == {name: "满意" for name in voters}
    assert data["counts"]["满意"] == len(voters) and data["satisfied_rate"] == 1.0
    assert session.scalar(select(func.count()).where(AuditEvent.event_type == "task_completed")) == 3 + len(voters)


def test_two_candidates_claim_at_once(session, sessions, deploy, start, make_user):
    deploy("approval")
    make_user("zhang", groups=["起草人"])
    make_user("li", groups=["起草人"])
    instance = start("approval", {"unit": "教育局"})
    task_id = session.scalars(select(HumanTask.id).where(HumanTask.instance_id == instance.id)).one()
    session.commit()

    def claim_as(username):
        def job(s):
            actor = s.scalars(select(User).where(User.username == username)).one()
            return tasks.claim(s, task_id, actor).assignee_id
        return job

    results = run_together(sessions, [claim_as("zhang"), claim_as("li")])
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, Conflict) and "held by" in error.message
    session.expire_all()
    assert session.scalar(select(func.count()).where(AuditEvent.event_type == "task_claimed")) == 1


def test_a_load_never_mixes_an_old_revision_with_newer_json(session, sessions, deploy, start, make_user):
    """The instance row was read at one revision; someone saves; reading the JSON must notice."""
    deploy("approval")
    drafter = make_user("zhang", groups=["起草人"])
    instance = start("approval", {"unit": "教育局"})
    session.commit()  # we now hold `instance` at its first revision
    with sessions() as other:
        task_id = other.scalars(select(HumanTask.id).where(HumanTask.instance_id == instance.id)).one()
        tasks.complete_task(other, task_id, {"title": "新方案"}, other.get(User, drafter.id))
        other.commit()
    repository.clear_caches()
    with pytest.raises(repository.StaleRevision):
        repository.load(session, instance)
    session.refresh(instance)
    workflow = repository.load(session, instance)
    assert [t.task_spec.name for t in runtime.ready_human_tasks(workflow)] == ["review"]


def test_a_sqlite_file_is_opened_for_concurrent_use(tmp_path):
    """WAL (readers do not wait for the writer), foreign keys, a busy timeout, and a checkpoint
    window large enough that a page rewritten by many commits is copied back once."""
    from sqlalchemy import text

    from engine.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        with engine.connect() as conn:
            settings = {name: conn.execute(text(f"PRAGMA {name}")).scalar()
                        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous",
                                     "wal_autocheckpoint")}
    finally:
        engine.dispose()
    assert settings == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 30000, "synchronous": 1,
                        "wal_autocheckpoint": 10000}
