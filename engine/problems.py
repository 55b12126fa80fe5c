"""The problems a model check reports, each with a stable code and its parameters.

A problem's `message` is English, for logs and the command line; the web layer shows it in the
user's language from `code` and `params` instead (web/model_problems.py): it translates the code's
template (marked with `N_` so the catalog picks it up) and fills in the parameters. Parameters
are names, ids and numbers, left as they are, except these, which hold text to translate too:
`hint` and `reason` (a template of engine/foreign.py), `xml_error` (the XML parser's message),
`json_error` (the JSON parser's message) and `problem` (a message of the `forms` package or of
engine/connectors.py). Python's own error text (`error`) stays as it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import Problem


def N_(text: str) -> str:
    """Marks a template for the message catalog; the web layer translates it."""
    return text


TEMPLATES = {
    # reading the files
    "xml_declaration": N_("DOCTYPE and ENTITY declarations are not allowed (XML entities are refused)"),
    "xml_malformed": N_("malformed XML at line %(line)s, column %(column)s: %(xml_error)s"),
    "xml_invalid": N_("invalid XML: %(error)s"),
    "not_text": N_("the diagram contains characters that are not valid text"),
    "no_bpmn_file": N_("no BPMN file in the bundle"),
    "no_process": N_("the file defines no BPMN process"),
    "process_not_defined": N_("the file does not define the process '%(process)s'"),
    "process_id_invalid": N_("the process id '%(process)s' is not a plain name: use letters, digits, '_', '-' "
                             "or '.', starting with a letter or '_' (at most 100 characters)"),
    "no_executable": N_("no executable process (isExecutable=\"true\")"),
    "not_executable": N_("process '%(process)s' is not executable: set isExecutable=\"true\" to deploy it"),
    # the BPMN and DMN schemas
    "duplicate_id": N_("the id '%(id)s' is given to more than one element; each element needs an id of its own"),
    "attribute_missing": N_("%(tag)s: the attribute '%(attribute)s' is required but missing"),
    "element_unexpected": N_("the element %(tag)s is not allowed here"),
    "schema_invalid": N_("the file does not follow the BPMN or DMN schema: %(error)s"),
    # what SpiffWorkflow refuses
    "flow_unknown_target": N_("a sequence flow points to the unknown element '%(target)s'"),
    "no_start_event": N_("the process has no start event"),
    "called_process_missing": N_("the called process '%(process)s' was not found"),
    "parser_error": N_("the process engine refused this: %(error)s"),
    "parser_crash": N_("the file could not be read (%(kind)s: %(error)s)"),
    # scripts, conditions, expressions and templates
    "condition_syntax": N_("condition of the flow to '%(target)s': %(error)s"),
    "script_syntax": N_("script: %(error)s"),
    "prescript_syntax": N_("pre-script: %(error)s"),
    "postscript_syntax": N_("post-script: %(error)s"),
    "completion_condition_syntax": N_("completion condition: %(error)s"),
    "service_parameter_syntax": N_("parameter '%(name)s' of the service task: %(error)s"),
    "event_expression_syntax": N_("event expression: %(error)s"),
    "property_syntax": N_("property %(property)s: %(error)s"),
    "instructions_template": N_("instructions: %(error)s"),
    "title_template": N_("title: %(error)s"),
    "operation_problem": N_("service task: %(problem)s"),
    "multi_instance_input": N_("multi-instance task needs a collection or a cardinality"),
    # form files
    "form_missing": N_("form file '%(form)s' is not in the bundle"),
    "form_ambiguous": N_("form file '%(form)s' is ambiguous: %(files)s"),
    "form_not_utf8": N_("form '%(form)s' is not UTF-8 text"),
    "form_not_json": N_("form '%(form)s' is not valid JSON at line %(line)s, column %(column)s: %(json_error)s"),
    "form_not_object": N_("form '%(form)s' must be a JSON object"),
    "form_too_deep": N_("form '%(form)s' nests too deeply"),
    "form_check": "%(problem)s",  # the forms package's own message (translated as `problem`)
    "form_pair_check": "%(ui)s: %(problem)s",
    # BPMN from other modelers (engine/foreign.py)
    "foreign_attribute": N_("%(engine)s:%(name)s=\"%(value)s\" is not supported"),
    "foreign_attribute_hint": N_("%(engine)s:%(name)s=\"%(value)s\" is not supported; %(hint)s"),
    "foreign_element": N_("%(engine)s:%(name)s is not supported"),
    "foreign_element_hint": N_("%(engine)s:%(name)s is not supported; %(hint)s"),
    "unsupported_element": N_("%(name)s: %(reason)s"),
    "business_rule_without_decision": N_("%(kind)s: a business rule task needs a DMN decision "
                                          "(spiffworkflow:calledDecisionId) and its DMN file in the bundle"),
    "service_without_operation": N_("%(kind)s: a service task must call a Pingyi operation "
                                    "(spiffworkflow:serviceTaskOperator)"),
    "script_format": N_("%(kind)s: scripts are Python; scriptFormat '%(format)s' is not supported"),
    "expression_language": N_("%(name)s: expression language '%(language)s' is not supported; write Python"),
    "expression_juel": N_("%(name)s '%(text)s' is a JUEL expression; write Python, e.g. approved == True"),
    "expression_feel": N_("%(name)s '%(text)s' is a FEEL expression; write Python, e.g. approved == True"),
    "timer_literal": N_("%(name)s '%(text)s': a literal date or duration needs quotes (\"%(text)s\"), "
                        "timer expressions are Python"),
}
# the parameters holding text of their own to translate (see the module's docstring)
TRANSLATED_PARAMS = ("hint", "reason", "xml_error", "json_error", "problem")


@dataclass(frozen=True)
class CodedProblem(Problem):
    """A `Problem` that also says what kind it is (`code`) and what fills its message (`params`)."""

    code: str = ""
    params: dict = field(default_factory=dict, compare=False, hash=False)


def problem(file: str, code: str, element_id: str = "", line: int | None = None, **params) -> CodedProblem:
    """The problem `code` in `file`, on an element, at a line; `params` fill its template (which
    may name the line as `%(line)s` too)."""
    return CodedProblem(file, TEMPLATES[code] % {"line": line, **params}, element_id or "", line, code=code,
                        params=params)
