"""Rule sets as data: administrators edit a rule set's JSON and see the rule in words before saving.
Ballots keep the rules they were opened with, so a change applies to new ballots only."""
from __future__ import annotations

import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from engine import rules
from engine.errors import InvalidInput
from engine.services import ballots
from web.db import get_session

bp = Blueprint("rule_sets", __name__, url_prefix="/ballots/rules")

FIELD_PROBLEMS = {
    "options": _l("Options need a unique code each (not “invalid”), a label of at most 64 characters, valid as "
                  "true or false, and scores that are numbers between -1000000 and 1000000."),
    "rate_denominator": _l("rate_denominator is one of: valid, all_ballots, present, all_members."),
    "grade": _l("grade needs a method: majority (with a denominator, what exactly half means – fails or passes – "
                "and levels, each with a grade, the known options it counts and a share between 0 and 1) or "
                "score_bands ([minimum score, grade] pairs), and otherwise: the grade when none is reached."),
    "groups": _l("groups.mode is pooled, or weighted with weights for committee and deputy only, each at least "
                 "0 and one above 0."),
    "quorum": _l("quorum is none or majority."),
}


@bp.get("/")
@login_required
def index():
    if not ballots.may_see_results(current_user):
        abort(403)
    return render_template("ballots/rules.html", rule_sets=ballots.rule_sets(get_session()),
                           describe=rules.describe, may_edit=current_user.is_admin)


@bp.get("/create")
@login_required
def create():
    if not current_user.is_admin:
        abort(403)
    code = request.args.get("code", "").strip()
    if not _good_code(code):
        flash(_("A code has 1–64 letters, digits, “-” or “_”."), "danger")
        return redirect(url_for("rule_sets.index"))
    return redirect(url_for("rule_sets.edit", code=code))


def _good_code(code: str) -> bool:
    return 0 < len(code) <= 64 and code.replace("-", "").replace("_", "").isascii() \
        and code.replace("-", "").replace("_", "").isalnum()


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _parse(text: str) -> tuple[dict | None, dict]:
    try:
        definition = json.loads(text, parse_constant=_no_constant)  # NaN and Infinity are refused
    except RecursionError:
        return None, {"definition": _("The rule set is nested too deeply.")}
    except ValueError as exc:
        return None, {"definition": _("This is not valid JSON (line %(line)s, column %(column)s).",
                                      line=getattr(exc, "lineno", "?"), column=getattr(exc, "colno", "?"))}
    if not isinstance(definition, dict):
        return None, {"definition": _("The rule set must be a JSON object.")}
    definition.pop("name", None)
    try:
        rules.check(definition)
    except InvalidInput as exc:
        return None, {f"definition.{k}": str(FIELD_PROBLEMS.get(k, k)) for k in exc.errors}
    return definition, {}


@bp.route("/<code>", methods=["GET", "POST"])
@login_required
def edit(code: str):
    if not current_user.is_admin:
        abort(403)
    if not _good_code(code):
        abort(404)
    session = get_session()
    known = ballots.rule_sets(session)
    current = dict(known.get(code) or rules.PRESETS["default"])
    name = request.form.get("name", current.pop("name", code)).strip()[:255]
    text = request.form.get("definition") or json.dumps(current, ensure_ascii=False, indent=2)
    definition, errors = _parse(text)
    preview = None
    if definition is not None:
        preview = {"rule": rules.describe(definition), "tally": rules.tally(definition, _sample(definition),
                                                                              members=25)}
    if request.method == "POST" and not errors and not name:
        errors = {"name": _("A name is required.")}
    if request.method == "POST" and not errors and request.form.get("_action") == "save":
        ballots.save_rule_set(session, code, name, definition, current_user)
        session.commit()
        flash(_("The rule set is saved. Ballots opened from now on use it."), "success")
        return redirect(url_for("rule_sets.index"))
    status = 422 if request.method == "POST" and errors else 200
    return render_template("ballots/rule_edit.html", code=code, name=name, text=text, errors=errors,
                           preview=preview, is_new=code not in known), status


def _sample(definition: dict) -> dict:
    """A made-up count (25 members, 21 ballots) on this rule set's options, for the preview."""
    codes = [o["code"] for o in definition["options"]]
    counts = dict(zip(codes, (12, 6, 2, 1, 1), strict=False))
    return {"committee": {**counts, rules.INVALID: 1}}
