"""Parse, validate and lint a bundle of BPMN, DMN and form files.

`check_bundle(files)` returns one `ParsedProcess` per executable process, or raises
`DeploymentError` listing every problem with its file, element id and line. Nothing here
touches the database.

XML is parsed by us, before SpiffWorkflow sees it, with a parser that loads no DTD, resolves
no entity and reaches no network; any DOCTYPE or ENTITY declaration is refused outright
(billion laughs, external entities).
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from jinja2 import TemplateSyntaxError
from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.spiff.parser import VALIDATOR, SpiffBpmnParser

from engine import connectors, foreign, script_env
from engine.errors import DeploymentError, Problem
from engine.problems import problem

BPMN_SUFFIXES = (".bpmn", ".bpmn20.xml")
DMN_SUFFIXES = (".dmn",)
FORM_PROPERTIES = ("formJsonSchemaFilename", "formUiSchemaFilename")
# spiff properties we read as sandboxed expressions (see engine/assignment.py)
EXPRESSION_PROPERTIES = ("candidates", "dueAt", "priority")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_PLACE = re.compile(r",? line \d+, column (\d+)$")  # how libxml2 ends its message (kept apart, as numbers)
_NAMESPACE = re.compile(r"\{(?:https?|urn):[^}]*\}")
_SCHEMA_ERRORS = (  # libxml2's schema messages that are common enough to say plainly
    (re.compile(r"Element '(?P<tag>[^']+)', attribute 'id': '(?P<id>[^']*)' is not a valid value of the "
                r"atomic type 'xs:ID'"), "duplicate_id"),
    (re.compile(r"Element '(?P<tag>[^']+)': The attribute '(?P<attribute>[^']+)' is required but missing"),
     "attribute_missing"),
    (re.compile(r"Element '(?P<tag>[^']+)': This element is not expected"), "element_unexpected"),
)
_SAFE_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                            dtd_validation=False, huge_tree=False, remove_blank_text=False)


@dataclass
class ParsedProcess:
    process_id: str
    name: str
    file_name: str
    bpmn_xml: str
    other_files: dict[str, str]
    forms: dict[str, dict]
    spec: object
    subprocess_specs: dict
    content_hash: str
    is_startable: bool = True
    start_lane: str | None = None
    start_form_key: str | None = None
    start_ui_form_key: str | None = None
    form_pairs: list = field(default_factory=list)  # (bpmn file, element, line, schema name, ui name)


@dataclass
class _Context:
    files: dict[str, bytes]
    problems: list[Problem] = field(default_factory=list)
    trees: dict[str, etree._ElementTree] = field(default_factory=dict)
    lines: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, file: str, code: str, element_id: str = "", line: int | None = None, **params):
        if not line and element_id:
            line = self.lines.get(file, {}).get(element_id)
        self.problems.append(problem(file, code, element_id, line, **params))

    def element_at(self, file: str, line: int | None) -> str:
        """The id of the first element starting on `line` of `file`, or of the nearest one around it."""
        tree = self.trees.get(file)
        if tree is None or not line:
            return ""
        node = next((el for el in tree.iter() if isinstance(el.tag, str) and el.sourceline == line), None)
        while node is not None and not node.get("id"):
            node = node.getparent()
        return node.get("id", "") if node is not None else ""


def read_bundle(directory: str | Path) -> dict[str, bytes]:
    """Every BPMN, DMN and JSON file under `directory`, keyed by its relative POSIX path."""
    root = Path(directory)
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name.endswith(BPMN_SUFFIXES + DMN_SUFFIXES + (".json",)):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def parse_xml(name: str, content: bytes) -> etree._ElementTree:
    """Parse untrusted XML safely; raises DeploymentError for declarations or bad syntax."""
    match = _DECLARATION.search(content)
    if match:
        line = content.count(b"\n", 0, match.start()) + 1
        raise DeploymentError([problem(name, "xml_declaration", line=line)])
    parser = etree.XMLParser(**_SAFE_PARSER_OPTIONS)
    try:
        return etree.ElementTree(etree.fromstring(content, parser))
    except etree.XMLSyntaxError as exc:
        place = _PLACE.search(exc.msg or "")
        column = int(place.group(1)) if place else (exc.offset or 0) + 1
        raise DeploymentError([problem(name, "xml_malformed", line=exc.lineno, column=column,
                                       xml_error=_PLACE.sub("", exc.msg or ""))]) from None


def check_bundle(files: dict[str, bytes]) -> list[ParsedProcess]:
    ctx = _Context(files=files)
    bpmn_names = [n for n in files if n.endswith(BPMN_SUFFIXES)]
    dmn_names = [n for n in files if n.endswith(DMN_SUFFIXES)]
    if not bpmn_names:
        raise DeploymentError([problem("(bundle)", "no_bpmn_file")])
    for name in bpmn_names + dmn_names:
        try:
            tree = parse_xml(name, files[name])
        except DeploymentError as exc:
            ctx.problems.extend(exc.problems)
            continue
        ctx.trees[name] = tree
        ctx.lines[name] = {el.get("id"): el.sourceline for el in tree.iter() if isinstance(el.tag, str)
                           and el.get("id")}
        if name in bpmn_names:
            ctx.problems.extend(foreign.problems(name, tree))
    if ctx.problems:
        raise DeploymentError(ctx.problems)

    parser = SpiffBpmnParser(validator=VALIDATOR)
    for name in dmn_names:
        _guard(ctx, name, lambda n=name: parser.add_dmn_xml(ctx.trees[n].getroot(), filename=n))
    for name in bpmn_names:
        _guard(ctx, name, lambda n=name: parser.add_bpmn_xml(ctx.trees[n], filename=n))
    if ctx.problems:
        raise DeploymentError(ctx.problems)

    parsed = []
    called = set(parser.get_process_dependencies())
    for process_id in parser.get_process_ids():
        process_parser = parser.get_process_parser(process_id)
        file_name = process_parser.filename
        result = _guard(ctx, file_name, lambda pid=process_id: (
            parser.get_spec(pid), parser.get_subprocess_specs(pid)))
        if result is None:
            continue
        spec, subspecs = result
        pairs: list = []
        forms = _lint_specs(ctx, parser, [spec, *[s for s in subspecs.values() if s is not None]], pairs)
        item = _assemble(ctx, parser, process_id, spec, subspecs, forms, is_startable=process_id not in called)
        item.form_pairs = pairs
        parsed.append(item)
    if ctx.problems:
        raise DeploymentError(ctx.problems)
    if not parsed:
        named = [p for name in bpmn_names for p in foreign.not_executable(name, ctx.trees[name])]
        raise DeploymentError(named or [problem(bpmn_names[0], "no_executable")])
    return parsed


def _guard(ctx: _Context, file_name: str, action):
    """Run a SpiffWorkflow parser step, turning its exceptions into located problems."""
    try:
        return action()
    except ValidationException as exc:
        file = exc.file_name or file_name
        element = exc.id or ""
        line = exc.line_number if isinstance(exc.line_number, int) and exc.line_number else None
        if not element and not line:
            element, file = _element_from_message(ctx, str(exc), file)
        code, params = _coded(exc.args[0] if exc.args else str(exc))
        if code in ("duplicate_id", "attribute_missing", "element_unexpected", "schema_invalid"):
            element = params.get("id") or element or ctx.element_at(file, line)
        ctx.add(file, code, element, line, **params)
    except etree.LxmlError as exc:
        ctx.add(file_name, "xml_invalid", error=str(exc))
    except Exception as exc:  # whatever SpiffWorkflow trips over is a refusal, never a crash
        ctx.add(file_name, "parser_crash", kind=type(exc).__name__, error=str(exc))
    return None


def _coded(text: str) -> tuple[str, dict]:
    """(code, params) for a message of SpiffWorkflow's parser or of the XML schema it checks against."""
    if "we found two items, perhaps a form has the same ID" in text:
        return "flow_unknown_target", {"target": text.rsplit("(", 1)[-1].rstrip(")")}
    if text.startswith("No start event found"):
        return "no_start_event", {}
    called = re.match(r"The process '([^']+)' was not found", text)
    if called:
        return "called_process_missing", {"process": called.group(1)}
    if not text.startswith("Element '"):
        return "parser_error", {"error": text}
    text = _NAMESPACE.sub("", text)
    for pattern, code in _SCHEMA_ERRORS:
        found = pattern.match(text)
        if found:
            return code, found.groupdict()
    return "schema_invalid", {"error": text}


