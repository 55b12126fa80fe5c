"""The words of the editor's side panel (static/modeler.js builds the panel; the words are
translated here, where Babel finds them)."""
from __future__ import annotations

from flask_babel import gettext as _


def labels() -> dict[str, str]:
    return {
        "process": _("Process"), "element": _("Element"), "id": _("Id"), "type": _("Type"), "name": _("Element name"),
        "processName": _("Process name (users see it: start page, inbox, instances)"),
        "documentation": _("Documentation"), "lane": _("Lane"), "noLane": _("(no lane: whoever started it)"),
        "form": _("Form (JSON Schema)"), "uiForm": _("Form layout (UI schema)"), "none": _("(none)"),
        "editForm": _("Edit this form"), "newForm": _("New form…"), "uploadForm": _("Upload a form file (.json)"),
        "instructions": _("Instructions (Jinja, e.g. {{ department }})"),
        "title": _("Inbox title (Jinja)"),
        "candidates": _("Candidates (expression: 'group:NAME', 'user:NAME' or a list)"),
        "assignee": _("Assignee (expression giving a user name)"),
        "due": _("Due (dueAt expression)"), "dueHelper": _("Helper:"), "plus": _("plus"),
        "months": _("calendar months"), "days": _("days"), "use": _("Use"),
        "variable": _("variable, e.g. issued_on"),
        "priority": _("Priority (expression: 0 normal, 1 high, 2 urgent)"),
        "confidential": _("Confidential: of those working on one department, only this task's own people see "
                          "what it records"),
        "timer": _("Timer"), "timeDate": _("at a date (timeDate)"),
        "timeDuration": _("after a duration (timeDuration)"),
        "timeCycle": _("repeating (timeCycle)"),
        "timerHint": _("A Python expression: quote literal durations (\"P10D\"); a date needs its offset "
                       "(end_of_day gives one)."),
        "condition": _("Condition (Python expression)"),
        "defaultFlow": _("Default flow (taken when no condition holds)"),
        "script": _("Script (Python)"), "preScript": _("Script before the task (Python)"),
        "postScript": _("Script after the task (Python)"),
        "multiInstance": _("Multi-instance"), "sequential": _("One after another (sequential)"),
        "collection": _("Collection (input variable)"), "elementVariable": _("Element variable"),
        "outputCollection": _("Output collection"), "outputElement": _("Output element variable"),
        "completionCondition": _("Completion condition"),
        "cardinality": _("Number of instances (instead of a collection)"),
        "service": _("Service operation"), "operation": _("Operation"), "resultVariable": _("Result variable"),
        "parameters": _("Parameters (Python expressions; quote literal text)"), "required": _("required"),
        "calledElement": _("Called process (process id)"), "decision": _("DMN decision id"),
        "message": _("Message"), "messageVariable": _("Variable that receives the payload"),
        "messagePayload": _("Payload (Python expression)"),
        "sectionForm": _("Form"), "sectionTask": _("Who, what, by when"), "sectionScripts": _("Scripts"),
        "sectionFlow": _("Sequence flow"),
        "selectHint": _("Select an element in the diagram to edit it; with nothing selected you edit the process."),
        "saved": _("Draft saved."), "unsaved": _("Unsaved changes."), "saving": _("Saving…"),
        "checking": _("Checking…"), "noProblems": _("No problems: the draft can be deployed."),
        "problems": _("Problems"), "warning": _("Warning"), "warnings": _("Warnings (deploying still works)"),
        "mayStart": _("Who may start the process:"),
        "startLane": _("the members of the group “{lane}” (the lane of its start event), and administrators."),
        "startAdmins": _("only administrators: its start event is in no lane. Put it in a lane named after a group "
                         "to let that group start the process."),
        "deploying": _("Deploying…"), "failed": _("The request failed:"),
        "confirmDeploy": _("Deploy the draft as a new version? New instances start on it; running ones stay on "
                           "their version."),
        "zoomIn": _("Zoom in"), "zoomOut": _("Zoom out"), "zoomFit": _("Show the whole diagram"),
        "leave": _("Leave without saving the draft?"), "otherFile": _("in another file"),
        "loadFailed": _("The diagram could not be opened."),
        "noLayout": _("This model has no diagram layout (BPMNDiagram), so the editor cannot draw it. Upload a "
                      ".bpmn file exported with its diagram from a modeling tool."),
    }
