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
from engine.problems import N_, problem
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
# hints and reasons are templates of the message catalog: the web layer shows them translated
_FORM_NAME = N_("name the form with the task property formJsonSchemaFilename")
_FORM_FILE = N_("write the form as a JSON Schema file (formJsonSchemaFilename)")
_STARTER = N_("who may start a process is the start event's lane")
_DUE = N_("use the task property dueAt")
_OPERATION = N_("a service task calls a Pingyi operation (spiffworkflow:serviceTaskOperator)")
_LISTENER = N_("listeners are not run; use a script task")
_DATA_STORE = N_("data stores are not supported; keep data in the process data")
_CHOREOGRAPHY = N_("choreographies are not supported")
HINTS = {
    "formKey": _FORM_NAME, "formRef": _FORM_NAME, "formData": _FORM_FILE, "formDefinition": _FORM_FILE,
    "assignee": N_("use the task property assignee"),
    "assignmentDefinition": N_("use a lane, or the task properties assignee and candidates"),
    "candidateGroups": N_("use a lane, or the task property candidates"),
    "candidateUsers": N_("use the task property candidates"),
    "candidateStarterGroups": _STARTER, "candidateStarterUsers": _STARTER,
    "dueDate": _DUE, "followUpDate": _DUE,
    "priority": N_("use the task property priority"),
    "class": _OPERATION, "delegateExpression": _OPERATION, "expression": _OPERATION, "taskDefinition": _OPERATION,
    "topic": _OPERATION,
    "decisionRef": N_("name the DMN decision with spiffworkflow:calledDecisionId"),
    "executionListener": _LISTENER, "taskListener": _LISTENER,
    "inputOutput": N_("data mappings are not run; use a script task"),
    "in": N_("a called process sees the caller's data; remove the mapping"),
    "out": N_("a called process returns its data to the caller; remove the mapping"),
}
UNSUPPORTED = {
    "complexGateway": N_("complex gateways are not supported; use an exclusive, inclusive or parallel gateway"),
    "conditionalEventDefinition": N_("conditional events are not supported; use a gateway condition or a message"),
    "compensateEventDefinition": N_("compensation events are not supported"),
    "linkEventDefinition": N_("link events are not supported; draw the sequence flow"),
    "dataStore": _DATA_STORE, "dataStoreReference": _DATA_STORE,
    "choreographyTask": _CHOREOGRAPHY, "subChoreography": _CHOREOGRAPHY, "callChoreography": _CHOREOGRAPHY,
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

    def add(node, code, **params):
        found.append(problem(file_name, code, _owner(node), node.sourceline, **params))

    root = tree.getroot()
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        name, namespace = local(node.tag), node.tag[1:].split("}")[0] if node.tag.startswith("{") else ""
        for attr, value in node.attrib.items():
            engine = ENGINES.get(attr[1:].split("}")[0]) if attr.startswith("{") else None
            if engine and local(attr) not in HARMLESS:
                hint = HINTS.get(local(attr))
                add(node, "foreign_attribute_hint" if hint else "foreign_attribute", engine=engine, name=local(attr),
                    value=value, **({"hint": hint} if hint else {}))
        if namespace in ENGINES:
            if name not in HARMLESS and local(node.getparent().tag) == "extensionElements":
                hint = HINTS.get(name)
                add(node, "foreign_element_hint" if hint else "foreign_element", engine=ENGINES[namespace], name=name,
                    **({"hint": hint} if hint else {}))
            continue
        if namespace != BPMN:
            continue
        if name in UNSUPPORTED:
            add(node, "unsupported_element", name=name, reason=UNSUPPORTED[name])
        elif name == "businessRuleTask" and not _has_extension(node, "calledDecisionId"):
            add(node, "business_rule_without_decision", kind=_kind(node))
        elif name == "serviceTask" and not _has_extension(node, "serviceTaskOperator"):
            add(node, "service_without_operation", kind=_kind(node))
        elif name == "scriptTask" and (node.get("scriptFormat") or "").lower() not in PYTHON_SCRIPTS:
            add(node, "script_format", kind=_kind(node), format=node.get("scriptFormat"))
        elif name in EXPRESSIONS:
            _expression(node, name, add)
    return found


def not_executable(file_name: str, tree) -> list[Problem]:
    """Each process of the document not marked executable (bpmn.io and Signavio export them so)."""
    return [problem(file_name, "not_executable", p.get("id", ""), p.sourceline, process=p.get("id"))
            for p in tree.getroot().iter(f"{{{BPMN}}}process") if p.get("isExecutable") != "true"]


def _has_extension(node, name: str) -> bool:
    return node.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}{name}") is not None


def _expression(node, name: str, add) -> None:
    text = (node.text or "").strip()
    language = (node.get("language") or "").lower()
    if language and "python" not in language:
        add(node, "expression_language", name=name, language=node.get("language"))
    elif text.startswith(("${", "#{")):
        add(node, "expression_juel", name=name, text=text)
    elif text.startswith("="):
        add(node, "expression_feel", name=name, text=text)
    elif name.startswith("time") and _ISO.match(text):
        add(node, "timer_literal", name=name, text=text)
