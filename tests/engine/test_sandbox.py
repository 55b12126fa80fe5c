"""The script sandbox: BPMN scripts and conditions cannot escape it.

Every escape is tried twice: deployment must refuse it (located on the element that carries
the code), and the runtime must refuse it too when the lint is bypassed (the XML goes straight
to SpiffWorkflow's parser), leaving the task data untouched.
"""
from __future__ import annotations

import builtins
import sys
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser
from sqlalchemy import select

from engine import runtime
from engine.errors import DeploymentError, ScriptError
from engine.models import ProcessVersion
from engine.services import processes

FILE = "sandbox.bpmn"
START_DATA = {"x": "text"}
ANSWER = {"n": 1}


def model(script: str = "pass", condition: str = "True") -> str:
    """start -> enter (user) -> evil (script) -> gate (exclusive) -> yes | no (user) -> end."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="http://pingyi.test" id="defs_sandbox">
  <bpmn:process id="sandbox" name="Sandbox" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="enter" name="Enter"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:scriptTask id="evil" name="Evil script">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>{escape(script)}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="gate" name="Evil gate" default="f_no">
      <bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing><bpmn:outgoing>f_no</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:userTask id="yes" name="Yes"><bpmn:incoming>f_yes</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="no" name="No"><bpmn:incoming>f_no</bpmn:incoming><bpmn:outgoing>f5</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end_yes"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="end_no"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="enter"/>
    <bpmn:sequenceFlow id="f2" sourceRef="enter" targetRef="evil"/>
    <bpmn:sequenceFlow id="f3" sourceRef="evil" targetRef="gate"/>
    <bpmn:sequenceFlow id="f_yes" sourceRef="gate" targetRef="yes">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{escape(condition)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_no" sourceRef="gate" targetRef="no"/>
    <bpmn:sequenceFlow id="f4" sourceRef="yes" targetRef="end_yes"/>
    <bpmn:sequenceFlow id="f5" sourceRef="no" targetRef="end_no"/>
  </bpmn:process>
</bpmn:definitions>
"""


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# Escapes that are expressions: tried as a script (`result = ...`) and as a gateway condition.
EXPRESSIONS = [
    ("dunder-import", "__import__('os')"),
    ("mro-subclasses", "().__class__.__mro__[1].__subclasses__()"),
    ("dunder-class", "[].__class__"),
    ("dunder-dict", "add_months.__dict__"),  # a function: unlike a str, it does have a __dict__
    ("function-globals", "add_months.__globals__['clock']"),
    ("getattr-dunder", "getattr(x, '__class__')"),
    ("open-file", "open('/etc/passwd')"),
    ("exec", "exec('y=1')"),
    ("eval", "eval('1+1')"),
    ("compile", "compile('1','','eval')"),
    ("globals", "globals()"),
    ("vars", "vars()"),
    ("type", "type(1)"),
    ("str-format-attribute", "'{0.__class__}'.format(1)"),
    ("generator-frame-walk", "(i for i in []).gi_frame.f_globals['__builtins__']"),
    ("breakpoint", "breakpoint()"),
    ("lambda-builtins", "(lambda: __builtins__)()"),
    ("huge-range", "range(10**9)"),
]
# Escapes that are statements: only a script can carry them.
STATEMENTS = [
    ("import-statement", "import os"),
    ("from-import", "from os import path"),
    ("class-definition", "class Evil:\n    pass"),
]
# Lint cannot know this statically (a value, not a name or an attribute): only the runtime refuses it.
RUNTIME_ONLY = {"huge-range"}

ESCAPES = (
    [pytest.param(f"result = {code}", "True", "evil", id=f"script-{name}") for name, code in EXPRESSIONS]
    + [pytest.param(code, "True", "evil", id=f"script-{name}") for name, code in STATEMENTS]
    + [pytest.param("pass", code, "gate", id=f"condition-{name}") for name, code in EXPRESSIONS]
)
LINTED_ESCAPES = [p for p in ESCAPES if p.id.split("-", 1)[1] not in RUNTIME_ONLY]


def element_line(text: str, element: str) -> int:
    tag = "scriptTask" if element == "evil" else "exclusiveGateway"
    return line_of(text, f'<bpmn:{tag} id="{element}"')


@pytest.mark.parametrize(("script", "condition", "element"), LINTED_ESCAPES)
def test_deployment_refuses_escape(session, admin, script, condition, element):
    text = model(script, condition)
    with pytest.raises(DeploymentError) as caught:
        processes.deploy(session, {FILE: text.encode()}, admin)
    problems = caught.value.problems
    assert problems
    assert {(p.file, p.element_id, p.line) for p in problems} == {(FILE, element, element_line(text, element))}
    what = "script" if element == "evil" else "condition of the flow to 'yes'"
    assert all(p.message.startswith(what) for p in problems)
    assert session.scalars(select(ProcessVersion)).all() == []


