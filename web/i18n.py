"""Languages: Chinese (zh_CN) by default, English by a switch kept in the session."""
from __future__ import annotations

import functools

from babel import support
from flask import Blueprint, redirect, request, session
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.i18n import messages_path

from engine.services import users
from web.db import get_session
from web.opinion_kit import RATINGS, SOURCES
from web.security import safe_next

LANGUAGES = {"zh_CN": "中文", "en": "English"}
DEFAULT = "zh_CN"

bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
        return current_user.locale
    return DEFAULT


@bp.get("/lang/<code>")
def switch(code: str):
    if code in LANGUAGES:
        session["lang"] = code
        if getattr(current_user, "is_authenticated", False):
            users.set_locale(get_session(), current_user, code)
            get_session().commit()
    return redirect(safe_next(request.args.get("next")))


# Messages for engine error codes, shown to users (engine messages themselves are English).
ERROR_MESSAGES = {
    "not_found": _l("This page or item does not exist."),
    "permission_denied": _l("You may not do this."),
    "conflict": _l("Someone changed this in the meantime; please reload and try again."),
    "instance_changed": _l("Someone changed this process in the meantime; please reload and try again."),
    "task_already_completed": _l("This task was already completed by %(by)s."),
    "task_held": _l("%(holder)s holds this task now."),
    "task_ended": _l("The process has ended this task; it cannot be done any more."),
    "instance_frozen": _l("This process is suspended or has ended; its tasks cannot be worked on now."),
    "invalid_input": _l("Some answers are missing or invalid."),
    "deployment_failed": _l("The deployment was refused."),
    "script_error": _l("The process stopped with an error."),
    "no_message_recipient": _l("No process is waiting for this message."),
}


EVENT_NAMES = {
    "instance_started": _l("Process started"),
    "instance_failed": _l("Stopped with an error"),
    "instance_retried": _l("Failed step run again"),
    "instance_suspended": _l("Process suspended"),
    "instance_resumed": _l("Process resumed"),
    "instance_terminated": _l("Process terminated"),
    "task_completed": _l("Task completed"),
    "task_claimed": _l("Task claimed"),
    "task_unclaimed": _l("Task released"),
    "task_reassigned": _l("Task reassigned"),
    "task_cancelled": _l("Task ended by the process"),
    "task_draft_saved": _l("Draft saved"),
    "timer_fired": _l("Deadline or reminder reached"),
    "message_received": _l("Message received"),
    "attachment_uploaded": _l("File uploaded"),
    "attachment_removed": _l("File removed"),
    "version_deployed": _l("Process version deployed"),
    "instance_migrated": _l("Process moved to a newer version"),
    "instance_migration_refused": _l("Move to a newer version refused"),
    "process_draft_saved": _l("Diagram draft saved"),
    "process_draft_discarded": _l("Diagram draft discarded"),
    "process_draft_deployed": _l("Diagram draft deployed"),
    "process_form_saved": _l("Form saved in a draft"),
    "ballot_opened": _l("Vote opened"),
    "ballot_adopted": _l("Open vote taken over by the process"),
    "ballot_turnout": _l("Who voted"),
    "ballot_closed": _l("Vote closed and counted"),
    "ballot_voided": _l("Vote declared void"),
    "ballot_announced": _l("Result announced"),
    "paper_ballots_issued": _l("Paper ballots issued"),
    "paper_count_entered": _l("Paper ballots counted by a teller"),
    "rule_set_saved": _l("Counting rules changed"),
    "channel_created": _l("Opinion channel created"),
    "channel_items_changed": _l("Content items of an opinion channel changed"),
    "channel_closed": _l("Opinion channel closed"),
    "channel_reopened": _l("Opinion channel reopened"),
    "deputy_code_issued": _l("Deputy code issued"),
    "deputy_code_revoked": _l("Deputy code revoked and reissued"),
    "opinion_received": _l("Opinion received"),
    "opinion_entered": _l("Paper opinion entered"),
    "opinion_classified": _l("Opinion classified"),
    "opinion_merged": _l("Opinion merged"),
    "opinion_unmerged": _l("Opinion no longer merged"),
    "opinion_adopted": _l("Opinion adopted"),
    "opinion_unadopted": _l("Opinion no longer adopted"),
    "opinion_noted": _l("Note on an opinion"),
    "term_plan_submitted": _l("Term plan submitted to the Party group"),
    "term_plan_approved": _l("Term plan approved"),
    "term_plan_returned": _l("Term plan returned for changes"),
    "term_plan_draft": _l("Term plan saved as a draft"),
    "publication_published": _l("Published on the public page"),
    "publication_withdrawn": _l("Publication withdrawn"),
    "auditor_viewed": _l("Viewed by an auditor"),
    "user_created": _l("User created"),
    "password_changed": _l("Password changed"),
    "signed_out_everywhere": _l("Signed out on every device"),
    "user_deactivated": _l("Account deactivated"),
    "user_activated": _l("Account activated again"),
    "user_updated": _l("Account changed"),
    "password_reset": _l("Temporary password given"),
    "notification_sent": _l("Notification sent"),
    "group_created": _l("Group created"),
    "group_member_added": _l("Added to a group"),
    "group_member_removed": _l("Removed from a group"),
    "api_token_created": _l("API token created"),
    "api_token_revoked": _l("API token revoked"),
    "department_created": _l("Department added"),
    "department_updated": _l("Department changed"),
    "office_created": _l("Committee office added"),
    "office_updated": _l("Committee office changed"),
    "observer_created": _l("Observer unit added"),
    "observer_updated": _l("Observer unit changed"),
    "member_created": _l("Committee member added"),
    "member_updated": _l("Committee member changed"),
    "deputy_created": _l("Deputy added"),
    "deputy_updated": _l("Deputy changed"),
    "org_imported": _l("Organisation list imported"),
}


