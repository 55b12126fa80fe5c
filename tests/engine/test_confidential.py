"""A task the model marks `confidential` (the investigation group's record of talks held back to
back) is seen within its branch only by those who have a part in it: not by the department being
evaluated, though it works in the same branch. Whoever sees the whole instance still sees it."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from engine.errors import PermissionDenied
from engine.models import Attachment, HumanTask
from engine.models import TaskState as RowState
from engine.permissions import instance_view
from engine.services import attachments, progress, tasks, views

DEPARTMENTS = [{"name": "县教育局", "group": "教育局"}, {"name": "县卫健委", "group": "卫健委"}]


@pytest.fixture
def inquiry(session, deploy, start, make_user):
    people = {"office": make_user("office", groups=["评议办"]), "edu": make_user("edu", groups=["教育局"]),
              "group": make_user("investigator", groups=["评议调查组"])}
    deploy("confidential")
    instance = start("inquiry", {"departments": DEPARTMENTS}, actor=people["office"])
    return instance, people


def step(session, instance, element, label="县教育局"):
    return session.scalars(select(HumanTask).where(
        HumanTask.instance_id == instance.id, HumanTask.element_id == element,
        HumanTask.branch_label == label, HumanTask.state == RowState.OPEN)).one()


def test_the_department_does_not_see_the_groups_confidential_record(session, inquiry, tmp_path):
    instance, people = inquiry
    tasks.complete_task(session, step(session, instance, "self_check").id, {"summary": "自查完毕"}, people["edu"])
    talks = step(session, instance, "talks")
    listed = progress.instances_for(session, people["edu"], progress.InstanceQuery())  # 进展: its open steps
    assert talks.id not in {t.id for entry in listed.rows for t in entry.open_tasks}
    assert talks.confidential and not step(session, instance, "self_check", "县卫健委").confidential
    record = attachments.store(session, tmp_path, talks.id, "谈话记录.pdf", io.BytesIO(b"%PDF-1.4\n" + b"1" * 100),
                               people["group"])
    tasks.complete_task(session, talks.id, {"notes": "家长反映课后服务收费问题"}, people["group"])
    report = step(session, instance, "report")

    edu_view = instance_view(session, instance.id, people["edu"])
    assert not edu_view.whole and talks.id in edu_view.hidden
    with pytest.raises(PermissionDenied):
        views.task_page(session, talks.id, people["edu"])
    with pytest.raises(PermissionDenied):
        attachments.get(session, record.public_id, people["edu"])
    page = views.task_page(session, report.id, people["edu"])  # the report's page: the steps before it
    assert [s.task.element_id for s in page.earlier] == ["self_check"]
    assert all(e.event.task_guid != talks.task_guid for e in page.history)
    assert page.files == []

    grid = progress.branch_grid(session, instance.id, edu_view, lambda element: element)
    assert "talks" not in dict(grid.columns) and "self_check" in dict(grid.columns)  # not when, nor who

    group_page = views.task_page(session, report.id, people["group"])  # the group sees its own record
    assert [s.task.element_id for s in group_page.earlier] == ["self_check", "talks"]
    assert [a.filename for a in group_page.files] == ["谈话记录.pdf"]
    assert attachments.get(session, record.public_id, people["group"]).id == record.id
    office_page = views.instance_page(session, instance.id, people["office"])  # the whole instance
    assert any(e.event.task_guid == talks.task_guid for e in office_page.history)
    assert session.scalar(select(Attachment.id)) == record.id


def test_a_confidential_task_handed_to_the_department_and_back_is_closed_to_it_again(session, inquiry, admin):
    instance, people = inquiry
    tasks.complete_task(session, step(session, instance, "self_check").id, {"summary": "自查完毕"}, people["edu"])
    talks = step(session, instance, "talks")
    tasks.reassign(session, talks.id, "edu", admin, "误转")
    assert views.task_page(session, talks.id, people["edu"]).task.id == talks.id  # while it holds it
    tasks.reassign(session, talks.id, "investigator", admin, "转回调查组")
    assert talks.id in instance_view(session, instance.id, people["edu"]).hidden
    with pytest.raises(PermissionDenied):
        views.task_page(session, talks.id, people["edu"])
    assert views.task_page(session, talks.id, people["group"]).can_work
