"""The OpenAPI 3.1 description of /api/v1."""
from __future__ import annotations

TASK = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "element": {"type": "string"},
        "lane": {"type": ["string", "null"]}, "state": {"type": "string", "enum": ["open", "completed", "cancelled"]},
        "instance": {"type": "integer"}, "assignee": {"type": ["string", "null"]},
        "due_at": {"type": ["string", "null"], "format": "date-time"}, "priority": {"type": "integer"},
        "created_at": {"type": "string", "format": "date-time"}, "form": {"type": ["string", "null"]},
        "url": {"type": "string"},
    },
}
PROBLEM = {
    "type": "object",
    "required": ["status", "title", "code", "detail"],
    "properties": {
        "status": {"type": "integer"},
        "title": {"type": "string", "description": "the HTTP status in English words"},
        "code": {"type": "string", "description": "what kind of problem, stable for programs: invalid_input, "
                                                  "not_found, permission_denied, conflict, task_already_completed, "
                                                  "task_held, task_ended, instance_frozen, script_error, … or "
                                                  "http_<status> (http_401, http_405, http_413, …)"},
        "detail": {"type": "string", "description": "for people, in the token user's language"},
        "errors": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "by field path (body for the request body itself): a short code (required, "
                                  "object, text, too_deep, unknown, read_only_changed, …) or, for a value the "
                                  "form's JSON Schema refuses, the schema validator's message"},
        "reference": {"type": "string", "description": "a server error's number, for the administrator"}},
}


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict:
    return {str(code): {"description": "problem", **_json({"$ref": "#/components/schemas/Problem"})}
            for code in codes}


def document() -> dict:
    task_ref = {"$ref": "#/components/schemas/Task"}
    task_id = [{"name": "task_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Pingyi (评议通) API", "version": "1.0.0",
                 "description": "Start processes, list and complete tasks. Authenticate with "
                                "`Authorization: Bearer <token>`; tokens act for their user."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Task": TASK, "Problem": PROBLEM},
        },
        "paths": {
            "/instances": {"post": {
                "summary": "Start the latest version of a process",
                "requestBody": {"required": True, **_json({
                    "type": "object", "required": ["process_id"],
                    "properties": {"process_id": {"type": "string"}, "data": {"type": "object"},
                                   "title": {"type": "string"}, "business_key": {"type": "string"}}})},
                "responses": {"201": {"description": "started", **_json({
                    "type": "object", "properties": {"id": {"type": "integer"}, "process_id": {"type": "string"},
                                                     "status": {"type": "string"},
                                                     "tasks": {"type": "array", "items": task_ref}}})},
                              **_errors(400, 401, 403, 404, 405, 413)}}},
            "/tasks": {"get": {
                "summary": "My tasks (tab: mine, group, completed)",
                "parameters": [{"name": n, "in": "query", "schema": {"type": t}} for n, t in
                               (("tab", "string"), ("q", "string"), ("process", "string"), ("due", "string"),
                                ("sort", "string"), ("page", "integer"), ("per_page", "integer"))],
                "responses": {"200": {"description": "a page of tasks", **_json({
                    "type": "object", "properties": {"total": {"type": "integer"}, "page": {"type": "integer"},
                                                     "pages": {"type": "integer"},
                                                     "tasks": {"type": "array", "items": task_ref}}})},
                              **_errors(401)}}},
            "/tasks/{task_id}": {"get": {
                "summary": "A task with its form (JSON Schema and UI schema) and current data",
                "parameters": task_id,
                "responses": {"200": {"description": "the task", **_json({"type": "object"})},
                              **_errors(401, 403, 404)}}},
            "/tasks/{task_id}/claim": {"post": {
                "summary": "Take a task offered to me or my group",
                "parameters": task_id,
                "responses": {"200": {"description": "claimed", **_json({"type": "object"})},
                              **_errors(401, 403, 404, 409)}}},
            "/tasks/{task_id}/submit": {"post": {
                "summary": "Complete a task with its form data",
                "description": "Read-only fields keep the task's data whatever is sent. Rows of a repeating "
                               "group with read-only parts are sent back with those parts as the task gives "
                               "them (they say which row is which); a row whose read-only part matches no row "
                               "of the task is refused with 400.",
                "parameters": task_id,
                "requestBody": {"required": True, **_json({
                    "type": "object", "required": ["data"],
                    "properties": {"data": {"type": "object"}, "reason": {"type": "string"}}})},
                "responses": {"200": {"description": "completed", **_json({"type": "object"})},
                              **_errors(400, 401, 403, 404, 405, 409, 413)}}},
        },
    }
