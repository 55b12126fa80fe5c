"""The sandbox for BPMN scripts, conditions and expressions.

SpiffWorkflow's default environment is plain `eval`/`exec` with every Python builtin, so a
model could run `__import__('os')`. Here every script and expression is compiled by
RestrictedPython (no imports, no class definitions, no names or attributes starting with `_`,
no frame/code inspection attributes) and runs with an explicit allow-list of builtins and
helper functions. Compiled code is cached by source text.

`render_text` renders Jinja (instructions for end users) in Jinja's immutable sandbox.
"""
from __future__ import annotations

import json
import operator
import re
from functools import lru_cache

from jinja2.sandbox import ImmutableSandboxedEnvironment
from RestrictedPython import RestrictingNodeTransformer, compile_restricted
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr,
)
from RestrictedPython.Limits import limited_range
from RestrictedPython.PrintCollector import PrintCollector
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from engine import connectors, dates
from engine.errors import EngineError

# Names a model may never use, refused when the model is deployed (and unavailable at run time).
FORBIDDEN_NAMES = frozenset({
    "open", "exec", "eval", "compile", "__import__", "globals", "locals", "vars", "getattr",
    "setattr", "delattr", "type", "object", "input", "breakpoint", "help", "memoryview",
    "super", "classmethod", "staticmethod", "property",
})


class Policy(RestrictingNodeTransformer):
    """RestrictedPython's policy, with imports and class definitions refused outright."""

    def visit_Import(self, node):
        self.error(node, "import statements are not allowed")
        return node

    def visit_ImportFrom(self, node):
        self.error(node, "import statements are not allowed")
        return node

    def visit_ClassDef(self, node):
        self.error(node, "class definitions are not allowed")
        return node

    def visit_Name(self, node):
        if node.id in FORBIDDEN_NAMES:
            self.error(node, f'"{node.id}" is not allowed')
        return super().visit_Name(node)

    def visit_Attribute(self, node):
        if node.attr in ("format", "format_map"):
            self.error(node, f'".{node.attr}()" is not allowed; use f-strings or "+"')
        return super().visit_Attribute(node)


class SandboxError(SyntaxError):
    """Code the sandbox refuses to compile; `lineno` is the first offending line."""

    def __init__(self, messages: list[str]):
        self.messages = [m.split(": ", 1)[1] if LINE_PREFIX.match(m) else m for m in messages]
        match = LINE_PREFIX.match(messages[0]) if messages else None
        super().__init__("; ".join(self.messages))
        self.lineno = int(match.group(1)) if match else 1


LINE_PREFIX = re.compile(r"^Line (\d+): ")


@lru_cache(maxsize=4096)
def _compile(source: str, mode: str):
    try:
        return compile_restricted(source, filename="<string>", mode=mode, policy=Policy)
    except SyntaxError as exc:
        messages = exc.args[0] if exc.args and isinstance(exc.args[0], (tuple, list)) else [str(exc)]
        raise SandboxError(list(messages)) from None


def compile_code(source: str, mode: str):
    """Compile with the restricting policy; raises SandboxError naming the line of each problem."""
    return _compile(source, mode)


def check(source: str, mode: str) -> tuple[str, int | None] | None:
    """Lint a script ('exec') or an expression ('eval'): None when fine, else (message, line)."""
    try:
        compile_code(source, mode)
    except SandboxError as exc:
        return ("; ".join(exc.messages), exc.lineno)
    return None


_INPLACE = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
    "|=": operator.ior, "&=": operator.iand,
}


def _inplacevar(op, target, value):
    if op not in _INPLACE:
        raise SyntaxError(f"operator {op} is not allowed")
    return _INPLACE[op](target, value)


def _getitem(container, key):
    return container[key]


SAFE_BUILTINS = {
    "None": None, "True": True, "False": False,
    "abs": abs, "all": all, "any": any, "bool": bool, "dict": dict, "divmod": divmod,
    "enumerate": enumerate, "filter": filter, "float": float, "int": int, "isinstance": isinstance,
    "len": len, "list": list, "map": map, "max": max, "min": min, "range": limited_range,
    "reversed": reversed, "round": round, "set": set, "sorted": sorted, "str": str, "sum": sum,
    "tuple": tuple, "zip": zip,
    "Exception": Exception, "ValueError": ValueError, "KeyError": KeyError,
    "TypeError": TypeError, "IndexError": IndexError,
}

HELPERS = {
    "add_months": dates.add_months,
    "add_days": dates.add_days,
    "today": dates.today,
    "now": dates.now_iso,
    "end_of_day": dates.end_of_day,
    "start_of_day": dates.start_of_day,
    "days_between": dates.days_between,
    "parse_date": dates.parse,
}

GUARDS = {
    "_getattr_": safer_getattr,
    "_getitem_": _getitem,
    "_getiter_": iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
    "_print_": PrintCollector,
}


def _strip_private(context: dict) -> dict:
    return {k: v for k, v in context.items() if not k.startswith("_")}


class SandboxEnvironment(TaskDataEnvironment):
    """A SpiffWorkflow script environment that runs everything through RestrictedPython."""

    def __init__(self):
        super().__init__({"__builtins__": SAFE_BUILTINS, **GUARDS, **HELPERS})

    def evaluate(self, expression, context, external_context=None):
        code = compile_code(expression, "eval")
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(_strip_private(context))
        return eval(code, scope)  # noqa: S307 - restricted code, restricted globals

    def execute(self, script, context, external_context=None):
        self.check_for_overwrite(context, external_context or {})
        code = compile_code(script, "exec")
        for key in [k for k in context if k.startswith("_")]:
            context.pop(key)
        context.update(self.globals)
        context.update(external_context or {})
        try:
            exec(code, context)  # noqa: S102 - restricted code, restricted globals
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
            context.pop("_print", None)
        return True


class SandboxScriptEngine(PythonScriptEngine):
    """Scripts in the sandbox; service tasks call the registered operations (engine.connectors)."""

    def call_service(self, task, operation_name=None, operation_params=None, **_ignored):
        params = {name: value["value"] for name, value in (operation_params or {}).items()}
        try:
            result = connectors.call(operation_name, params, getattr(task.task_spec, "result_variable", None), task)
        except (connectors.OperationError, EngineError) as exc:
            raise WorkflowTaskException(f"Service operation '{operation_name}' failed: {exc}", task=task,
                                        exception=exc) from exc
        return json.dumps(result, ensure_ascii=False, default=str)


def make_script_engine() -> PythonScriptEngine:
    return SandboxScriptEngine(environment=SandboxEnvironment())


_jinja = ImmutableSandboxedEnvironment(autoescape=False)


@lru_cache(maxsize=1024)
def _template(text: str):
    return _jinja.from_string(text)


def render_text(template: str, data: dict) -> str:
    """Render a Jinja template (instructions, titles) from task data, sandboxed."""
    if "{" not in template:
        return template
    return _template(template).render(**_strip_private(data))


def render_check(template: str) -> None:
    """Raise jinja2.TemplateSyntaxError when a template does not parse."""
    _jinja.parse(template)
