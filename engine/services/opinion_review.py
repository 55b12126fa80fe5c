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

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session, selectinload

from engine import audit, clock
from engine.dates import LOCAL_TZ
from engine.errors import InvalidInput, NotFound
from engine.models import Opinion, OpinionChannel, OpinionPhoto, User
from engine.services.opinion_channels import MANAGERS, get_channel, require_role

NOTE_MAX = 2000
PER_PAGE = 50
STATUSES = ("received", "classified", "merged", "adopted")
# Opinion.status in SQL: merged > adopted > classified > received
opinion_status = case((Opinion.merged_into_id.is_not(None), "merged"), (Opinion.is_adopted, "adopted"),
              (and_(Opinion.content_item.is_not(None), Opinion.content_item != ""), "classified"),
              else_="received")


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
class OpinionFilter:
    """Which of a channel's opinions to list (None: any), and which page of them."""

    content_item: str | None = None
    status: str | None = None  # one of STATUSES
    rating: str | None = None  # one of RATINGS
    page: int = 1

    def conditions(self) -> list:
        found = []
        if self.content_item:
            found.append(Opinion.content_item == self.content_item)
        if self.status:
            found.append(opinion_status == self.status)
        if self.rating:
            found.append(Opinion.rating == self.rating)
        return found


@dataclass(frozen=True)
class ChannelPage:
    channel: OpinionChannel
    role: str
    opinions: list[OpinionView]  # the page asked for (all of them when not paged)
    counts: dict[str, int]  # by status, of the whole channel
    item_counts: dict[str, int]  # by content item ("" for none), of the whole channel
    total: int = 0  # how many match the filter
    number: int = 1
    per_page: int | None = None

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGERS

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1


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


def channel_page(session: Session, channel_id: int, viewer: User, chosen: OpinionFilter | None = None,
                 per_page: int | None = PER_PAGE) -> ChannelPage:
    """A channel's opinions as `viewer` may see them (PermissionDenied for anyone without a role): those
    `chosen` lets through, `per_page` at a time (None: all of them, for the opinion list's export)."""
    chosen = chosen or OpinionFilter()
    channel = get_channel(session, channel_id)
    role = require_role(channel, viewer)
    of_channel = Opinion.channel_id == channel.id
    counts = {status: n for status, n in session.execute(
        select(opinion_status, func.count()).where(of_channel).group_by(opinion_status))}
    counts = {status: counts[status] for status in STATUSES if status in counts}
    item_counts = {item or "": n for item, n in session.execute(
        select(Opinion.content_item, func.count()).where(of_channel).group_by(Opinion.content_item))}
    query = select(Opinion).where(of_channel, *chosen.conditions()).order_by(Opinion.id)
    total, number = 0, 1
    if per_page:
        total = session.scalar(select(func.count()).select_from(Opinion).where(of_channel, *chosen.conditions()))
        number = min(max(1, chosen.page), max(1, -(-total // per_page)))
        query = query.limit(per_page).offset((number - 1) * per_page)
    if role in MANAGERS:
        query = query.options(selectinload(Opinion.photos))
    opinions = list(session.scalars(query))
    names = _names(session, opinions) if role in (*MANAGERS, "auditor") else {}
    return ChannelPage(channel, role, [view_for(o, role, names) for o in opinions], counts, item_counts,
                       total if per_page else len(opinions), number, per_page)


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
