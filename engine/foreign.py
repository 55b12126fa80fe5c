"""BPMN from other modelers (Camunda Modeler, bpmn.io, Signavio, Flowable...): what Pingyi cannot
run is refused by name before SpiffWorkflow sees the file, rather than silently ignored.

SpiffWorkflow's schema allows any foreign extension, so a `camunda:formKey` or a JUEL condition
would otherwise deploy and then misbehave. Refused: engine extensions of other products
(Camunda 7 `camunda:*` attributes and elements, Camunda 8 `zeebe:*`, Activiti, Flowable), BPMN
constructs Pingyi does not execute (complex gateways, conditional, compensation and link events,
data stores, business rule tasks without a DMN decision, service tasks without a Pingyi
operation, non-Python scripts) and expressions in other languages (JUEL `${…}`, FEEL `=…`,
unquoted ISO durations in timers). Pure metadata (Signavio's, Camunda's history settings, colours)
is ignored.
"""
from __future__ import annotations

import re

from engine.errors import Problem
from engine.versions import BPMN, CONTAINERS, SPIFF, local

ENGINES = {
    "http://camunda.org/schema/1.0/bpmn": "camunda",
    "http://camunda.org/schema/zeebe/1.0": "zeebe",
    "http://activiti.org/bpmn": "activiti",
    "http://flowable.org/bpmn": "flowable",
}
# Settings with no effect on what runs, which Pingyi may ignore.
HARMLESS = {"historyTimeToLive", "asyncBefore", "asyncAfter", "exclusive", "jobPriority", "taskPriority",
            "versionTag", "isStartableInTasklist", "properties", "property", "failedJobRetryTimeCycle"}
HINTS = {
    "formKey": "name the form with the task property formJsonSchemaFilename",
    "formRef": "name the form with the task property formJsonSchemaFilename",
    "formData": "write the form as a JSON Schema file (formJsonSchemaFilename)",
    "formDefinition": "write the form as a JSON Schema file (formJsonSchemaFilename)",
    "assignee": "use the task property assignee",
    "assignmentDefinition": "use a lane, or the task properties assignee and candidates",
    "candidateGroups": "use a lane, or the task property candidates",
    "candidateUsers": "use the task property candidates",
    "candidateStarterGroups": "who may start a process is the start event's lane",
    "candidateStarterUsers": "who may start a process is the start event's lane",
    "dueDate": "use the task property dueAt",
    "followUpDate": "use the task property dueAt",
    "priority": "use the task property priority",
    "class": "a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)",
    "delegateExpression": "a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)",
    "expression": "a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)",
    "taskDefinition": "a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)",
    "topic": "a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)",
    "decisionRef": "name the DMN decision with spiffworkflow:calledDecisionId",
    "executionListener": "listeners are not run; use a script task",
    "taskListener": "listeners are not run; use a script task",
    "inputOutput": "data mappings are not run; use a script task",
    "in": "a called process sees the caller's data; remove the mapping",
    "out": "a called process returns its data to the caller; remove the mapping",
}
UNSUPPORTED = {
    "complexGateway": "complex gateways are not supported; use an exclusive, inclusive or parallel gateway",
    "conditionalEventDefinition": "conditional events are not supported; use a gateway condition or a message",
    "compensateEventDefinition": "compensation events are not supported",
    "linkEventDefinition": "link events are not supported; draw the sequence flow",
    "dataStore": "data stores are not supported; keep data in the process data",
    "dataStoreReference": "data stores are not supported; keep data in the process data",
    "choreographyTask": "choreographies are not supported",
    "subChoreography": "choreographies are not supported",
    "callChoreography": "choreographies are not supported",
}
PYTHON_SCRIPTS = {"", "python", "python3", "text/x-python", "text/python", "application/x-python"}
EXPRESSIONS = ("conditionExpression", "condition", "completionCondition", "loopCardinality",
               "timeDate", "timeDuration", "timeCycle")
