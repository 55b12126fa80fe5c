"""Problems of the model and form checks in the user's language (the modeler, the upload pages and
the form editor show them).

An engine problem carries a code and its parameters (engine/problems.py): its template is
translated and filled in. The `forms` package, engine/connectors.py and the XML and JSON parsers
report plain English sentences instead; `sentence` matches one against the templates below (a
`%(name)s` part matches any text, which is translated in turn when it is itself a sentence or a
type name), so it too is shown translated. A sentence no template matches is shown as it is.
"""
from __future__ import annotations

import json
import re
from functools import cache

from flask_babel import gettext

from engine.model_warnings import WARNINGS
from engine.problems import TEMPLATES, TRANSLATED_PARAMS
from web import expression_hints


def N_(text: str) -> str:
    """Marks a template for the message catalog."""
    return text


# where a message of the forms package is: tried before the sentences themselves
PLACES = (N_("field '%(path)s': %(problem)s"), N_("form: %(problem)s"), N_("UI schema: %(problem)s"))
SENTENCES = (
    # the forms package: forms/parser.py
    N_("a form schema must be a JSON object"),
    N_("a UI schema must be a JSON object"),
    N_("the form's schema must have type 'object'"),
    N_("unsupported keyword '%(key)s'"),
    N_("unsupported keyword '%(key)s' for type '%(type)s'"),
    N_("only JSON Schema draft-07 (or draft-06, draft-04) is supported in '$schema'"),
    N_("'properties' must be an object"),
    N_("'required' must be a list of field names"),
    N_("'required' names unknown field '%(name)s'"),
    N_("the UI schema names unknown field '%(name)s'"),
    N_("the UI schema names unknown field '%(name)s' (use 'items' for the entries of an array)"),
    N_("a condition tests unknown field '%(name)s'"),
    N_("a condition requires unknown field '%(name)s'"),
    N_("depends on '%(first)s' and '%(second)s' in ways that cannot be combined (one condition per field)"),
    N_("'ui:order' names unknown field '%(name)s'"),
    N_("its UI schema entry must be an object"),
    N_("its schema must be a JSON object"),
    N_("'default' does not fit type '%(type)s'"),
    N_("widget '%(widget)s' does not fit type '%(type)s'"),
    N_("a list of types is supported only as [TYPE, \"null\"]"),
    N_("missing 'type'"),
    N_("unsupported type '%(type)s'"),
    N_("'items' in the UI schema must be an object"),
    N_("an array needs 'items' as one schema"),
    N_("arrays of arrays are not supported"),
    N_("widget '%(widget)s' needs choices in 'items' (enum, oneOf or anyOf)"),
    N_("widget '%(widget)s' needs 'items' of type 'string' without choices"),
    N_("widget '%(widget)s' needs choices (enum, oneOf or anyOf)"),
    N_("widget '%(widget)s' cannot offer the choices of 'enum'/'oneOf'/'anyOf' (use select or radio)"),
    N_("a rating needs integer 'minimum' (default 1) and 'maximum' (default 5) within 0..10"),
    N_("'ui:options' key '%(key)s' does not apply to widget '%(widget)s'"),
    N_("a file field holding several attachments must be of type 'array' (and only then)"),
    N_("not a valid JSON Schema: %(error)s"),
    N_("not a valid JSON Schema: %(error)s (at %(at)s)"),
    # forms/keywords.py
    N_("field names must be plain identifiers (letters, digits, '_') not starting with '_'"),
    N_("field name '%(name)s' is reserved"),
    N_("unsupported UI keyword '%(key)s'"),
    N_("'%(key)s' must be a %(type_name)s"),
    N_("unsupported widget '%(widget)s'"),
    N_("'ui:order' must list field names"),
    N_("unsupported 'ui:options' key '%(key)s'"),
    N_("'ui:options' key '%(key)s' must be a %(type_name)s"),
    N_("'multipleOf' must be greater than 0"),
    N_("'pattern' is not a valid regular expression: %(error)s"),
    N_("unsupported format '%(format)s'"),
    N_("'%(key)s' must be true or false"),
    # forms/choices.py
    N_("use only one of 'enum', 'oneOf' and 'anyOf' (found %(found)s)"),
    N_("'enumNames' needs 'enum'"),
    N_("'%(key)s' must be a non-empty list"),
    N_("'options_from_task_data_var:' must name a task data variable"),
    N_("each entry of '%(key)s' must be an object with 'const' (or a one-value 'enum') and a 'title'"),
    N_("unsupported keyword '%(key)s' in a '%(list)s' entry"),
    N_("'enumNames' must list one title per 'enum' value"),
    # forms/conditions.py (`where` is "'then'", "'else'" or the next one)
    N_("the dependency on '%(name)s'"),
    N_("'dependencies' must be an object"),
    N_("'allOf' is supported only as a list of if/then/else conditions"),
    N_("the dependency on '%(name)s' must be a list of names or a schema"),
    N_("unsupported keyword '%(key)s' in %(where)s"),
    N_("'oneOf' in the dependency on '%(name)s' must be a list"),
    N_("each 'oneOf' alternative of the dependency on '%(name)s' must give '%(name)s' an enum or const"),
    N_("'then' and 'else' need an 'if'"),
    N_("'if' must test exactly one sibling field with 'const' or 'enum'"),
    N_("'if' must test '%(name)s' with 'const' or 'enum'"),
    N_("%(where)s must be a schema"),
    N_("%(where)s must have 'properties' as an object and 'required' as a list of names"),
    # forms/check.py
    N_("the form nests more than %(levels)s levels deep"),
    N_("must be a JSON object"),
    # engine/connectors.py
    N_("unknown service operation '%(name)s' (known: %(known)s)"),
    N_("operation '%(name)s' needs the parameter(s) %(params)s"),
    N_("operation '%(name)s' has no parameter(s) %(params)s"),
    # the XML parser (libxml2)
    N_("Document is empty"),
    N_("Start tag expected, '<' not found"),
    N_("Extra content at the end of the document"),
    N_("Opening and ending tag mismatch: %(open)s line %(open_line)s and %(close)s"),
    N_("Premature end of data in tag %(tag)s line %(tag_line)s"),
    N_("Couldn't find end of Start Tag %(tag)s line %(tag_line)s"),
    N_("StartTag: invalid element name"),
    N_("expected '>'"),
    N_("attributes construct error"),
    N_("AttValue: \" or ' expected"),
    N_("Attribute %(name)s redefined"),
    N_("Specification mandates value for attribute %(name)s"),
    N_("Unescaped '<' not allowed in attributes values"),
    N_("Entity '%(name)s' not defined"),
    N_("xmlParseEntityRef: no name"),
    # the JSON parser
    N_("Expecting value"),
    N_("Expecting property name enclosed in double quotes"),
    N_("Expecting ':' delimiter"),
    N_("Expecting ',' delimiter"),
    N_("Unterminated string starting at"),
    N_("Invalid control character at"),
    N_("Invalid \\escape"),
    N_("Invalid \\uXXXX escape"),
    N_("Extra data"),
)
TYPE_NAMES = {"string": N_("string"), "list": N_("list"), "object": N_("object"), "integer": N_("integer"),
              "boolean (true or false)": N_("boolean (true or false)"), "number": N_("number"),
              "non-negative integer": N_("non-negative integer"), "list or string": N_("list or string")}
