"""Notifications over HTTP: the unread count in the header, the list, opening one reads it and leads to
its task, nobody opens another's, and everything can be marked read."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.models import HumanTask, Notification, TaskState, User
from engine.services import notifications
from tests.web.conftest import PASSWORD, read, text


@pytest.fixture
def told(session, deploy, start, make_user):
    deploy("approval")
    instance = start("approval", {"amount": 10})
    task = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN)).first()
    wang = make_user("wang", groups=["评议办"], password=PASSWORD)
    make_user("li", password=PASSWORD)
    make_user("auditor", is_auditor=True, password=PASSWORD)
    notifications.send(session, [wang], "整改方案 7 天后到期：教育局", "请在 2023-11-30 前提交。", kind="reminder",
                       task=task)
    notifications.send(session, [wang], "整改报告已逾期", kind="overdue", instance=instance)
    session.commit()
    return task, instance


def test_the_header_counts_unread_and_the_list_shows_them(client, login, told):
    login("wang")
    home = text(client.get("/"))
    assert 'id="notification-count">2<' in home
    listing = text(client.get("/notifications/"))
    assert "整改方案 7 天后到期：教育局" in listing and "请在 2023-11-30 前提交。" in listing
    assert "已逾期" in listing and listing.count("未读") == 2 and "全部标为已读" in listing


def test_opening_one_reads_it_and_leads_to_its_task(client, login, session, told):
    task, instance = told
    login("wang")
    first = read(session, select(Notification.id).where(Notification.human_task_id == task.id))
    opened = client.post(f"/notifications/{first}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == f"/tasks/{task.id}"
    assert read(session, select(Notification.read_at).where(Notification.id == first)) is not None
    assert 'id="notification-count">1<' in text(client.get("/"))
    second = read(session, select(Notification.id).where(Notification.human_task_id.is_(None)))
    # wang has no part in the instance: a message about it leads to the list, not to a 403
    assert client.get(f"/instances/{instance.id}").status_code == 403
    assert client.post(f"/notifications/{second}/open").headers["Location"] == "/notifications/"
    assert "notification-count" not in text(client.get("/"))


def test_a_message_about_an_instance_leads_there_for_who_may_see_it(client, login, session, told, make_user):
    _task, instance = told
    make_user("boss", is_admin=True, password=PASSWORD)
    boss = read(session, select(User).where(User.username == "boss"))
    notifications.send(session, [boss], "年度评议已启动", instance=instance)
    session.commit()
    login("boss")
    mine = read(session, select(Notification.id).where(Notification.user_id == boss.id))
    assert client.post(f"/notifications/{mine}/open").headers["Location"] == f"/instances/{instance.id}"


def test_nobody_opens_another_persons_notification(client, login, session, told):
    login("li")
    first = read(session, select(Notification.id).limit(1))
    assert client.post(f"/notifications/{first}/open").status_code == 404
    assert read(session, select(Notification.read_at).where(Notification.id == first)) is None
    assert "整改" not in text(client.get("/notifications/"))
    assert "没有提醒" in text(client.get("/notifications/"))


def test_all_can_be_marked_read_even_by_an_auditor(client, login, session, told):
    login("wang")
    assert client.post("/notifications/read").status_code == 302
    assert read(session, select(Notification.id).where(Notification.read_at.is_(None))) is None
    client.post("/logout")
    login("auditor")
    assert client.post("/notifications/read").status_code == 302  # their own notifications, nothing else


def test_signing_in_is_needed(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read").status_code == 302
