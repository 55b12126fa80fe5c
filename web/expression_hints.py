"""What a syntax error in an expression or a template written in the modeler means, in the user's
language: Python's and Jinja's own sentences ("leading zeros in decimal integer literals…") say
little to an administrator who typed a date or a group name without quotes."""
from __future__ import annotations

import re

from flask_babel import gettext

EXPRESSION_CODES = frozenset({"condition_syntax", "script_syntax", "prescript_syntax", "postscript_syntax",
                              "completion_condition_syntax", "service_parameter_syntax", "event_expression_syntax",
                              "property_syntax"})
SCRIPT_CODES = frozenset({"script_syntax", "prescript_syntax", "postscript_syntax"})  # where = assigns
TEMPLATE_CODES = frozenset({"title_template", "instructions_template"})
_STATEMENT = re.compile(r"^SyntaxError: .*? at statement: (?P<q>['\"])(?P<text>.*)(?P=q)$", re.DOTALL)
_SINGLE_EQUALS = re.compile(r"(?<![=!<>])=(?!=)")


def _expression(code: str, values: dict, error: str) -> str:
    found = _STATEMENT.match(error)
    if not found:
        return error
    text, prop = found.group("text"), values.get("property")
    if prop == "candidates":
        hint = gettext("this is not Python: write the candidates in quotes, e.g. 'group:评议办', or a list such as "
                       "['user:zhangwei', 'group:评议办']")
    elif prop == "dueAt":
        hint = gettext("this is not Python: write a date in quotes ('2026-12-01') or an expression such as "
                       "add_days(plan_due, 30)")
    elif code not in SCRIPT_CODES and "==" not in text and _SINGLE_EQUALS.search(text):
        hint = gettext("a comparison is written with ==, e.g. decision == 'pass'")
    else:
        hint = gettext("this is not valid Python: check the quotes, brackets and operators")
    return gettext("%(hint)s (you wrote: %(text)s)", hint=hint, text=text)


def _template(error: str) -> str:
    if error.lower().startswith("unexpected end of template"):
        return gettext("the template is not finished: every {{ needs its }} and every {%% if %%} or {%% for %%} its "
                       "{%% endif %%} or {%% endfor %%}")
    unexpected = re.match(r"^unexpected '(.+)'$", error)
    if unexpected:
        return gettext("unexpected '%(char)s': a value is written as {{ name }}, a tag as {%% if … %%}",
                       char=unexpected.group(1))
    return gettext("the template cannot be read (%(error)s)", error=error)


def explain(code: str, values: dict) -> dict:
    """`values` with its `error` explained, for the codes of expressions and templates."""
    error = str(values.get("error") or "")
    if code in EXPRESSION_CODES and error:
        return {**values, "error": _expression(code, values, error)}
    if code in TEMPLATE_CODES and error:
        return {**values, "error": _template(error)}
    return values