def _element_from_message(ctx: _Context, text: str, default_file: str) -> tuple[str, str]:
    """For errors SpiffWorkflow does not locate (e.g. an unknown called process), find the element."""
    quoted = re.findall(r"'([^']+)'", text)
    for name, lines in ctx.lines.items():
        for tree_name in quoted:
            tree = ctx.trees[name]
            hits = tree.xpath("//*[@calledElement=$v]", v=tree_name)
            if hits:
                return hits[0].get("id", ""), name
            if tree_name in lines:
                return tree_name, name
    return "", default_file


def _lint_specs(ctx: _Context, parser, specs, pairs: list) -> dict[str, dict]:
    """Check every condition, script, expression, instruction and form a process uses."""
    forms: dict[str, dict] = {}
    for spec in specs:
        file_name = spec.file
        for task_spec in spec.task_specs.values():
            element = getattr(task_spec, "bpmn_id", None) or ""
            if not element:
                continue
            for source, mode, what in _code_of(task_spec):
                failure = script_env.check(source, mode)
                if failure:
                    ctx.add(file_name, what[0], element, error=failure[0], **what[1])
            ext = getattr(task_spec, "extensions", None) or {}
            props = ext.get("properties", {}) or {}
            for code, template in (("instructions_template", ext.get("instructionsForEndUser")),
                                   ("title_template", props.get("title"))):
                if template:
                    try:
                        script_env.render_check(template)
                    except TemplateSyntaxError as exc:
                        ctx.add(file_name, code, element, error=exc.message)
            for prop in EXPRESSION_PROPERTIES:
                if props.get(prop):
                    failure = script_env.check(props[prop], "eval")
                    if failure:
                        ctx.add(file_name, "property_syntax", element, property=prop, error=failure[0])
            for prop in FORM_PROPERTIES:
                if props.get(prop):
                    _load_form(ctx, file_name, element, props[prop], forms)
            if props.get("formJsonSchemaFilename"):
                pairs.append((file_name, element, ctx.lines.get(file_name, {}).get(element),
                              props["formJsonSchemaFilename"], props.get("formUiSchemaFilename")))
            if getattr(task_spec, "operation_name", None) is not None:
                for text in connectors.problems(task_spec.operation_name, task_spec.operation_params or {}):
                    ctx.add(file_name, "operation_problem", element, problem=text)
            if isinstance(task_spec, MultiInstanceTask) and task_spec.data_input is None \
                    and task_spec.cardinality is None:
                ctx.add(file_name, "multi_instance_input", element)
    return forms


