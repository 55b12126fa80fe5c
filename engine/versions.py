"""What changed between two versions of a process: elements added, removed and changed.

Compared on the BPMN XML (the version's file and the files of the processes it calls), element
by element, keyed by process and element id; the diagram layout (BPMNDI) is ignored. An element
"changed" when its type, name or one of its aspects differs: documentation, lane, form (names
and the content of the form files), instructions, task properties, script, condition, timer,
multi-instance, service call, called element, event, other attributes. Incoming and outgoing
references are left out: a rerouted flow shows as that flow changing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CONTAINERS = ("process", "subProcess", "transaction", "adHocSubProcess")
ARTIFACTS = ("textAnnotation", "association", "group", "category", "laneSet", "dataObjectReference")
FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")
SKIPPED_CHILDREN = ("incoming", "outgoing", "documentation", "extensionElements", "script", "conditionExpression",
                    "flowNodeRef", "childLaneSet")
# Attributes at their BPMN default are the same as absent (modelers differ in writing them).
DEFAULTS = {"isSequential": "false", "cancelActivity": "true", "isInterrupting": "true", "parallelMultiple": "false",
            "isForCompensation": "false", "startQuantity": "1", "completionQuantity": "1", "isCollection": "false",
            "isExecutable": "true", "gatewayDirection": "Unspecified", "isClosed": "false"}
ASPECT_OF_CHILD = {"timerEventDefinition": "timer", "multiInstanceLoopCharacteristics": "multi-instance",
                   "standardLoopCharacteristics": "loop"}


@dataclass(frozen=True)
class Element:
    process: str
    id: str
    type: str
    name: str
    aspects: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Change:
    old: Element
    new: Element
    aspects: tuple[str, ...]


@dataclass
class VersionDiff:
    added: list[Element] = field(default_factory=list)
    removed: list[Element] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _ns(tag) -> str:
    return etree.QName(tag).namespace or "" if isinstance(tag, str) else ""


# Children whose id is what the engine reads (a multi-instance item is the variable named by its id)
KEEP_ID = frozenset({"inputDataItem", "outputDataItem"})


def _canonical(node) -> str:
    """Tag, attributes (sorted) and text of a subtree, ids left out (but those in KEEP_ID)."""
    if not isinstance(node.tag, str):
        return ""
    keep_id = local(node.tag) in KEEP_ID
    attrs = ",".join(f"{local(k)}={v}" for k, v in sorted(node.attrib.items())
                     if (keep_id or local(k) != "id") and DEFAULTS.get(local(k)) != v)
    inner = "".join(_canonical(child) for child in node)
    return f"<{local(node.tag)} {attrs}>{(node.text or '').strip()}{inner}</>"


def _extensions(node, forms: dict) -> dict[str, str]:
    aspects: dict[str, str] = {}
    properties: dict[str, str] = {}
    for ext in node.findall(f"{{{BPMN}}}extensionElements"):
        for item in ext:
            name = local(item.tag)
            if _ns(item.tag) != SPIFF:
                aspects["extensions"] = aspects.get("extensions", "") + _canonical(item)
            elif name == "properties":
                properties.update({p.get("name", ""): p.get("value", "") for p in item})
            elif name == "instructionsForEndUser":
                aspects["instructions"] = (item.text or "").strip()
            elif name in ("preScript", "postScript"):
                aspects["script"] = aspects.get("script", "") + f"{name}:{(item.text or '').strip()}\n"
            elif name == "serviceTaskOperator":
                aspects["service"] = _canonical(item)
            else:
                aspects["extensions"] = aspects.get("extensions", "") + _canonical(item)
    form_names = [properties.pop(key, "") for key in FORM_PROPERTIES]
    if any(form_names):
        contents = [json.dumps(forms.get(n), sort_keys=True) if n else "" for n in form_names]
        aspects["form"] = "|".join(form_names + contents)
    if properties:
        aspects["properties"] = json.dumps(properties, sort_keys=True, ensure_ascii=False)
    return aspects


def _aspects(node, lane: str, forms: dict) -> tuple[tuple[str, str], ...]:
    aspects = _extensions(node, forms)
    docs = [(d.text or "").strip() for d in node.findall(f"{{{BPMN}}}documentation")]
    if any(docs):
        aspects["documentation"] = "\n".join(docs)
    if lane:
        aspects["lane"] = lane
    script = node.find(f"{{{BPMN}}}script")
    if script is not None:
        aspects["script"] = (script.text or "").strip() + "\n" + aspects.get("script", "")
    condition = node.find(f"{{{BPMN}}}conditionExpression")
    if condition is not None:
        aspects["condition"] = (condition.text or "").strip()
    attributes = {local(k): v for k, v in node.attrib.items()
                  if local(k) not in ("id", "name") and DEFAULTS.get(local(k)) != v}
    if attributes.pop("calledElement", None) is not None:
        aspects["called element"] = node.get("calledElement")
    ends = [attributes.pop(k, "") for k in ("sourceRef", "targetRef")]
    if any(ends):
        aspects["flow"] = " -> ".join(ends)
    if attributes:
        aspects["attributes"] = json.dumps(attributes, sort_keys=True)
    for child in node:
        name = local(child.tag)
        if name in SKIPPED_CHILDREN or not name or (name in ARTIFACTS) or _is_element(child):
            continue
        aspect = ASPECT_OF_CHILD.get(name, "event" if name.endswith("EventDefinition") else "definition")
        aspects[aspect] = aspects.get(aspect, "") + _canonical(child)
    return tuple(sorted(aspects.items()))


def _is_element(node) -> bool:
    parent = node.getparent()
    return (isinstance(node.tag, str) and node.get("id") is not None and parent is not None
            and _ns(node.tag) == BPMN and local(parent.tag) in CONTAINERS and local(node.tag) not in ARTIFACTS)


def _name_messages(root) -> None:
    """Messages are declared outside the processes and matched by name: give every reference
    (messageRef) the name it points to, so a renamed message changes the events that use it."""
    names = {m.get("id"): m.get("name", "") for m in root.iter(f"{{{BPMN}}}message")}
    for node in root.iter():
        ref = node.get("messageRef") if isinstance(node.tag, str) else None
        if ref is not None:
            node.set("messageName", names.get(ref, ""))


def _parse(text):
    """The document's root, or None when it is not well-formed (it was checked at deployment)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text, parser)
    except etree.XMLSyntaxError:
        return None


