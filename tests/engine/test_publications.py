"""Publications (公开) and the service operations for the public side: public.publish and the
opinion channel operations (open, summary without authors, close), directly and from a BPMN model."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from engine import audit, connectors, repository, runtime
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.models import AuditEvent, HumanTask, OpinionChannel, Publication, TaskState
from engine.services import opinion_channels, opinion_review, opinions, publications, tasks
from engine.services.opinions import OpinionInput, PhotoStore, Sender

RESULTS = {"meeting_date": "2026-09-25", "rule": "满意票超过半数为“满意”。",
           "rows": [{"rank": 1, "department": "教育局", "score": 92.5, "grade": "满意", "flagged": False}],
           "notes": ""}
DEPARTMENTS = [
    {"code": "D01", "name": "教育局", "group": "教育局", "investigation_group": "教育局调查组",
     "content_items": ["法治政府建设", "人大代表建议办理"]},
    {"code": "D02", "name": "卫健局", "group": "卫健局", "investigation_group": "卫健局调查组",
     "content_items": ["法治政府建设"]},
]


@pytest.fixture
def people(make_user):
    return {"office": make_user("office", groups=["评议办"]),
            "outsider": make_user("outsider", groups=["教育局", "卫健局", "教育局调查组", "卫健局调查组"]),
            "auditor": make_user("auditor", is_auditor=True),
            "deputy": make_user("deputy", groups=["代表"], display_name="李代表")}


def call(session, name, actor=None, instance=None, **params):
    with connectors.bound(session, actor, instance):
        return json.loads(json.dumps(connectors.call(name, params)))  # as the service task stores it


def events(session, event_type):
    return list(session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type).order_by(AuditEvent.seq)))


def test_the_office_publishes_and_withdraws_with_a_reason(session, people, admin):
    office = people["office"]
    published = publications.publish(session, year=2026, kind="results", title=" 2026年度评议结果 ", body=RESULTS,
                                     actor=office, department_key="", department_name=None)
    assert (published.title, published.department_key, published.is_withdrawn) == ("2026年度评议结果", None, False)
    assert len(published.public_id) >= 16 and published.published_by_id == office.id
    [event] = events(session, "publication_published")
    assert event.actor_name == "office" and event.data_after == RESULTS
    assert event.details["publication"] == published.public_id and event.details["by_process"] is False

    with pytest.raises(InvalidInput) as no_reason:
        publications.withdraw(session, published.public_id, "  ", office)
    assert no_reason.value.errors == {"reason": "required"}
    with pytest.raises(PermissionDenied):
        publications.withdraw(session, published.public_id, "错误", people["outsider"])
    publications.withdraw(session, published.public_id, "名次有误，更正后重新发布", admin)
    assert published.is_withdrawn and published.withdrawn_by_id == admin.id
    [withdrawn] = events(session, "publication_withdrawn")
    assert withdrawn.reason == "名次有误，更正后重新发布" and withdrawn.details["publication"] == published.public_id
    with pytest.raises(Conflict):
        publications.withdraw(session, published.public_id, "again", office)
    assert audit.verify(session)[1] is None


def test_only_the_office_publishes_by_hand(session, people):
    for who in (people["outsider"], people["auditor"], people["deputy"], None):
        with pytest.raises(PermissionDenied):
            publications.publish(session, year=2026, kind="other", title="通知", body={"text": "x"}, actor=who)
    assert session.scalar(select(Publication.id)) is None


def test_bad_publications_are_refused(session, people):
    office = people["office"]
    with pytest.raises(InvalidInput) as caught:
        publications.publish(session, year=1900, kind="poster", title="", body={}, actor=office)
    assert caught.value.errors == {"year": "invalid", "kind": "invalid", "title": "required"}
    with pytest.raises(InvalidInput) as rows:
        publications.publish(session, year=2026, kind="results", title="结果", body={"rows": "教育局"}, actor=office)
    assert rows.value.errors == {"body.rows": "invalid"}
    with pytest.raises(InvalidInput):
        publications.publish(session, year=2026, kind="notice", title="公告", body=["not", "an", "object"],
                             actor=office)
    text = publications.publish(session, year=2026, kind="other", title="说明", body="第一行\n第二行", actor=office)
    assert text.body == {"text": "第一行\n第二行"}


def test_years_and_a_year_grouped_by_kind(session, people):
    office = people["office"]
    for year, kind, title in ((2025, "other", "旧"), (2026, "rectification", "整改"), (2026, "notice", "公告"),
                              (2026, "results", "结果"), (2026, "other", "其他")):
        publications.publish(session, year=year, kind=kind, title=title, body={}, actor=office)
    assert publications.years(session) == [(2026, 4), (2025, 1)]
    groups = publications.grouped(publications.for_year(session, 2026))
    assert [(kind, [p.title for p in found]) for kind, found in groups] == [
        ("notice", ["公告"]), ("results", ["结果"]), ("rectification", ["整改"]), ("other", ["其他"])]
    assert publications.get(session, publications.for_year(session, 2025)[0].public_id).title == "旧"
    with pytest.raises(NotFound):
        publications.get(session, "nope")


def test_public_publish_runs_as_the_process(session, people):
    result = call(session, "public.publish", people["outsider"], year="2026", kind="rectification",
                  title="教育局整改情况", department_key="D01", department_name="教育局",
                  body={"department": "教育局", "items": [{"problem": "p", "measure": "m", "status": "done"}],
                        "report_summary": "", "reevaluation": {"grade": "满意", "score": 88}})
    found = session.scalar(select(Publication))
    assert result == {"publication": found.public_id, "url": f"/public/p/{found.public_id}"}
    assert (found.year, found.department_key, found.instance_id) == (2026, "D01", None)
    assert events(session, "publication_published")[0].details["by_process"] is True
    with pytest.raises(connectors.OperationError, match="public.publish"):
        call(session, "public.publish", None, year=2026, kind="poster", title="x", body={})


def test_open_channels_creates_one_per_department_and_reuses_open_ones(session, people):
    result = call(session, "opinions.open_channels", None, year=2026, departments=DEPARTMENTS)
    channels = {c.department_key: c for c in session.scalars(select(OpinionChannel))}
    assert result == {code: {"channel": c.id, "slug": c.slug, "url": f"/o/{c.slug}"} for code, c in channels.items()}
    assert set(result) == {"D01", "D02"} and channels["D01"].content_items == ["法治政府建设", "人大代表建议办理"]
    assert channels["D01"].created_by_id is None and events(session, "channel_created")[0].actor_name == "system"

    again = call(session, "opinions.open_channels", people["outsider"], year=2026,
                 departments=[*DEPARTMENTS, {**DEPARTMENTS[0], "code": "D03", "name": "民政局"}])
    assert again["D01"] == result["D01"] and again["D02"] == result["D02"]
    assert session.scalar(select(OpinionChannel).where(OpinionChannel.department_key == "D03")).created_by_id \
        == people["outsider"].id
    assert len(session.scalars(select(OpinionChannel)).all()) == 3

    opinion_channels.set_open(session, result["D02"]["channel"], False, people["office"])
    with pytest.raises(connectors.OperationError, match="D02"):  # a closed channel is not reopened behind the office
        call(session, "opinions.open_channels", None, year=2026, departments=DEPARTMENTS)
    with pytest.raises(connectors.OperationError, match="no_such_group"):
        call(session, "opinions.open_channels", None, year=2027, departments=[{**DEPARTMENTS[0], "group": "无此组"}])
    with pytest.raises(PermissionDenied):  # people still need to be the office
        opinion_channels.create_channel(session, year=2028, department_name="x", department_key="X",
                                        department_group="教育局", investigation_group="教育局调查组",
                                        content_items=[], actor=people["outsider"])


def test_summary_counts_without_any_author(session, people, tmp_path):
    opened = call(session, "opinions.open_channels", None, year=2026, departments=DEPARTMENTS[:1])
    channel = session.get(OpinionChannel, opened["D01"]["channel"])
    store, office = PhotoStore(tmp_path), people["office"]

    def public(text, rating, ip):
        data = OpinionInput(rating=rating, text=text, name="张三丰", phone="13912345678")
        return opinions.submit_public(session, channel.slug, data, Sender(ip=ip, device=None, salt="s"), store)

    kept = public("学校门口交通拥堵，建议疏导。", "dissatisfied", "203.0.113.1")
    duplicate = public("学校门口交通拥堵严重，建议增派交警。", "dissatisfied", "203.0.113.2")
    other = public("食堂饭菜质量有提高，满意。", "satisfied", "203.0.113.3")
    by_deputy = opinions.submit_deputy(session, channel.id, OpinionInput("basically_satisfied", "课后服务还要加强。"),
                                       people["deputy"], Sender(ip="203.0.113.4", salt="s"), store)
    paper = opinions.enter_offline(session, channel.id, OpinionInput("dissatisfied", "纸质意见：校车太少。",
                                                                     name="王五", phone="13000000000"), office, store)
    opinion_review.classify(session, kept.id, "法治政府建设", office)
    opinion_review.classify(session, by_deputy.id, "人大代表建议办理", office)
    opinion_review.merge(session, duplicate.id, kept.id, office)
    opinion_review.set_adopted(session, kept.id, True, office)
    opinion_review.set_adopted(session, paper.id, True, office)
    session.flush()

    summary = call(session, "opinions.summary", None, channel=channel.id)
    assert summary == {
        "total": 4, "by_rating": {"satisfied": 1, "basically_satisfied": 1, "dissatisfied": 2},
        "by_item": {"法治政府建设": 1, "人大代表建议办理": 1, "未归类": 2},
        "adopted": [{"id": kept.id, "text": kept.text, "content_item": "法治政府建设"},
                    {"id": paper.id, "text": paper.text, "content_item": None}],
        "offline": 1, "deputy": 1, "public": 2}
    assert all(set(entry) == {"id", "text", "content_item"} for entry in summary["adopted"])
    dumped = json.dumps(summary, ensure_ascii=False)
    for secret in ("张三丰", "13912345678", "王五", "13000000000", "李代表", "office", kept.ip_hash, other.ip_hash):
        assert secret not in dumped
    with pytest.raises(connectors.OperationError, match="opinions.summary"):
        call(session, "opinions.summary", None, channel=99999)


def test_close_channels_counts_what_it_closed(session, people):
    opened = call(session, "opinions.open_channels", None, year=2026, departments=DEPARTMENTS)
    ids = [entry["channel"] for entry in opened.values()]
    assert call(session, "opinions.close_channels", people["outsider"], channels=ids) == {"closed": 2}
    assert not any(c.is_open for c in session.scalars(select(OpinionChannel)))
    assert [e.actor_name for e in events(session, "channel_closed")] == ["outsider", "outsider"]
    assert call(session, "opinions.close_channels", None, channels=opened) == {"closed": 0}
    with pytest.raises(connectors.OperationError, match="opinions.close_channels"):
        call(session, "opinions.close_channels", None, channels=[12345])


def test_a_model_publishes_the_results(session, deploy, start, admin):
    deploy("public_publish")
    ranking = [{"rank": 1, "department": "教育局", "score": 91.2, "grade": "满意", "flagged": False},
               {"rank": 2, "department": "卫健局", "score": 70.0, "grade": "基本满意", "flagged": True}]
    instance = start("publish_results", {"year": 2026, "meeting_date": "2026-09-25", "rule": "规则",
                                         "ranking": ranking})
    task = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.state == TaskState.OPEN)).one()
    tasks.complete_task(session, task.id, {}, admin)
    found = session.scalar(select(Publication))
    assert (found.kind, found.title, found.instance_id, found.year) == ("results", "2026年度部门工作评议结果",
                                                                         instance.id, 2026)
    assert found.body == {"meeting_date": "2026-09-25", "rule": "规则", "rows": ranking, "notes": ""}
    announce = session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                       HumanTask.state == TaskState.OPEN)).one()
    assert announce.instructions == f"/public/p/{found.public_id}"
    data = runtime.find_task(repository.load(session, instance), announce.task_guid).data
    assert data["published"] == {"publication": found.public_id, "url": f"/public/p/{found.public_id}"}
    [event] = events(session, "publication_published")
    assert event.instance_id == instance.id and event.actor_name == "admin"
