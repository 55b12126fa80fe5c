"""Opinion channels (评议码): one per department evaluation, and who may do what with one.

Roles on a channel, checked by every service that touches it:
- "staff": administrators and the evaluation office (group 评议办) — everything, on every channel;
- "group": members of the channel's investigation group — see everything, classify, merge, adopt;
- "department": members of the department's group — the opinions without authors;
- "auditor": auditors, on every channel — without the citizens' names, phones and photos, with who
  entered a paper opinion and the group's notes (who did what);
- None: nothing (PermissionDenied).
"""
from __future__ import annotations

import secrets

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from engine.models import Group, Opinion, OpinionChannel, User

OFFICE_GROUP = "评议办"
MAX_ITEMS = 60
MANAGERS = ("staff", "group")


def group_names(user: User) -> set[str]:
    return {group.name for group in user.groups}


def is_staff(user: User | None) -> bool:
    return bool(user is not None and user.is_active and not user.is_auditor
                and (user.is_admin or OFFICE_GROUP in group_names(user)))


def require_staff(user: User | None, action: str) -> None:
    if not is_staff(user):
        raise PermissionDenied(f"Only the evaluation office may {action}.", action=action)


def role(channel: OpinionChannel, user: User | None) -> str | None:
    if user is None or not user.is_active:
        return None
    if is_staff(user):
        return "staff"
    if user.is_auditor:
        return "auditor"
    names = group_names(user)
    if channel.investigation_group in names:
        return "group"
    if channel.department_group in names:
        return "department"
    return None


def require_role(channel: OpinionChannel, user: User | None, *allowed: str) -> str:
    """The user's role on the channel, which must be one of `allowed` (any role when none given)."""
    found = role(channel, user)
    if found is None or (allowed and found not in allowed):
        raise PermissionDenied("You may not see or change the opinions of this channel.", channel=channel.id)
    return found


def get_channel(session: Session, channel_id: int) -> OpinionChannel:
    channel = session.get(OpinionChannel, channel_id)
    if channel is None:
        raise NotFound("No such opinion channel.", channel=channel_id)
    return channel


def by_slug(session: Session, slug: str) -> OpinionChannel:
    channel = session.scalar(select(OpinionChannel).where(OpinionChannel.slug == slug))
    if channel is None:
        raise NotFound("No such opinion channel.", channel=slug)
    return channel


def channels_for(session: Session, user: User) -> list[OpinionChannel]:
    """The channels a user may open, newest year first."""
    query = select(OpinionChannel).order_by(OpinionChannel.year.desc(), OpinionChannel.department_name,
                                          OpinionChannel.id)
    if not (is_staff(user) or user.is_auditor):
        names = group_names(user)
        query = query.where(or_(OpinionChannel.investigation_group.in_(names),
                                OpinionChannel.department_group.in_(names)))
    return list(session.scalars(query))


def open_channels(session: Session, year: int | None = None) -> list[OpinionChannel]:
    query = select(OpinionChannel).where(OpinionChannel.is_open.is_(True))
    if year is not None:
        query = query.where(OpinionChannel.year == year)
    return list(session.scalars(query.order_by(OpinionChannel.year.desc(), OpinionChannel.department_name,
                                               OpinionChannel.id)))


def clean_items(items) -> list[str]:
    """Content items as a list of distinct, non-empty strings (order kept)."""
    if isinstance(items, str):
        items = items.splitlines()
    cleaned: list[str] = []
    for item in items or []:
        text = str(item).strip()
        if text and text not in cleaned:
            if len(text) > 255:
                raise InvalidInput("A content item has at most 255 characters.", errors={"content_items": "too_long"})
            cleaned.append(text)
    if len(cleaned) > MAX_ITEMS:
        raise InvalidInput(f"At most {MAX_ITEMS} content items.", errors={"content_items": "too_many"})
    return cleaned


def create_channel(session: Session, *, year: int, department_name: str, department_key: str,
                   department_group: str, investigation_group: str, content_items, actor: User | None,
                   by_process: bool = False, instance=None) -> OpinionChannel:
    """`by_process`: a deployed model's service task creates it (the model was deployed by an
    administrator; `actor`, who moved the process on, is only recorded; `instance` the process's)."""
    if not by_process:
        require_staff(actor, "create opinion channels")
    values = {"department_name": (department_name or "").strip(), "department_key": (department_key or "").strip(),
              "department_group": (department_group or "").strip(),
              "investigation_group": (investigation_group or "").strip()}
    errors = {name: "required" for name, value in values.items() if not value}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = "invalid"
    for field in ("department_group", "investigation_group"):
        if values[field] and session.scalar(select(Group.id).where(Group.name == values[field])) is None:
            errors[field] = "no_such_group"
    if errors:
        raise InvalidInput("The channel is incomplete.", errors=errors)
    if session.scalar(select(OpinionChannel.id).where(OpinionChannel.year == year,
                                                      OpinionChannel.department_key == values["department_key"])):
        raise Conflict("This department already has an opinion channel this year.", key=values["department_key"])
    channel = OpinionChannel(slug=secrets.token_urlsafe(9), year=year, content_items=clean_items(content_items),
                             is_open=True, created_by_id=actor.id if actor is not None else None, **values)
    session.add(channel)
    session.flush()
    audit.record(session, "channel_created", actor, instance=instance, details={
        "channel": channel.id, "year": year, "department": channel.department_name,
        "department_key": channel.department_key, "department_group": channel.department_group,
        "investigation_group": channel.investigation_group, "content_items": channel.content_items,
        **({"by_process": True} if by_process else {})})
    return channel


def set_items(session: Session, channel: OpinionChannel, content_items, actor: User | None,
              instance=None) -> OpinionChannel:
    """Give a channel the content items of the evaluation it now serves (a process reusing a channel
    the office opened by hand): the items given, then any item that opinions are filed under already
    (so no opinion loses its item). Run by a process only (see create_channel's `by_process`)."""
    items = clean_items(content_items)
    used = session.scalars(select(Opinion.content_item).distinct().where(
        Opinion.channel_id == channel.id, Opinion.content_item.is_not(None)).order_by(Opinion.content_item))
    items += [item for item in used if item and item not in items]
    if not items or items == list(channel.content_items or []):
        return channel
    before = list(channel.content_items or [])
    channel.content_items = items  # assigned whole: JSON columns do not see changes made in place
    session.flush()
    audit.record(session, "channel_items_changed", actor, instance=instance, before={"content_items": before},
                 after={"content_items": items}, details={"channel": channel.id, "department": channel.department_name,
                                                         "year": channel.year, "by_process": True})
    return channel


def set_open(session: Session, channel_id: int, is_open: bool, actor: User | None,
             by_process: bool = False, instance=None) -> OpinionChannel:
    """Close a channel (submissions are refused politely) or open it again (`by_process`: see create_channel)."""
    if not by_process:
        require_staff(actor, "open or close opinion channels")
    channel = get_channel(session, channel_id)
    if channel.is_open == is_open:
        return channel
    channel.is_open = is_open
    channel.closed_at = None if is_open else clock.now()
    session.flush()
    audit.record(session, "channel_reopened" if is_open else "channel_closed", actor, instance=instance,
                 details={"channel": channel.id, "department": channel.department_name, "year": channel.year})
    return channel