def elements(xml_texts, forms: dict | None = None) -> dict[tuple[str, str], Element]:
    """Every flow element, flow and lane of the given BPMN documents, keyed by (process, id)."""
    found: dict[tuple[str, str], Element] = {}
    for root in (r for r in map(_parse, xml_texts) if r is not None):
        _name_messages(root)
        for process in root.iter(f"{{{BPMN}}}process"):
            pid = process.get("id", "")
            lanes = {}
            for lane in process.iter(f"{{{BPMN}}}lane"):
                found[(pid, lane.get("id"))] = Element(pid, lane.get("id"), "lane", lane.get("name", ""))
                for ref in lane.findall(f"{{{BPMN}}}flowNodeRef"):
                    lanes[(ref.text or "").strip()] = lane.get("name", "")
            for node in process.iter():
                if _is_element(node):
                    found[(pid, node.get("id"))] = Element(
                        pid, node.get("id"), local(node.tag), node.get("name", "") or "",
                        _aspects(node, lanes.get(node.get("id"), ""), forms or {}))
    return found


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _children(node, tag: str) -> list:
    """Children with this local name (DMN 1.1 to 1.5 differ in namespace, not in names)."""
    return [child for child in node if local(child.tag) == tag]


def _text_of(node) -> str:
    """The expression text of an entry or an input expression (its `text` child)."""
    return _flat("".join(child.text or "" for child in _children(node, "text")))


def _rule_summary(rule, labels: list[str], outputs: list[str]) -> str:
    """'满意率 >= 0.9 → "满意"': what a rule says, to recognise it in the list of changes."""
    when = [f"{label} {text}".strip() for label, text in
            zip(labels, (_text_of(e) for e in _children(rule, "inputEntry")), strict=False) if text and text != "-"]
    then = [f"{name}={text}" if len(outputs) > 1 else text for name, text in
            zip(outputs, (_text_of(e) for e in _children(rule, "outputEntry")), strict=False)]
    return f"{'，'.join(when) or '—'} → {'，'.join(then)}"


