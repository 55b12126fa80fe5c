"""Where work stands: the per-department progress table of an instance and the list of the
instances someone takes part in."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from engine import clock
from engine.models import HumanTask
from engine.models import TaskState as RowState
from engine.permissions import WHOLE, InstanceView
from engine.services import instances, progress, tasks, users

DEPARTMENTS = [{"code": "D01", "name": "县教育局"}, {"code": "D02", "name": "县卫健委"}]


@pytest.fixture
def people(make_user):
    return {"office": make_user("office", groups=["评议办"]), "dept": make_user("dept", groups=["被评议部门"]),
            "stranger": make_user("stranger", groups=["代表"]), "auditor": make_user("auditor", is_auditor=True)}


@pytest.fixture
def year(session, deploy, start, people):
    deploy("branches")
    due = (clock.now() + timedelta(days=10)).isoformat()
    return start("per_department", {"departments": DEPARTMENTS, "names": ["县教育局", "县卫健委"], "plan_due": due},
                 actor=people["office"])


def open_rows(session, element):
    return {t.branch_label: t for t in session.scalars(select(HumanTask).where(
        HumanTask.element_id == element, HumanTask.state == RowState.OPEN))}


def test_each_branch_task_is_labelled_with_its_item(session, year):
    plans = open_rows(session, "plan")
    assert set(plans) == {"县教育局", "县卫健委"}  # the item's name, not the whole mapping
    assert plans["县教育局"].branch != plans["县卫健委"].branch
    main = session.scalars(select(HumanTask).where(HumanTask.branch.is_(None))).all()
    assert all(t.branch_label is None for t in main)


def test_the_grid_has_a_row_per_department_and_a_column_per_step(session, year, people):
    plans = open_rows(session, "plan")
    tasks.complete_task(session, plans["县教育局"].id, {}, people["dept"])
    clock.advance(timedelta(days=11))  # the other plan is now overdue
    grid = progress.branch_grid(session, year.id, WHOLE, {"plan": "提交整改方案"}.get)
    assert [row.label for row in grid.rows] == ["县教育局", "县卫健委"]
    assert grid.columns == [("plan", "提交整改方案")]
    done, late = grid.rows[0].cells["plan"], grid.rows[1].cells["plan"]
    assert (done.state, done.who) == (progress.DONE, "Dept")
    assert late.state == progress.OVERDUE and late.moment == plans["县卫健委"].due_at
    assert (grid.rows[0].open, grid.rows[1].overdue, grid.finished) == (0, 1, 1)

    tasks.complete_task(session, plans["县卫健委"].id, {}, people["dept"])
    # the reports run in branches of another multi-instance step, over the departments' names:
    # the same departments, so the same rows
    grid = progress.branch_grid(session, year.id, WHOLE)
    assert [row.label for row in grid.rows] == ["县教育局", "县卫健委"]
    assert [element for element, _name in grid.columns] == ["plan", "report"]
    assert grid.columns[1] == ("report", "report")  # no name known: the element id
    assert grid.rows[1].cells["plan"].state == progress.LATE  # done after its deadline
    assert {row.cells["report"].state for row in grid.rows} == {progress.OPEN}


def test_a_department_sees_only_its_own_row(session, year):
    plans = open_rows(session, "plan")
    own = InstanceView(whole=False, branches=frozenset({plans["县卫健委"].branch}))
    grid = progress.branch_grid(session, year.id, own)
    assert [row.label for row in grid.rows] == ["县卫健委"]


def test_steps_ended_by_the_engine_and_steps_run_again(session, year, admin):
    plans = open_rows(session, "plan")
    instances.terminate(session, year.id, admin, "停止本次整改")
    grid = progress.branch_grid(session, year.id, WHOLE)
    assert {row.cells["plan"].state for row in grid.rows} == {progress.ENDED}
    assert grid.finished == 2
    # a step that ran twice in a branch (a plan sent back) shows its latest run and how many there were
    again = HumanTask(instance_id=year.id, task_guid="again-1", branch=plans["县教育局"].branch,
                      branch_label="县教育局", element_id="plan", title="整改方案：县教育局", state=RowState.OPEN)
    session.add(again)
    session.flush()
    cell = progress.branch_grid(session, year.id, WHOLE).rows[0].cells["plan"]
    assert (cell.task_id, cell.state, cell.rounds) == (again.id, progress.OPEN, 2)


def test_no_grid_without_branches(session, deploy, start):
    deploy("approval")
    instance = start("approval", {"unit": "教育局"})
    assert progress.branch_grid(session, instance.id, WHOLE) is None


def test_the_list_shows_what_one_takes_part_in(session, year, people, start, deploy):
    deploy("approval")
    other = start("approval", {"unit": "教育局"})  # started by the administrator; nobody here has a step
    titles = lambda user, **q: [e.instance.id for e in progress.instances_for(  # noqa: E731
        session, user, progress.InstanceQuery(**q)).rows]
    assert titles(people["office"]) == [year.id]          # started it
    assert titles(people["dept"]) == [year.id]            # may claim its plans
    assert titles(people["stranger"]) == []
    assert set(titles(people["auditor"])) == {year.id, other.id}
    assert titles(people["office"], show="ended") == []
    assert titles(people["office"], search="整改") == [year.id]  # the process's name
    assert titles(people["office"], search="nothing like it") == []


def test_the_list_shows_the_open_steps_one_may_see(session, year, people):
    plans = open_rows(session, "plan")
    tasks.claim(session, plans["县教育局"].id, people["dept"])
    clock.advance(timedelta(days=11))
    [entry] = progress.instances_for(session, people["office"]).rows
    assert {t.id for t in entry.open_tasks} == {p.id for p in plans.values()} and entry.overdue == 2
    # a department that took one plan sees its own branch only once the other is no longer offered to it
    session.execute(HumanTask.__table__.delete().where(HumanTask.id == plans["县卫健委"].id))
    [entry] = progress.instances_for(session, people["dept"]).rows
    assert [t.id for t in entry.open_tasks] == [plans["县教育局"].id]


def test_the_list_is_paged(session, deploy, start, people):
    deploy("approval")
    for _ in range(progress.PER_PAGE + 3):
        start("approval", {"unit": "教育局"}, actor=people["office"])
    first = progress.instances_for(session, people["office"])
    second = progress.instances_for(session, people["office"], progress.InstanceQuery(page=2))
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (progress.PER_PAGE + 3, 2,
                                                                               progress.PER_PAGE, 3)
    assert not {e.instance.id for e in first.rows} & {e.instance.id for e in second.rows}


def test_open_steps_that_reach_nobody_are_named_with_their_groups(session, year, people, make_user):
    plans = open_rows(session, "plan")
    assert progress.nobody_can_take(session, year.id) == {}  # dept is in 被评议部门
    people["dept"].is_active = False  # the only member left; an auditor in the group cannot work either
    make_user("reader", groups=["被评议部门"], is_auditor=True)
    session.flush()
    stuck = {plans["县教育局"].id: ["被评议部门"], plans["县卫健委"].id: ["被评议部门"]}
    assert progress.nobody_can_take(session, year.id) == stuck
    grid = progress.branch_grid(session, year.id, WHOLE)
    assert grid.nobody == stuck and all(row.cells["plan"].nobody for row in grid.rows)
    own = InstanceView(whole=False, branches=frozenset({plans["县卫健委"].branch}))  # a view: its own steps
    assert progress.nobody_can_take(session, year.id, own) == {plans["县卫健委"].id: ["被评议部门"]}

    make_user("newcomer", groups=["被评议部门"])  # someone joins the group: the steps reach them
    assert progress.nobody_can_take(session, year.id) == {}
    # a step held by someone who may no longer work reaches nobody, though its group has members
    held = tasks.claim(session, plans["县教育局"].id, users.get_user(session, "newcomer"))
    make_user("other", groups=["被评议部门"])
    users.get_user(session, "newcomer").is_active = False
    session.flush()
    assert progress.nobody_can_take(session, year.id) == {held.id: ["被评议部门"]}
    assert progress.branch_grid(session, year.id, WHOLE).rows[1].cells["plan"].nobody is False