def _code_of(task_spec):
    """(source, mode, (problem code, params)) for each piece of Python a task spec carries."""
    for condition, target in getattr(task_spec, "cond_task_specs", None) or []:
        if condition is not None:
            yield condition.args[0], "eval", ("condition_syntax", {"target": target})
    script = getattr(task_spec, "script", None)
    if script:
        yield script, "exec", ("script_syntax", {})
    for attr in ("prescript", "postscript"):
        if getattr(task_spec, attr, None):
            yield getattr(task_spec, attr), "exec", (f"{attr}_syntax", {})
    if getattr(task_spec, "condition", None):
        yield task_spec.condition, "eval", ("completion_condition_syntax", {})
    for name, param in (getattr(task_spec, "operation_params", None) or {}).items():
        yield str(param.get("value", "")), "eval", ("service_parameter_syntax", {"name": name})
    event = getattr(task_spec, "event_definition", None)
    if event is not None and getattr(event, "expression", None):
        yield event.expression, "eval", ("event_expression_syntax", {})


def _load_form(ctx: _Context, file_name: str, element: str, form_name: str, forms: dict):
    if form_name in forms:
        return
    matches = [n for n in ctx.files if PurePosixPath(n).name == form_name]
    if not matches:
        ctx.add(file_name, "form_missing", element, form=form_name)
        return
    if len(matches) > 1:
        ctx.add(file_name, "form_ambiguous", element, form=form_name, files=", ".join(matches))
        return
    try:
        form = json.loads(ctx.files[matches[0]].decode("utf-8"))
    except UnicodeDecodeError:
        ctx.add(matches[0], "form_not_utf8", element, form=form_name)
        return
    except json.JSONDecodeError as exc:
        ctx.add(matches[0], "form_not_json", element, exc.lineno, form=form_name, column=exc.colno,
                json_error=exc.msg)
        return
    except RecursionError:
        ctx.add(matches[0], "form_too_deep", element, form=form_name)
        return
    if not isinstance(form, dict):
        ctx.add(matches[0], "form_not_object", element, form=form_name)
        return
    forms[form_name] = form