def _table_elements(file: str, decision, table) -> list[Element]:
    inputs, outputs = _children(table, "input"), _children(table, "output")
    expressions = [" ".join(_text_of(x) for x in _children(i, "inputExpression")) for i in inputs]
    labels = [i.get("label") or expression for i, expression in zip(inputs, expressions, strict=True)]
    names = [o.get("name") or o.get("label") or "" for o in outputs]
    found = [Element(file, decision.get("id", ""), "decision", decision.get("name", ""), (
        ("hit policy", _flat(f"{table.get('hitPolicy', 'UNIQUE')} {table.get('aggregation', '')}")),
        ("table inputs", json.dumps([[i.get("label", ""), e, i.get("id", "")] for i, e in zip(inputs, expressions,
                                                                                             strict=True)],
                                    ensure_ascii=False)),
        ("table outputs", json.dumps([[o.get("name", ""), o.get("label", ""), o.get("typeRef", "")] for o in outputs],
                                     ensure_ascii=False)),
    ))]
    for rule in _children(table, "rule"):
        found.append(Element(file, rule.get("id", ""), "rule", _rule_summary(rule, labels, names), (
            ("when", json.dumps([_text_of(e) for e in _children(rule, "inputEntry")], ensure_ascii=False)),
            ("then", json.dumps([_text_of(e) for e in _children(rule, "outputEntry")], ensure_ascii=False)),
            ("description", " ".join(_flat(d.text) for d in _children(rule, "description"))),
        )))
    return found


def dmn_elements(files: dict[str, str]) -> dict[tuple[str, str], Element]:
    """The decisions and the rules of their tables in the given DMN files, keyed by (file, id).

    A decision changes with its hit policy, its inputs or its outputs; each rule is an element of
    its own (conditions, results, description), so a table shows rules added, removed, changed.
    A decision without a table (a literal expression) changes with its whole definition."""
    found: dict[tuple[str, str], Element] = {}
    for file, text in sorted(files.items()):
        root = _parse(text)
        if root is None:
            continue
        for decision in (n for n in root.iter() if local(n.tag) == "decision"):
            tables = _children(decision, "decisionTable")
            items = _table_elements(file, decision, tables[0]) if tables else [Element(
                file, decision.get("id", ""), "decision", decision.get("name", ""),
                (("definition", _canonical(decision)),))]
            found.update(((file, item.id), item) for item in items)
    return found


def diff(old_files, new_files, old_forms: dict | None = None, new_forms: dict | None = None,
         old_dmn: dict | None = None, new_dmn: dict | None = None) -> VersionDiff:
    """Compare two versions given their BPMN texts, form definitions and DMN files ({name: text})."""
    before = {**elements(old_files, old_forms), **dmn_elements(old_dmn or {})}
    after = {**elements(new_files, new_forms), **dmn_elements(new_dmn or {})}
    result = VersionDiff()
    result.added = [after[k] for k in after if k not in before]
    result.removed = [before[k] for k in before if k not in after]
    for key, old in before.items():
        new = after.get(key)
        if new is None or new == old or (new.type == old.type == "rule" and new.aspects == old.aspects):
            continue  # (a rule's name is a summary of its entries: a renamed table input renames it too)
        # a rule's name is its summary: what changed in it is said by its conditions and results
        aspects = [a for a, v in (("type", old.type != new.type),
                                  ("name", old.name != new.name and new.type != "rule")) if v]
        old_aspects, new_aspects = dict(old.aspects), dict(new.aspects)
        aspects += sorted(a for a in set(old_aspects) | set(new_aspects) if old_aspects.get(a) != new_aspects.get(a))
        result.changed.append(Change(old, new, tuple(aspects)))
    return result


def version_files(version) -> list[str]:
    """The BPMN texts of a deployed version (its file first, then those of called processes)."""
    return [version.bpmn_xml] + [text for name, text in sorted((version.other_files or {}).items())
                                 if not name.endswith(".dmn")]


def version_dmn(version) -> dict[str, str]:
    return {name: text for name, text in (version.other_files or {}).items() if name.endswith(".dmn")}


def diff_versions(old, new) -> VersionDiff:
    return diff(version_files(old), version_files(new), old.forms or {}, new.forms or {},
                version_dmn(old), version_dmn(new))