def parse(text: str):
    """SpiffWorkflow's parser on the raw XML: no lint of ours in the way."""
    parser = SpiffBpmnParser(validator=VALIDATOR)
    parser.add_bpmn_str(text.encode(), filename=FILE)
    return parser.get_spec("sandbox"), parser.get_subprocess_specs("sandbox")


def run_to_the_script(text: str):
    spec, subspecs = parse(text)
    workflow = runtime.new_workflow(spec, subspecs, START_DATA)
    runtime.advance(workflow)
    [enter] = runtime.ready_human_tasks(workflow)
    assert enter.task_spec.bpmn_id == "enter"
    return workflow, str(enter.id)


@pytest.fixture
def spies(monkeypatch):
    """Record any use of the real `open` on /etc/passwd and any breakpoint."""
    calls = []
    real_open = builtins.open

    def spy_open(file, *args, **kwargs):
        if str(file) == "/etc/passwd":
            calls.append(("open", file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy_open)
    monkeypatch.setattr(sys, "breakpointhook", lambda *a, **k: calls.append(("breakpoint", a)))
    return calls


def leaves(value):
    """Every key and scalar inside nested dicts and lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(key)
            yield from leaves(item)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            yield from leaves(item)
    else:
        yield value


@pytest.mark.parametrize(("script", "condition", "element"), ESCAPES)
def test_runtime_refuses_escape_without_lint(spies, script, condition, element):
    workflow, enter = run_to_the_script(model(script, condition))
    with pytest.raises(ScriptError) as caught:
        runtime.complete(workflow, enter, ANSWER)
    # the failing element is left in ERROR and nothing after it ran
    assert [t.task_spec.bpmn_id for t in runtime.error_tasks(workflow)] == [element]
    assert runtime.ready_human_tasks(workflow) == []
    assert runtime.status_of(workflow) == "error"
    # nothing harmful happened: no data was added or changed, no file was read, no debugger
    expected = {**START_DATA, **ANSWER}
    for task in workflow.get_tasks():
        assert set(task.data) <= set(expected), (task.task_spec.bpmn_id, sorted(task.data))
        assert all(task.data[key] == expected[key] for key in task.data)
        for value in leaves(task.data):
            assert isinstance(value, (str, int)), (task.task_spec.bpmn_id, value)
            assert "root:" not in str(value)
    assert workflow.data == {}
    assert spies == []
    # and the error says where: the element that carries the code
    error = caught.value
    assert error.element_id == element, error.message
    assert element in error.message


HELPERS_SCRIPT = """\
due = add_months('2023-01-31', 1)
later = add_days('2023-02-27', 2)
count = len(scores)
total = sum(scores)
ordered = sorted(scores)
low = min(scores)
high = max(scores)
mean = round(total / count, 2)
squares = {s: s * s for s in scores}
doubled = [s * 2 for s in scores]
record['checked'] = True
counter += 1
label = f"{count} 项"
"""
HELPERS_CONDITION = "days_between(due, later) > 0 and high > 2 and counter == 2"


def test_allowed_helpers_work_in_scripts_and_conditions():
    workflow, enter = run_to_the_script(model(HELPERS_SCRIPT, HELPERS_CONDITION))
    runtime.complete(workflow, enter, {"scores": [3, 1, 2], "record": {"name": "a"}, "counter": 1})
    [task] = runtime.ready_human_tasks(workflow)
    assert task.task_spec.bpmn_id == "yes"  # the condition held
    data = task.data
    assert data["due"] == "2023-02-28"
    assert data["later"] == "2023-03-01"
    assert (data["count"], data["total"], data["low"], data["high"]) == (3, 6, 1, 3)
    assert data["ordered"] == [1, 2, 3]
    assert data["mean"] == 2.0
    assert data["squares"] == {3: 9, 1: 1, 2: 4}
    assert data["doubled"] == [6, 2, 4]
    assert data["record"] == {"name": "a", "checked": True}
    assert data["counter"] == 2
    assert data["label"] == "3 项"  # f-strings are the way to format (str.format is refused)
    assert data["scores"] == [3, 1, 2]
    # no sandbox machinery leaks into task data
    assert not [key for key in data if key.startswith("_")]
    assert not {"add_months", "add_days", "len", "sorted", "days_between"} & set(data)


def test_allowed_helpers_pass_deployment(session, admin):
    [result] = processes.deploy(session, {FILE: model(HELPERS_SCRIPT, HELPERS_CONDITION).encode()}, admin)
    assert (result.process_id, result.version, result.is_new) == ("sandbox", 1, True)


def test_unknown_name_in_condition_names_the_element():
    workflow, enter = run_to_the_script(model(condition="missing_score > 3"))
    with pytest.raises(ScriptError) as caught:
        runtime.complete(workflow, enter, ANSWER)
    error = caught.value
    assert error.element_id == "gate" and error.task_name == "Evil gate"
    assert "Evil gate" in error.message and "gate" in error.message
    assert "name 'missing_score' is not defined" in error.message
    assert [t.task_spec.bpmn_id for t in runtime.error_tasks(workflow)] == ["gate"]
