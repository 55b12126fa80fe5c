"""The direction of dependencies (see ARCHITECTURE.md), checked on the source with `ast`.

    engine ─╳─▶ web, forms, Flask        forms ─╳─▶ engine, web, Flask, SQLAlchemy
    SpiffWorkflow is imported only inside engine/.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("engine", "forms", "web")
FLASK_WORLD = ("flask", "werkzeug")  # `flask` also matches flask_login, flask_wtf, flask_babel, flask_limiter...


def _forbidden(package: str, module: str) -> str | None:
    """Why `package` may not import `module` (a dotted absolute name), or None when it may."""
    top = module.split(".")[0]
    if package != "engine" and top == "SpiffWorkflow":
        return "SpiffWorkflow is imported only inside engine/"
    if package == "engine":
        if top in ("web", "forms"):
            return f"engine must not import {top}"
        if top.startswith(FLASK_WORLD):
            return "engine must not import Flask or Werkzeug"
    if package == "forms":
        if top in ("engine", "web"):
            return f"forms must not import {top}"
        if top.startswith("flask"):
            return "forms must not import Flask"
        if top == "sqlalchemy":
            return "forms must not import SQLAlchemy"
    return None


def _imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in the tree, including ones inside functions."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            # A relative import (level > 0) stays inside its own top-level package: nothing to check.
            if node.level == 0 and node.module:
                yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
                and isinstance(node.args[0].value, str):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name in ("import_module", "__import__"):
                yield node.lineno, node.args[0].value


def import_violations(source: str, filename: str, package: str) -> list[str]:
    """Every forbidden import in `source` (a file of `package`), as 'file:line: module (reason)'."""
    tree = ast.parse(source, filename=filename)
    found = []
    for line, module in _imported_modules(tree):
        reason = _forbidden(package, module)
        if reason:
            found.append((line, f"{filename}:{line}: {module} ({reason})"))
    return [message for _, message in sorted(found, key=lambda item: item[0])]


def source_files() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        directory = ROOT / package
        if directory.is_dir():  # forms/ may not exist yet
            for path in sorted(directory.rglob("*.py")):
                yield package, path


def test_imports_follow_the_direction_of_dependencies():
    files = list(source_files())
    assert any(package == "engine" for package, _ in files), "the scan found no engine source"
    violations = []
    for package, path in files:
        violations += import_violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), package)
    assert violations == [], "Imports against the architecture:\n" + "\n".join(violations)


@pytest.mark.parametrize(("package", "source", "expected"), [
    ("engine", "import os\nimport flask\n", ["engine/x.py:2: flask"]),
    ("engine", "from flask_login import current_user\n", ["engine/x.py:1: flask_login"]),
    ("engine", "import flask_wtf, flask_babel.speaklater\n",
     ["engine/x.py:1: flask_wtf", "engine/x.py:1: flask_babel.speaklater"]),
    ("engine", "def f():\n    from flask_limiter import Limiter\n", ["engine/x.py:2: flask_limiter"]),
    ("engine", "from werkzeug.exceptions import NotFound\n", ["engine/x.py:1: werkzeug.exceptions"]),
    ("engine", "from web.db import get_session\n", ["engine/x.py:1: web.db"]),
    ("engine", "import forms.builder as b\n", ["engine/x.py:1: forms.builder"]),
    ("engine", "import importlib\nm = importlib.import_module('flask')\n", ["engine/x.py:2: flask"]),
    ("forms", "from engine.models import User\n", ["forms/x.py:1: engine.models"]),
    ("forms", "import web\n", ["forms/x.py:1: web"]),
    ("forms", "from flask import request\n", ["forms/x.py:1: flask"]),
    ("forms", "from sqlalchemy.orm import Session\n", ["forms/x.py:1: sqlalchemy.orm"]),
    ("forms", "from SpiffWorkflow.bpmn import BpmnWorkflow\n", ["forms/x.py:1: SpiffWorkflow.bpmn"]),
    ("web", "from SpiffWorkflow.bpmn.workflow import BpmnWorkflow\n", ["web/x.py:1: SpiffWorkflow.bpmn.workflow"]),
    ("web", "import SpiffWorkflow\n", ["web/x.py:1: SpiffWorkflow"]),
])
def test_a_forbidden_import_is_reported_with_file_and_line(package, source, expected):
    violations = import_violations(source, f"{package}/x.py", package)
    assert [v.split(" (")[0] for v in violations] == expected


@pytest.mark.parametrize(("package", "source"), [
    ("engine", "import sqlalchemy\nfrom SpiffWorkflow.bpmn import BpmnWorkflow\nfrom . import clock\n"),
    ("engine", "from engine.db import Base\nimport jsonschema\n"),
    ("forms", "import wtforms\nimport jsonschema\nfrom forms.registry import builders\n"),
    ("web", "from flask import Flask\nfrom engine.services import users\nfrom forms import build\n"),
])
def test_allowed_imports_are_not_reported(package, source):
    assert import_violations(source, f"{package}/x.py", package) == []