def _assemble(ctx, parser, process_id, spec, subspecs, forms, is_startable) -> ParsedProcess:
    main_file = parser.get_process_parser(process_id).filename
    other = {}
    for sub_id in subspecs:
        sub_parser = parser.get_process_parser(sub_id)
        if sub_parser is not None and sub_parser.filename != main_file:
            other[sub_parser.filename] = ctx.files[sub_parser.filename].decode("utf-8")
    for dmn_parser in parser.dmn_parsers.values():
        if dmn_parser.filename in ctx.files and _uses_decision(spec, subspecs, dmn_parser):
            other[dmn_parser.filename] = ctx.files[dmn_parser.filename].decode("utf-8")
    main_xml = ctx.files[main_file].decode("utf-8")
    digest = hashlib.sha256()
    for name, text in [(main_file, main_xml), *sorted(other.items())]:
        digest.update(f"{name}\0{text}\0".encode())
    for name, form in sorted(forms.items()):  # key order counts: a form's fields show in it
        digest.update(f"{name}\0{json.dumps(form, ensure_ascii=False)}\0".encode())
    start = _start_event(spec)
    props = ((getattr(start, "extensions", None) or {}).get("properties") or {}) if start is not None else {}
    return ParsedProcess(
        process_id=process_id, name=spec.description or process_id, file_name=main_file,
        bpmn_xml=main_xml, other_files=other, forms=forms, spec=spec, subprocess_specs=subspecs,
        content_hash=digest.hexdigest(), is_startable=is_startable,
        start_lane=getattr(start, "lane", None), start_form_key=props.get("formJsonSchemaFilename"),
        start_ui_form_key=props.get("formUiSchemaFilename"))


def _start_event(spec):
    """The process's plain start event (not one started by a message, timer or signal)."""
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, StartEvent) and isinstance(task_spec.event_definition, NoneEventDefinition):
            return task_spec
    return None


def _uses_decision(spec, subspecs, dmn_parser) -> bool:
    if dmn_parser.decision is None:
        return False
    table_ids = {table.id for table in dmn_parser.decision.decisionTables}
    for one in [spec, *subspecs.values()]:
        for task_spec in (one.task_specs.values() if one is not None else ()):
            engine = getattr(task_spec, "dmnEngine", None)
            if engine is not None and engine.decision_table.id in table_ids:
                return True
    return False


def check_forms(parsed: list[ParsedProcess], files: dict[str, bytes], checker, pair_checker=None) -> None:
    """Let the form package refuse definitions: `checker(name, form) -> [messages]` per file, and
    `pair_checker(schema, ui) -> [messages]` per user task (a UI schema against its schema)."""
    problems, seen = [], set()
    for item in parsed:
        for name, form in item.forms.items():
            if name in seen:
                continue
            seen.add(name)
            path = next((n for n in files if PurePosixPath(n).name == name), name)
            problems.extend(problem(path, "form_check", problem=message) for message in checker(name, form))
        if pair_checker is None:
            continue
        for file_name, element, line, schema_name, ui_name in item.form_pairs:
            if (schema_name, ui_name) in seen or schema_name not in item.forms or not ui_name \
                    or ui_name not in item.forms:
                continue
            seen.add((schema_name, ui_name))
            for message in pair_checker(item.forms[schema_name], item.forms[ui_name]):
                problems.append(problem(file_name, "form_pair_check", element, line, ui=ui_name, problem=message))
    if problems:
        raise DeploymentError(problems)