def event_name(event_type: str) -> str:
    return str(EVENT_NAMES.get(event_type, event_type))


# Keys the application itself writes into event data (claims, status changes, publications);
# a process's own data is named by its forms (engine/labels.py).
DATA_KEYS = {
    "assignee": _l("Assignee"), "status": _l("Status"), "version": _l("Version"), "payload": _l("Content"),
    "intro": _l("Introduction"), "period": _l("Period"), "start": _l("From"), "end": _l("To"),
    "departments": _l("Departments"), "content_items": _l("Content items"), "channels": _l("How to give your opinion"),
    "contact": _l("Contact"), "meeting_date": _l("Meeting date"), "rule": _l("Counting rules"), "rows": _l("Rows"),
    "rank": _l("Rank"), "department": _l("Department"), "score": _l("Score"), "grade": _l("Grade"),
    "flagged": _l("follow up"), "notes": _l("Notes"), "items": _l("Problems and their rectification"),
    "problem": _l("Problem"), "measure": _l("Measures"), "evidence": _l("Evidence"),
    "report_summary": _l("Rectification report"), "reevaluation": _l("Re-evaluation"), "text": _l("Text"),
    # what a channel received (the service operation opinions.summary)
    "total": _l("Total"), "by_rating": _l("By rating"), "by_item": _l("By content item"),
    "adopted": _l("Adopted opinions"), "content_item": _l("Content item"), **RATINGS, **SOURCES,
    # a vote's result as the process receives it (engine/services/counting.py)
    "ballot": _l("Vote number"), "subject": _l("Evaluated"), "void_reason": _l("Why the round is void"),
    "counts": _l("Votes"), "rates": _l("Shares of the valid votes"), "basic": _l("Basically satisfied"),
    "invalid": _l("Invalid"), "combined_rate": _l("Satisfied and basically satisfied, share"),
}


def data_key_name(key: str) -> str | None:
    name = DATA_KEYS.get(key)
    return str(name) if name is not None else None


# WTForms' own messages that the dynamic forms show, listed here so that the project's catalog gives
# them its wording; any other WTForms message is worded by WTForms' catalog (see BabelTranslations)
WTFORMS_WORDING = (
    _l("Not a valid integer value."), _l("Not a valid float value."), _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."), _l("Number must be between %(min)s and %(max)s."),
    _l("Invalid Choice: could not coerce."), _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("This field cannot be edited."), _l("This field is disabled and cannot have a value."),
)


@functools.cache
def _wtforms_catalog(locale: str) -> support.Translations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class BabelTranslations:
    """WTForms' translation hook: the project's catalog first (Flask-Babel's), then WTForms' own for
    the messages ours lacks. Every form uses it (see one_wording_for_every_form), so a message such as
    "This field is required." reads the same on all of them.
    (Not flask_babel.ngettext: that one also formats the text, which WTForms does itself.)"""

    def gettext(self, string):
        text = get_translations().gettext(string)
        return text if text != string else _wtforms_catalog(str(get_locale())).gettext(string)

    def ngettext(self, singular, plural, n):
        text = get_translations().ngettext(singular, plural, n)
        return text if text not in (singular, plural) else _wtforms_catalog(str(get_locale())).ngettext(
            singular, plural, n)

    ugettext, ungettext = gettext, ngettext  # the names Flask-WTF calls


@bp.before_app_request
def one_wording_for_every_form():
    """Flask-WTF's forms (accounts, org, opinions...) find their translations on the request
    (flask_wtf.i18n): give them the same as the dynamic forms."""
    request.wtforms_translations = BabelTranslations()
