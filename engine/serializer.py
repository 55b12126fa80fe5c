"""The one configured SpiffWorkflow serializer.

Built from a copy of the spiff config (the library's dict is never mutated), with `date` and
`Decimal` registered. Instances are stored without their spec: the spec lives once per
process version, and is put back before loading.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.serializer import DEFAULT_CONFIG as SPIFF_CONFIG

from engine.script_env import make_script_engine

_registry = BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG))
_registry.register(date, lambda v: {"value": v.isoformat()}, lambda d: date.fromisoformat(d["value"]),
                   typename="date")
_registry.register(Decimal, lambda v: {"value": str(v)}, lambda d: Decimal(d["value"]), typename="Decimal")

SERIALIZER = BpmnWorkflowSerializer(_registry)
SERIALIZER_VERSION = SERIALIZER.VERSION
SPEC_KEYS = ("spec", "subprocess_specs")


def dump_spec(spec, subprocess_specs) -> str:
    """The process spec and its called processes as one JSON document."""
    return json.dumps({
        "spec": SERIALIZER.to_dict(spec),
        "subprocess_specs": {name: SERIALIZER.to_dict(s) for name, s in subprocess_specs.items()},
    })


def load_spec(spec_json: str):
    doc = json.loads(spec_json)
    spec = SERIALIZER.from_dict(doc["spec"])
    subs = {name: SERIALIZER.from_dict(s) for name, s in doc["subprocess_specs"].items()}
    return spec, subs


def dump_workflow(workflow) -> str:
    """The workflow as JSON, without its spec."""
    doc = SERIALIZER.to_dict(workflow)
    for key in SPEC_KEYS:
        doc.pop(key, None)
    return json.dumps(doc, separators=(",", ":"))


def load_workflow(workflow_json: str, spec_json: str, version: str):
    """Rebuild a workflow from its JSON and its version's spec JSON; attach the sandbox.

    Both documents are parsed afresh on every load: SpiffWorkflow's converters consume the
    dicts they are given, so a parsed spec must never be shared between loads.
    """
    doc = json.loads(workflow_json)
    doc.update(json.loads(spec_json))
    doc["serializer_version"] = version
    SERIALIZER.migrate(doc)
    workflow = SERIALIZER.from_dict(doc)
    workflow.script_engine = make_script_engine()
    return workflow


def json_safe(value):
    """Task data as plain JSON values (dates as ISO strings, decimals as strings)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)
