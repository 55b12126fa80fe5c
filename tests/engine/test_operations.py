"""Service tasks: a model opens a ballot through `ballot.open`, waits for the tally, and carries on;
deployment refuses unknown operations and bad parameters; a refused operation stops the instance."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine import repository, runtime
from engine.errors import DeploymentError
from engine.models import Ballot, HumanTask, ProcessInstance, TaskState
from engine.services import ballots, counting, tasks


def open_task(session, instance, element):
    return session.scalars(select(HumanTask).where(HumanTask.instance_id == instance.id,
                                                   HumanTask.element_id == element,
                                                   HumanTask.state == TaskState.OPEN)).one()


def test_a_model_opens_a_ballot_and_receives_the_tally(session, deploy, start, make_user, admin):
    office = make_user("office", groups=["评议办"])
    members = [make_user(f"m{i}", groups=["常委会组成人员"]) for i in range(3)]
    deputy = make_user("d1")
    deploy("service")
    instance = start("meeting_vote", {"department": "县教育局", "deputies": {"d1": "deputy"}})
    tasks.complete_task(session, open_task(session, instance, "prepare").id, {}, admin)
    assert instance.status == "waiting"
    ballot = session.scalar(select(Ballot))
    assert ballot.title == "对县教育局的满意度测评" and ballot.instance_id == instance.id
    assert ballots.turnout(session, ballot)["eligible"] == 4
    for user, choice in zip([*members, deputy], ["satisfied", "satisfied", "basic", "satisfied"], strict=True):
        envelope = ballots.issue_envelope(session, ballot.public_id, user, choice)
        ballots.cast(session, envelope, choice)
    counting.close_ballot(session, ballot.public_id, office)
    session.flush()
    task = open_task(session, instance, "record")
    assert task.instructions == "县教育局：满意"
    result = runtime.find_task(repository.load(session, instance), task.task_guid).data["result"]
    assert result["counts"] == {"satisfied": 3, "basic": 1, "dissatisfied": 0, "invalid": 0}
    assert set(result) == {"ballot", "subject", "status", "void_reason", "grade", "score", "counts", "rates",
                           "combined_rate", "rule"}  # the tally, never a ballot or a voter


def test_unknown_operations_and_bad_parameters_are_refused_at_deployment(deploy):
    with pytest.raises(DeploymentError) as caught:
        deploy("service_unknown")
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "unknown service operation 'ballot.explode'" in text
    assert "operation 'ballot.open' needs the parameter(s) year" in text
    assert "operation 'ballot.open' has no parameter(s) colour" in text
    assert "parameter 'colour' of the service task" in text  # `1 +` does not compile


def test_a_refused_operation_stops_the_instance_with_its_reason(session, deploy, start, make_user, admin):
    make_user("m1", groups=["常委会组成人员"])
    deploy("service")
    instance = start("meeting_vote", {"department": "县教育局", "deputies": {"nobody": "deputy"}})
    tasks.complete_task(session, open_task(session, instance, "prepare").id, {}, admin)
    session.refresh(instance)
    assert instance.status == "error"
    assert "ballot.open" in instance.error["message"] and "nobody" in instance.error["message"]
    assert session.scalar(select(Ballot.id)) is None
    assert session.scalar(select(ProcessInstance.status)) == "error"


def test_parallel_votes_in_one_instance_each_get_their_own_tally(session, deploy, start, make_user, admin):
    office = make_user("office", groups=["评议办"])
    members = [make_user(f"m{i}", groups=["常委会组成人员"]) for i in range(3)]
    deploy("service_parallel")
    instance = start("parallel_votes", {"departments": {"D01": "县教育局", "D02": "县民政局"}})
    tasks.complete_task(session, open_task(session, instance, "prepare").id, {}, admin)
    by_subject = {b.subject: b for b in session.scalars(select(Ballot))}
    assert set(by_subject) == {"县教育局", "县民政局"} and instance.status == "waiting"
    for ballot, choice in ((by_subject["县民政局"], "dissatisfied"), (by_subject["县教育局"], "satisfied")):
        for user in members:
            envelope = ballots.issue_envelope(session, ballot.public_id, user, choice)
            ballots.cast(session, envelope, choice)
        counting.close_ballot(session, ballot.public_id, office)
        session.flush()
        if ballot.subject == "县民政局":  # only that department's branch moved on
            workflow = repository.load(session, instance)
            assert {w.element_id for w in runtime.waiting_messages(workflow)} == {"wait_result"}
    assert instance.status == "running", instance.error["message"]
    assert open_task(session, instance, "done").instructions == "D01=满意;D02=不满意;"