_ISO = re.compile(r"^(R\d*/)?(P(?=[\dT])(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?([\d.]+S)?)?|"
                  r"\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?)$")


def _owner(node) -> str:
    """The id of the diagram element the node belongs to (itself or the nearest ancestor that is
    a flow element, a lane, a process or a root element such as a data store)."""
    while node is not None:
        parent = node.getparent()
        if node.get("id") and (parent is None or local(parent.tag) in CONTAINERS + ("definitions", "laneSet")
                               or local(node.tag) == "process"):
            return node.get("id")
        node = parent
    return ""


def _kind(node) -> str:
    return f"{local(node.tag)} '{node.get('name')}'" if node.get("name") else local(node.tag)


def problems(file_name: str, tree) -> list[Problem]:
    """Everything in one BPMN document that Pingyi cannot run, each on its element."""
    found: list[Problem] = []

    def add(node, message):
        found.append(Problem(file_name, message, _owner(node), node.sourceline))

    root = tree.getroot()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        name, namespace = local(node.tag), node.tag[1:].split("}")[0] if node.tag.startswith("{") else ""
        for attr, value in node.attrib.items():
            engine = ENGINES.get(attr[1:].split("}")[0]) if attr.startswith("{") else None
            if engine and local(attr) not in HARMLESS:
                hint = HINTS.get(local(attr))
                add(node, f"{engine}:{local(attr)}=\"{value}\" is not supported" + (f"; {hint}" if hint else ""))
        if namespace in ENGINES:
            if name not in HARMLESS and local(node.getparent().tag) == "extensionElements":
                hint = HINTS.get(name)
                add(node, f"{ENGINES[namespace]}:{name} is not supported" + (f"; {hint}" if hint else ""))
            continue
        if namespace != BPMN:
            continue
        if name in UNSUPPORTED:
            add(node, f"{name}: {UNSUPPORTED[name]}")
        elif name == "businessRuleTask" and not _has_extension(node, "calledDecisionId"):
            add(node, f"{_kind(node)}: a business rule task needs a DMN decision "
                      "(spiffworkflow:calledDecisionId) and its DMN file in the bundle")
        elif name == "serviceTask" and not _has_extension(node, "serviceTaskOperator"):
            add(node, f"{_kind(node)}: a service task must call a Pingyi operation (spiffworkflow:serviceTaskOperator)")
        elif name == "scriptTask" and (node.get("scriptFormat") or "").lower() not in PYTHON_SCRIPTS:
            add(node, f"{_kind(node)}: scripts are Python; scriptFormat '{node.get('scriptFormat')}' is not supported")
        elif name in EXPRESSIONS:
            _expression(node, name, add)
    return found


def not_executable(file_name: str, tree) -> list[Problem]:
    """Each process of the document not marked executable (bpmn.io and Signavio export them so)."""
    return [Problem(file_name, f"process '{p.get('id')}' is not executable: set isExecutable=\"true\" to deploy it",
                    p.get("id", ""), p.sourceline)
            for p in tree.getroot().iter(f"{{{BPMN}}}process") if p.get("isExecutable") != "true"]


def _has_extension(node, name: str) -> bool:
    return node.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}{name}") is not None


def _expression(node, name: str, add) -> None:
    text = (node.text or "").strip()
    language = (node.get("language") or "").lower()
    if language and "python" not in language:
        add(node, f"{name}: expression language '{node.get('language')}' is not supported; write Python")
    elif text.startswith(("${", "#{")):
        add(node, f"{name} '{text}' is a JUEL expression; write Python, e.g. approved == True")
    elif text.startswith("="):
        add(node, f"{name} '{text}' is a FEEL expression; write Python, e.g. approved == True")
    elif name.startswith("time") and _ISO.match(text):
        add(node, f"{name} '{text}': a literal date or duration needs quotes (\"{text}\"), "
                  "timer expressions are Python")
