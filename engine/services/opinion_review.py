"""Reviewing a channel's opinions: what each viewer may see, and the investigation group's work.

`view_for` is the one place that decides what of an opinion a viewer gets. The department gets
`OpinionView`: content, rating, day, source type, status — never the author (name, phone, deputy,
who typed it in), the hashes, the photos (faces, places) or the group's note. The office and the
investigation group get `FullOpinionView`; an auditor gets it without the citizen's name, phone,
deputy and photos (what staff did stays readable: who entered it, the note).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from engine import audit, clock
from engine.dates import LOCAL_TZ
from engine.errors import InvalidInput, NotFound
from engine.models import Opinion, OpinionChannel, OpinionPhoto, User
from engine.services.opinion_channels import MANAGERS, get_channel, require_role

NOTE_MAX = 2000


@dataclass(frozen=True)
class OpinionView:
    """What the evaluated department may know of an opinion."""

    id: int
    received_on: date
    source: str
    rating: str
    text: str
    content_item: str | None
    status: str
    is_adopted: bool
    merged_into_id: int | None


@dataclass(frozen=True)
class PhotoView:
    public_id: str
    filename: str
    size: int


@dataclass(frozen=True)
class FullOpinionView(OpinionView):
    """Everything, for the office and the investigation group."""

    created_at: datetime
    author_name: str | None
    author_phone: str | None
    deputy_name: str | None
    entered_by_name: str | None
    note: str | None
    photos: tuple[PhotoView, ...]


@dataclass(frozen=True)
class ChannelPage:
    channel: OpinionChannel
    role: str
    opinions: list[OpinionView]
    counts: dict[str, int]

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGERS


def view_for(opinion: Opinion, role: str, names: dict[int, str] | None = None) -> OpinionView:
    """The opinion as `role` may see it ("staff" and "group": everything; "department": no author)."""
    base = {"id": opinion.id, "received_on": opinion.created_at.astimezone(LOCAL_TZ).date(),
            "source": opinion.source, "rating": opinion.rating, "text": opinion.text,
            "content_item": opinion.content_item, "status": opinion.status, "is_adopted": opinion.is_adopted,
            "merged_into_id": opinion.merged_into_id}
    if role not in (*MANAGERS, "auditor"):
        return OpinionView(**base)
    names = names or {}
    if role == "auditor":
        return FullOpinionView(
            **base, created_at=opinion.created_at, author_name=None, author_phone=None, deputy_name=None,
            entered_by_name=names.get(opinion.entered_by_id) if opinion.entered_by_id else None, note=opinion.note,
            photos=())
    return FullOpinionView(
        **base, created_at=opinion.created_at, author_name=opinion.author_name, author_phone=opinion.author_phone,
        deputy_name=names.get(opinion.deputy_id) if opinion.deputy_id else None,
        entered_by_name=names.get(opinion.entered_by_id) if opinion.entered_by_id else None, note=opinion.note,
        photos=tuple(PhotoView(p.public_id, p.filename, p.size) for p in opinion.photos))


def _names(session: Session, opinions: list[Opinion]) -> dict[int, str]:
    ids = {i for o in opinions for i in (o.deputy_id, o.entered_by_id) if i}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {row.id: row.display_name for row in rows}


def channel_page(session: Session, channel_id: int, viewer: User, content_item: str | None = None) -> ChannelPage:
    """A channel's opinions as `viewer` may see them (PermissionDenied for anyone without a role)."""
    channel = get_channel(session, channel_id)
    role = require_role(channel, viewer)
    query = select(Opinion).where(Opinion.channel_id == channel.id).order_by(Opinion.id)
    if role in MANAGERS:
        query = query.options(selectinload(Opinion.photos))
    opinions = list(session.scalars(query))
    counts: dict[str, int] = {}
    for opinion in opinions:
        counts[opinion.status] = counts.get(opinion.status, 0) + 1
    if content_item:
        opinions = [o for o in opinions if o.content_item == content_item]
    names = _names(session, opinions) if role in (*MANAGERS, "auditor") else {}
    return ChannelPage(channel, role, [view_for(o, role, names) for o in opinions], counts)