_PARAM = re.compile(r"%\((\w+)\)s")


def _pattern(template: str) -> re.Pattern:
    parts, seen = [], set()
    for index, piece in enumerate(_PARAM.split(template)):
        if index % 2 == 0:
            parts.append(re.escape(piece))
        else:
            parts.append(f"(?P={piece})" if piece in seen else f"(?P<{piece}>.+?)")
            seen.add(piece)
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """The places first, then the sentences with the most fixed text first (the most specific)."""
    ordered = sorted(SENTENCES, key=lambda t: len(_PARAM.sub("", t)), reverse=True)
    return [(template, _pattern(template)) for template in (*PLACES, *ordered)]


def sentence(text: str) -> str:
    """An English sentence of the forms package, the connectors or a parser, translated."""
    for template, pattern in _patterns():
        found = pattern.fullmatch(text)
        if found:
            values = {name: _part(name, value) for name, value in found.groupdict().items()}
            return _filled(template, values, text)
    return text


def _filled(template: str, values: dict, fallback: str) -> str:
    """The translated template filled in; the English text should a translation not fit its values."""
    try:
        return gettext(template) % values
    except (KeyError, TypeError, ValueError):
        return fallback


def _part(name: str, value: str) -> str:
    if name in ("problem", "where"):
        return sentence(value)
    if name == "type_name" and value in TYPE_NAMES:
        return gettext(TYPE_NAMES[value])
    return value


def message(problem) -> str:
    """A problem's message in the user's language."""
    code = getattr(problem, "code", "")
    if code in WARNINGS:
        return _filled(WARNINGS[code], problem.params, problem.message)
    if code not in TEMPLATES:
        return sentence(problem.message)
    values = expression_hints.explain(code, {"line": problem.line, **problem.params})
    for name in TRANSLATED_PARAMS:
        if name in ("hint", "reason") and values.get(name):
            values[name] = gettext(values[name])
        elif values.get(name):
            values[name] = sentence(str(values[name]))
    return _filled(TEMPLATES[code], values, problem.message)


def as_dicts(problems) -> list[dict]:
    """The problems as the modeler and the problems page show them."""
    return [{"file": p.file, "element_id": p.element_id, "line": p.line, "message": message(p)} for p in problems]


def json_error(what: str, exc: ValueError) -> str:
    """Why a text is not JSON, with the line and column, in the user's language."""
    if isinstance(exc, json.JSONDecodeError):
        return gettext("%(what)s is not valid JSON at line %(line)s, column %(column)s: %(error)s",
                       what=what, line=exc.lineno, column=exc.colno, error=sentence(exc.msg))
    return gettext("%(what)s is not valid JSON: %(error)s", what=what, error=str(exc))
