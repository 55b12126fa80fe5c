"""Publishing on the public pages (公开), and withdrawing what was published.

The office (administrators and group 评议办) publishes by hand; a deployed process publishes
through the service operation `public.publish` (`by_process=True`). A withdrawn publication
stays, marked with the date and the reason, so nobody's link goes silently dead.

Body shapes by kind (dates as ISO strings; any text may span several lines):
- notice:        {"intro", "period": {"start", "end"}, "departments": [{"name", "content_items": [...],
                  "opinion_url"?, "slug"?}], "channels", "contact"}
- results:       {"meeting_date", "rule", "rows": [{"rank", "department", "score", "grade", "flagged"}], "notes"}
- rectification: {"department", "items": [{"problem", "measure", "status", "evidence"?}], "report_summary",
                  "reevaluation"?: {"grade", "score"}}
- other:         {"text"}
"""
from __future__ import annotations

import json
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput, NotFound
from engine.models import OpinionChannel, Publication, User
from engine.models.publications import KINDS
from engine.permissions import require_reason
from engine.serializer import json_safe
from engine.services.opinion_channels import is_staff, require_staff

TITLE_MAX, REASON_MAX, BODY_MAX = 255, 2000, 200_000
# the lists a body of each kind may hold: (key, what each entry must be)
LISTS = {"notice": (("departments", dict),), "results": (("rows", dict),), "rectification": (("items", dict),)}


def path(public_id: str) -> str:
    """Where a publication's page is (the web layer serves /public/p/<public_id>)."""
    return f"/public/p/{public_id}"


def may_publish(user: User | None) -> bool:
    return is_staff(user)


def may_read_list(user: User | None) -> bool:
    """The office's list of publications (withdrawn ones too): the office, and auditors reading."""
    return is_staff(user) or bool(user is not None and user.is_active and user.is_auditor)


def _body(kind: str, body) -> dict:
    if kind == "other" and isinstance(body, str):
        body = {"text": body}
    if not isinstance(body, dict):
        raise InvalidInput("The body of a publication is an object.", errors={"body": "invalid"})
    body = json_safe(body)
    for key, entry in LISTS.get(kind, ()):
        value = body.get(key)
        if value is not None and not (isinstance(value, list) and all(isinstance(v, entry) for v in value)):
            raise InvalidInput(f"'{key}' of a {kind} is a list of objects.", errors={f"body.{key}": "invalid"})
    for department in body.get("departments") or []:
        items = department.get("content_items")
        if items is not None and not isinstance(items, list):
            raise InvalidInput("'content_items' of a department is a list.", errors={"body.content_items": "invalid"})
    if len(json.dumps(body, ensure_ascii=False)) > BODY_MAX:
        raise InvalidInput("The body of the publication is too long.", errors={"body": "too_long"})
    return body


def _optional(value, limit: int, name: str) -> str | None:
    text = str(value).strip() if value is not None else ""
    if len(text) > limit:
        raise InvalidInput(f"'{name}' has at most {limit} characters.", errors={name: "too_long"})
    return text or None


def publish(session: Session, *, year: int, kind: str, title: str, body, actor: User | None,
            department_key: str | None = None, department_name: str | None = None, instance=None,
            by_process: bool = False) -> Publication:
    """Publish on the public page. `by_process`: a deployed model's service task publishes (the model was
    deployed by an administrator; `actor`, who moved the process on, is only recorded)."""
    if not by_process:
        require_staff(actor, "publish on the public page")
    errors = {}
    if kind not in KINDS:
        errors["kind"] = "invalid"
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        errors["year"] = "invalid"
    title = (title or "").strip() if isinstance(title, str) else ""
    if not title:
        errors["title"] = "required"
    elif len(title) > TITLE_MAX:
        errors["title"] = "too_long"
    if errors:
        raise InvalidInput("The publication is incomplete.", errors=errors)
    publication = Publication(
        public_id=secrets.token_urlsafe(12), year=year, kind=kind, title=title, body=_body(kind, body),
        department_key=_optional(department_key, 64, "department_key"),
        department_name=_optional(department_name, 128, "department_name"), published_at=clock.now(),
        published_by_id=actor.id if actor is not None else None,
        instance_id=instance.id if instance is not None else None)
    session.add(publication)
    session.flush()
    audit.record(session, "publication_published", actor, instance=instance, after=publication.body, details={
        "publication": publication.public_id, "year": year, "kind": kind, "title": title,
        "department_key": publication.department_key, "department_name": publication.department_name,
        "by_process": by_process})
    return publication


def withdraw(session: Session, public_id: str, reason: str | None, actor: User) -> Publication:
    """Take a publication back: its page then says it was withdrawn, when, and why."""
    require_staff(actor, "withdraw publications")
    text = require_reason(reason, "withdraw a publication")
    if len(text) > REASON_MAX:
        raise InvalidInput(f"A reason has at most {REASON_MAX} characters.", errors={"reason": "too_long"})
    publication = get(session, public_id)
    if publication.is_withdrawn:
        raise Conflict("This publication was already withdrawn.", publication=public_id, reason="withdrawn")
    publication.withdrawn_at, publication.withdrawn_by_id = clock.now(), actor.id
    publication.withdraw_reason = text
    session.flush()
    audit.record(session, "publication_withdrawn", actor, reason=text, details={
        "publication": public_id, "year": publication.year, "kind": publication.kind, "title": publication.title})
    return publication


def get(session: Session, public_id: str) -> Publication:
    found = session.scalar(select(Publication).where(Publication.public_id == public_id))
    if found is None:
        raise NotFound("No such publication.", publication=public_id)
    return found


def years(session: Session) -> list[tuple[int, int]]:
    """(year, number of publications) for every year with publications, newest first."""
    rows = session.execute(select(Publication.year, func.count()).group_by(Publication.year)
                           .order_by(Publication.year.desc()))
    return [(row[0], row[1]) for row in rows]


def for_year(session: Session, year: int) -> list[Publication]:
    """A year's publications, withdrawn ones included: by kind (notice first), then oldest first."""
    found = session.scalars(select(Publication).where(Publication.year == year)
                            .order_by(Publication.published_at, Publication.id))
    return sorted(found, key=lambda p: KINDS.index(p.kind) if p.kind in KINDS else len(KINDS))


def grouped(publications: list[Publication]) -> list[tuple[str, list[Publication]]]:
    """[(kind, publications)] in the order of KINDS, kinds without publications left out."""
    return [(kind, [p for p in publications if p.kind == kind]) for kind in KINDS
            if any(p.kind == kind for p in publications)]


def recent(session: Session, limit: int = 200) -> list[Publication]:
    return list(session.scalars(select(Publication).order_by(Publication.published_at.desc(), Publication.id.desc())
                                .limit(limit)))


def notice_departments(session: Session, year: int) -> list[dict]:
    """The year's open opinion channels as the departments of a notice (their 评议码 printed on it)."""
    channels = session.scalars(select(OpinionChannel).where(OpinionChannel.year == year,
                                                            OpinionChannel.is_open.is_(True))
                               .order_by(OpinionChannel.department_key, OpinionChannel.id))
    return [{"name": c.department_name, "content_items": list(c.content_items or []), "slug": c.slug,
             "opinion_url": f"/o/{c.slug}"} for c in channels]