def _managed(session: Session, opinion_id: int, actor: User) -> Opinion:
    opinion = session.get(Opinion, opinion_id)
    if opinion is None:
        raise NotFound("No such opinion.", opinion=opinion_id)
    require_role(opinion.channel, actor, *MANAGERS)
    return opinion


def _reviewed(session: Session, opinion: Opinion, actor: User, event: str, before: dict, after: dict) -> Opinion:
    opinion.reviewed_at, opinion.reviewed_by_id = clock.now(), actor.id
    session.flush()
    audit.record(session, event, actor, before=before, after=after,
                 details={"channel": opinion.channel_id, "opinion": opinion.id})
    return opinion


def classify(session: Session, opinion_id: int, content_item: str | None, actor: User) -> Opinion:
    """File an opinion under one of the channel's content items (None or "" clears it)."""
    opinion = _managed(session, opinion_id, actor)
    item = (content_item or "").strip() or None
    if item is not None and item not in opinion.channel.content_items:
        raise InvalidInput("Not one of this channel's content items.", errors={"content_item": "invalid"})
    before = {"content_item": opinion.content_item}
    opinion.content_item = item
    return _reviewed(session, opinion, actor, "opinion_classified", before, {"content_item": item})


def merge(session: Session, opinion_id: int, into_id: int, actor: User) -> Opinion:
    """Mark an opinion as a duplicate of another of the same channel (the one kept)."""
    opinion = _managed(session, opinion_id, actor)
    kept = session.get(Opinion, into_id)
    if kept is None or kept.channel_id != opinion.channel_id or kept.id == opinion.id:
        raise InvalidInput("Merge into another opinion of the same channel.", errors={"into": "invalid"})
    if kept.merged_into_id is not None:
        raise InvalidInput("That opinion is itself merged; merge into the one it was kept as.",
                           errors={"into": "merged"}, kept=kept.merged_into_id)
    before = {"merged_into": opinion.merged_into_id, "is_adopted": opinion.is_adopted}
    opinion.merged_into_id, opinion.is_adopted = kept.id, False
    # what was merged into this one now points at the one kept: chains stay one step long
    session.execute(update(Opinion).where(Opinion.merged_into_id == opinion.id).values(merged_into_id=kept.id))
    return _reviewed(session, opinion, actor, "opinion_merged", before, {"merged_into": kept.id, "is_adopted": False})


def unmerge(session: Session, opinion_id: int, actor: User) -> Opinion:
    opinion = _managed(session, opinion_id, actor)
    before = {"merged_into": opinion.merged_into_id}
    opinion.merged_into_id = None
    return _reviewed(session, opinion, actor, "opinion_unmerged", before, {"merged_into": None})


def set_adopted(session: Session, opinion_id: int, adopted: bool, actor: User) -> Opinion:
    """Adopted: the investigation group takes the opinion up (e.g. into its report)."""
    opinion = _managed(session, opinion_id, actor)
    if adopted and opinion.merged_into_id is not None:
        raise InvalidInput("A merged opinion is adopted through the one it was merged into.",
                           errors={"adopted": "merged"}, kept=opinion.merged_into_id)
    before = {"is_adopted": opinion.is_adopted}
    opinion.is_adopted = bool(adopted)
    return _reviewed(session, opinion, actor, "opinion_adopted" if adopted else "opinion_unadopted", before,
                     {"is_adopted": opinion.is_adopted})


def set_note(session: Session, opinion_id: int, note: str | None, actor: User) -> Opinion:
    """The group's own note, e.g. where the opinion is cited in the investigation report."""
    opinion = _managed(session, opinion_id, actor)
    text = (note or "").strip() or None
    if text and len(text) > NOTE_MAX:
        raise InvalidInput(f"A note has at most {NOTE_MAX} characters.", errors={"note": "too_long"})
    before = {"note": opinion.note}
    opinion.note = text
    return _reviewed(session, opinion, actor, "opinion_noted", before, {"note": text})


def photo(session: Session, public_id: str, viewer: User) -> OpinionPhoto:
    """A photo, for the office and the channel's investigation group only."""
    found = session.scalar(select(OpinionPhoto).where(OpinionPhoto.public_id == public_id))
    if found is None:
        raise NotFound("No such photo.", photo=public_id)
    require_role(found.opinion.channel, viewer, *MANAGERS)
    return found
