"""Warnings about a process model: names that reach nobody. Check and Deploy show them, but they do
not stop a deployment (a group or a user may be created after it).

- a lane whose name is no group: its tasks without candidates or an assignee go to that group
  (engine/assignment.py), so they reach only administrators; when the start event is in it, only
  administrators may start the process (engine/services/instances.py, `may_start`);
- a literal 'group:NAME' / 'user:NAME' (or a bare user name) in a task's `candidates`, or a
  literal `assignee`, naming a group or user that does not exist.

An expression that is not a plain literal (a variable, a call) is computed at run time and skipped,
and so are the lanes of a model that sets `lane_owners` (which names a lane's people itself).
"""
from __future__ import annotations

import ast

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import bpmn
from engine.assignment import parse_principals
from engine.errors import DeploymentError
from engine.models import Group, User
from engine.problems import CodedProblem
from engine.versions import BPMN, SPIFF


def N_(text: str) -> str:
    """Marks a template for the message catalog; the web layer translates it."""
    return text


WARNINGS = {
    "lane_no_group": N_("lane '%(lane)s': there is no group of this name, so its tasks without candidates or "
                        "an assignee reach only administrators"),
    "start_lane_no_group": N_("lane '%(lane)s': there is no group of this name, and the start event is in it: "
                              "only administrators may start the process"),
    "candidate_group_missing": N_("'%(element)s': its candidates name the group '%(name)s', which does not exist"),
    "candidate_user_missing": N_("'%(element)s': its candidates name the user '%(name)s', who does not exist"),
    "assignee_missing": N_("'%(element)s': its assignee is the user '%(name)s', who does not exist"),
}


def warning(file: str, code: str, node, **params) -> CodedProblem:
    return CodedProblem(file, WARNINGS[code] % params, node.get("id") or "", node.sourceline,
                        code=code, params=params)


def check(session: Session, file_name: str, xml: str) -> list[CodedProblem]:
    """The warnings for one BPMN file ([] when it cannot be read: Check reports that as a problem)."""
    try:
        root = bpmn.parse_xml(file_name, xml.encode("utf-8")).getroot()
    except (DeploymentError, UnicodeEncodeError):
        return []
    groups = set(session.scalars(select(Group.name)))
    users = set(session.scalars(select(User.username)))
    found = [] if "lane_owners" in xml else _lanes(file_name, root, groups)
    for element in root.iter(f"{{{BPMN}}}*"):
        props = _properties(element)
        name = element.get("name") or element.get("id") or ""
        assignee = _literal(props.get("assignee"))
        if isinstance(assignee, str) and assignee.strip():
            user = assignee.strip().removeprefix("user:")
            if user not in users:
                found.append(warning(file_name, "assignee_missing", element, element=name, name=user))
        for principal in parse_principals(_literal(props.get("candidates"))):
            known = groups if principal.kind == "group" else users
            if principal.name not in known:
                found.append(warning(file_name, f"candidate_{principal.kind}_missing", element, element=name,
                                     name=principal.name))
    return found


def _lanes(file_name: str, root, groups: set[str]) -> list[CodedProblem]:
    starts = {e.get("id") for p in root.iter(f"{{{BPMN}}}process") for e in p.findall(f"{{{BPMN}}}startEvent")}
    found = []
    for lane in root.iter(f"{{{BPMN}}}lane"):
        name = (lane.get("name") or "").strip()
        if not name or name in groups:
            continue
        refs = {(ref.text or "").strip() for ref in lane.findall(f"{{{BPMN}}}flowNodeRef")}
        found.append(warning(file_name, "start_lane_no_group" if refs & starts else "lane_no_group", lane,
                             lane=name))
    return found


def _properties(element) -> dict[str, str]:
    props = {}
    for prop in element.findall(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}properties/{{{SPIFF}}}property"):
        props[prop.get("name") or ""] = prop.get("value") or ""
    return props


def _literal(expression: str | None):
    """The value of a plain literal (a string or a list of strings); None for any other expression."""
    if not expression or not expression.strip():
        return None
    try:
        value = ast.literal_eval(expression.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)) and all(isinstance(item, str) for item in value):
        return list(value)
    return None

