"""Warnings about names in a model that reach nobody: only plain literals are looked at, and
unreadable XML gives none (Check reports it as a problem)."""
from __future__ import annotations

from engine import model_warnings

TASK = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="{lane}"><bpmn:flowNodeRef>t</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l2"/></bpmn:laneSet>
    <bpmn:startEvent id="s"/>
    <bpmn:userTask id="t"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="candidates" value="{candidates}"/>
      <spiffworkflow:property name="assignee" value="{assignee}"/>
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
  </bpmn:process>
</bpmn:definitions>
"""


def found(session, lane="评议办", candidates="", assignee="") -> list[tuple[str, str, dict]]:
    xml = TASK.format(lane=lane, candidates=candidates, assignee=assignee)
    return [(w.code, w.element_id, w.params) for w in model_warnings.check(session, "p.bpmn", xml)]


def test_only_plain_literals_naming_nobody_are_warned_about(session, make_user):
    make_user("alice", groups=["评议办"])
    assert found(session) == []
    assert found(session, candidates="('group:评议办', 'alice')", assignee="'user:alice'") == []
    for expression in ("unit['group']", "'group:' + name", "[1, 2]", "f('x')", "reviewers or 'nobody'"):
        assert found(session, candidates=expression, assignee=expression) == [], expression
    assert found(session, lane="教育", candidates="['group:x', 'user:y', 'z']", assignee="'w'") == [
        ("lane_no_group", "l1", {"lane": "教育"}),  # the start event is in no lane: the plain warning
        ("assignee_missing", "t", {"element": "t", "name": "w"}),
        ("candidate_group_missing", "t", {"element": "t", "name": "x"}),
        ("candidate_user_missing", "t", {"element": "t", "name": "y"}),
        ("candidate_user_missing", "t", {"element": "t", "name": "z"})]


def test_unreadable_xml_gives_no_warnings(session):
    assert model_warnings.check(session, "p.bpmn", "<bpmn:definitions") == []
    assert model_warnings.check(session, "p.bpmn", "<a>\ud800</a>") == []
