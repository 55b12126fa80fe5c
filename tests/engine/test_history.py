"""The audit history as auditors read it: department and year filters, keyset pages, the "who
touched" report, tampered rows marked one by one, the chain check under concurrent appends, and
auditors' views recorded."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, insert, select

from engine import audit
from engine.models import AuditEvent, HumanTask, User
from engine.services import history, instances, tasks, who_touched
from engine.services.history import EventFilter
from tests.web import auditing


@pytest.fixture
def record(session, make_user, tmp_path):
    return auditing.build(session, make_user, tmp_path)


def matching(session, **filters) -> list[AuditEvent]:
    where = history.conditions(session, EventFilter(**filters))
    return list(session.scalars(select(AuditEvent).where(*where).order_by(AuditEvent.seq)))


def types(events) -> set[str]:
    return {e.event_type for e in events}


def test_a_department_is_its_instances_ballots_channels_and_publications(session, record):
    by_code = matching(session, department="D01")
    assert types(by_code) == {"instance_started", "task_claimed", "attachment_uploaded", "task_completed",
                              "task_draft_saved", "channel_created", "ballot_opened", "ballot_turnout",
                              "ballot_closed", "publication_published"}
    assert all(e.instance_id in (record.edu, None) for e in by_code)
    assert [e.seq for e in matching(session, department="县教育局")] == [e.seq for e in by_code]
    assert [e.seq for e in matching(session, department="教育局")] == [e.seq for e in by_code]
    other = matching(session, department="D02")
    assert {e.instance_id for e in other} == {record.health} and types(other) == {"instance_started"}
    assert matching(session, department="不存在的部门") == []


def test_tasks_of_a_shared_instance_belong_to_the_department_named_in_their_title(session, record):
    office = session.scalar(select(User).where(User.username == "office"))
    dept = session.scalar(select(User).where(User.username == "dept"))
    shared = instances.start_instance(session, "plan", office, {"department": "县教育局（联合整改）",
                                                                "issued_on": "2026-04-01"}, title="联合整改")
    task = session.scalars(select(HumanTask).where(HumanTask.instance_id == shared.id)).one()
    assert "县教育局" in task.title
    tasks.claim(session, task.id, dept)
    session.commit()
    found = [e for e in matching(session, department="D01") if e.instance_id == shared.id]
    assert [e.event_type for e in found] == ["task_claimed"]  # the task, not the rest of the shared instance


def test_the_year_of_an_instance_wins_over_when_its_events_happened(session, record):
    office = session.scalar(select(User).where(User.username == "office"))
    last_year = instances.start_instance(session, "plan", office, {"department": "县教育局", "issued_on": "2025-12-01"},
                                         title="去年的整改", business_key="2025-D01")
    session.commit()
    of_2025 = matching(session, year=2025)
    assert {e.instance_id for e in of_2025} == {last_year.id}  # started in 2026, keyed 2025
    of_2026 = matching(session, year=2026)
    assert last_year.id not in {e.instance_id for e in of_2026}
    assert {"user_created", "publication_published", "ballot_closed"} <= types(of_2026)
    assert matching(session, year=2027) == []
    both = matching(session, department="D01", year=2025)
    assert {e.instance_id for e in both} == {last_year.id}


def test_actor_type_and_time_filters(session, record):
    by_dept = matching(session, actor="dept")
    assert types(by_dept) == {"task_claimed", "attachment_uploaded", "task_completed", "task_draft_saved"}
    assert [e.seq for e in matching(session, actor="张伟")] == [e.seq for e in by_dept]
    assert types(matching(session, event_type="task_completed")) == {"task_completed"}
    assert matching(session, since=date(2026, 3, 3)) == []
    assert len(matching(session, since=date(2026, 3, 2), until=date(2026, 3, 2))) == len(matching(session))
    assert matching(session, until=date(2026, 3, 1)) == []
    assert {e.process_id for e in matching(session, process_id="plan")} == {"plan"}
    assert {e.instance_id for e in matching(session, instance_id=record.health)} == {record.health}


def test_pages_are_keyset_pages_newest_first(session, record):
    everything = [e.seq for e in matching(session)][::-1]
    seen, before, pages = [], None, []
    while True:
        page = history.search(session, EventFilter(), before=before, per_page=4)
        pages.append(page)
        seen += [entry.event.seq for entry in page.entries]
        if page.older is None:
            break
        before = page.older
    assert seen == everything and len(pages) == -(-len(everything) // 4)
    assert pages[0].newer is None and pages[1].newer == everything[4]
    back = history.search(session, EventFilter(), after=pages[1].newer, per_page=4)
    assert [entry.event.seq for entry in back.entries] == everything[:4] and back.newer is None


def test_who_touched_lists_the_people_with_counts_and_times(session, record):
    report = who_touched.who_touched(session, "县教育局", 2026)
    people = {p.username: p for p in report.people}
    assert set(people) == {"office", "dept"}  # not the auditor, not the member (votes leave no event)
    assert people["dept"].by_type == {"task_claimed": 1, "attachment_uploaded": 1, "task_completed": 1,
                                      "task_draft_saved": 1}
    assert people["dept"].count == 4 and people["dept"].first_at < people["dept"].last_at
    assert people["office"].by_type["ballot_closed"] == 1 and people["office"].by_type["instance_started"] == 1
    assert [(v.username, v.ballots) for v in report.voters] == [("member", [record.ballot])]
    assert who_touched.who_touched(session, "D01", 2025).people == []


def test_each_row_is_checked_against_its_hash(session, record):
    seq = auditing.tamper(session, "task_completed", data_after={"summary": "改过的"})
    marked = {entry.event.seq: entry.tampered for entry in history.search(session, EventFilter(), per_page=200).entries}
    assert marked[seq] is True and sum(marked.values()) == 1
    timeline = history.timeline(session, record.edu)
    assert [entry.event.seq for entry in timeline if entry.tampered] == [seq]
    detail = history.event_detail(session, seq)
    assert detail.entry.tampered and detail.link_ok and ("summary", None, "改过的") in detail.changes
    assert history.event_detail(session, seq + 1).link_ok  # the next event links to the stored hash, unchanged
    count, broken = audit.verify(session)
    assert broken.seq == seq and broken.kind == "content"


def test_verify_names_events_added_after_the_recorded_end(session, record):
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    forged = {name: getattr(last, name) for name in audit.HASHED} | {"seq": last.seq + 1, "prev_hash": last.hash,
                                                                      "reason": "forged"}
    forged["hash"] = audit.compute_hash(forged)
    session.execute(insert(AuditEvent).values(**forged))
    session.commit()
    assert audit.verify(session)[1].kind == "added"


def test_verify_names_a_replaced_last_event(session, record):
    last = session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    last.reason = "forged"
    last.hash = audit.compute_hash(last)
    session.commit()
    broken = audit.verify(session)[1]
    assert broken.kind == "replaced" and broken.seq == last.seq


def test_verify_ignores_events_appended_while_it_runs(session, sessions, record, monkeypatch):
    walk = audit._batches

    def interleaved(*args):
        for number, batch in enumerate(walk(*args)):
            if number == 1:
                with sessions() as other:
                    audit.record(other, "group_created", None, details={"name": "meanwhile"})
                    other.commit()
            yield batch

    monkeypatch.setattr(audit, "_batches", interleaved)
    with sessions() as checker:
        count, broken = audit.verify(checker, batch=2, release=True)
    assert broken is None
    assert count == session.scalar(select(func.count()).select_from(AuditEvent)) - 1
    session.commit()
    monkeypatch.setattr(audit, "_batches", walk)
    assert audit.verify(session) == (count + 1, None)


def test_iterating_events_reads_batches_up_to_the_start(session, sessions, record):
    where = history.conditions(session, EventFilter(department="D01"))
    session.commit()
    expected = [e.seq for e in matching(session, department="D01")]
    session.commit()
    seen = []
    for event in history.iter_events(sessions, where, batch=3):
        if not seen:
            with sessions() as other:
                audit.record(other, "publication_published", None, details={"department_key": "D01", "year": 2026})
                other.commit()
        seen.append(event["seq"])
    assert seen == expected  # the event recorded meanwhile waits for the next export
    assert len(list(history.iter_events(sessions, where, batch=3))) == len(expected) + 1


def test_only_auditors_views_are_recorded(session, record):
    auditor = session.get(User, record.people["auditor"])
    boss = session.get(User, record.people["boss"])
    edu = instances.repository.get_instance(session, record.edu)
    history.record_view(session, boss, "instance", instance=edu)
    history.record_view(session, auditor, "instance", instance=edu, details={"title": edu.title})
    session.commit()
    views = session.scalars(select(AuditEvent).where(AuditEvent.event_type == history.VIEWED)).all()
    assert [(v.actor_name, v.instance_id, v.details) for v in views] == [("auditor", record.edu,
                                                                          {"what": "instance", "title": "教育局整改"})]
    assert history.count_views(session, record.edu) == 1
    assert history.VIEWED not in {e.event.event_type for e in history.timeline(session, record.edu)}
    assert history.VIEWED in {e.event.event_type for e in history.timeline(session, record.edu, include_views=True)}


def test_filters_are_recorded_without_empty_values():
    assert EventFilter(department="D01", since=date(2026, 1, 1)).as_details() == {"department": "D01",
                                                                                   "since": "2026-01-01"}
