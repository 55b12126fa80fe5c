"""Receiving opinions: from the public (评议码), from deputies (代表码), and from paper (offline entry).

A rating is one of 满意 / 基本满意 / 不满意 (the grades of the evaluation's own ballot), the text
is required (5 to 2,000 characters), name and phone are optional, up to 3 photos (images only,
checked by their first bytes and their pixel count, scaled down and without metadata: see
opinion_photos, which the web layer calls before it opens the transaction) are written to disk.
The sender's IP address and device cookie are kept only as salted HMAC-SHA256 hashes: the same
text from the same device, IP address or deputy on the same channel within 24 hours is refused as
a duplicate. A filled honeypot field means a robot: the submission is accepted without a word and
discarded.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import audit, clock
from engine.errors import Conflict, InvalidInput
from engine.models import Opinion, OpinionChannel, OpinionPhoto, User
from engine.models.opinions import RATINGS
from engine.services import attachments
from engine.services.opinion_channels import by_slug, get_channel, require_staff
from engine.services.opinion_photos import MAX_PHOTOS, clean_one

TEXT_MIN, TEXT_MAX, NAME_MAX = 5, 2000, 64
DEFAULT_PHOTO_SIZE = 5 * 1024 * 1024
DUPLICATE_WINDOW = timedelta(hours=24)
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")
_SPACE = re.compile(r"\s+")


class ChannelClosed(Conflict):
    code = "channel_closed"


class DuplicateOpinion(Conflict):
    code = "duplicate_opinion"


@dataclass(frozen=True)
class Sender:
    """Where a submission came from. Only salted hashes of `ip` and `device` are ever stored."""

    ip: str | None = None
    device: str | None = None
    salt: str = ""

    def hashes(self) -> tuple[str | None, str | None]:
        return fingerprint(self.salt, self.ip), fingerprint(self.salt, self.device)


@dataclass
class OpinionInput:
    rating: str
    text: str
    name: str = ""
    phone: str = ""
    photos: list = field(default_factory=list)  # (file name, binary stream) pairs
    honeypot: str = ""


@dataclass(frozen=True)
class PhotoStore:
    directory: Path
    max_size: int = DEFAULT_PHOTO_SIZE


def fingerprint(salt: str, value: str | None) -> str | None:
    if not value:
        return None
    return hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()


def text_hash(text: str) -> str:
    """The same opinion typed again (other spacing, full-width characters, case) hashes alike."""
    normal = _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return hashlib.sha256(normal.encode()).hexdigest()


def _validated(data: OpinionInput) -> dict:
    errors = {}
    text = (data.text or "").strip()
    name, phone = (data.name or "").strip(), (data.phone or "").strip()
    if data.rating not in RATINGS:
        errors["rating"] = "required"
    if len(text) < TEXT_MIN:
        errors["text"] = "too_short"
    elif len(text) > TEXT_MAX:
        errors["text"] = "too_long"
    if len(name) > NAME_MAX:
        errors["name"] = "too_long"
    if phone and not PHONE.match(phone):
        errors["phone"] = "invalid"
    if len(data.photos) > MAX_PHOTOS:
        errors["photos"] = "too_many"
    if errors:
        raise InvalidInput("The opinion is incomplete or invalid.", errors=errors, text_min=TEXT_MIN,
                           text_max=TEXT_MAX, max_photos=MAX_PHOTOS)
    return {"rating": data.rating, "text": text, "author_name": name or None, "author_phone": phone or None}


def _refuse_duplicate(session: Session, channel: OpinionChannel, digest: str, ip_hash, device_hash,
                      deputy: User | None) -> None:
    same_sender = [column == value for column, value in ((Opinion.ip_hash, ip_hash), (Opinion.device_hash, device_hash),
                                                          (Opinion.deputy_id, deputy.id if deputy else None)) if value]
    if not same_sender:
        return
    hit = session.scalar(select(Opinion.id).where(
        Opinion.channel_id == channel.id, Opinion.text_hash == digest,
        Opinion.created_at >= clock.now() - DUPLICATE_WINDOW, or_(*same_sender)).limit(1))
    if hit is not None:
        raise DuplicateOpinion("The same opinion was already received from this sender today.", channel=channel.id)


def _write_photos(photos: PhotoStore, files) -> list[attachments.StoredFile]:
    """Write every photo, or none: the ones written before a refused one are removed again."""
    stored: list[attachments.StoredFile] = []
    try:
        for name, stream in files:
            stored.append(attachments.write_file(photos.directory, name, clean_one(name, stream, photos.max_size),
                                                 field="photos", max_size=photos.max_size,
                                                 allowed=attachments.IMAGE_TYPES))
    except InvalidInput:
        for done in stored:
            (Path(photos.directory) / done.storage_key).unlink(missing_ok=True)
        raise
    return stored


def _create(session: Session, channel: OpinionChannel, data: OpinionInput, source: str, photos: PhotoStore,
            sender: Sender | None = None, deputy: User | None = None, entered_by: User | None = None) -> Opinion:
    values = _validated(data)
    digest = text_hash(values["text"])
    ip_hash, device_hash = sender.hashes() if sender is not None else (None, None)
    if source != "offline":
        _refuse_duplicate(session, channel, digest, ip_hash, device_hash, deputy)
    stored = _write_photos(photos, data.photos)
    opinion = Opinion(
        public_id=secrets.token_hex(16), channel_id=channel.id, source=source, text_hash=digest,
        deputy_id=deputy.id if deputy else None, entered_by_id=entered_by.id if entered_by else None,
        ip_hash=ip_hash, device_hash=device_hash, created_at=clock.now(), **values,
        photos=[OpinionPhoto(public_id=s.public_id, filename=s.filename, content_type=s.content_type, size=s.size,
                             sha256=s.sha256, storage_key=s.storage_key) for s in stored])
    session.add(opinion)
    session.flush()
    return opinion


def _require_open(channel: OpinionChannel) -> None:
    if not channel.is_open:
        raise ChannelClosed("This opinion channel is closed.", channel=channel.id)


def submit_public(session: Session, slug: str, data: OpinionInput, sender: Sender,
                  photos: PhotoStore) -> Opinion | None:
    """An opinion sent through a channel's public page; None when the honeypot caught a robot."""
    channel = by_slug(session, slug)
    _require_open(channel)
    if data.honeypot:
        return None
    opinion = _create(session, channel, data, "public", photos, sender=sender)
    audit.record(session, "opinion_received", None, details={  # nothing that could identify the sender
        "channel": channel.id, "opinion": opinion.public_id, "source": "public", "photos": len(opinion.photos)})
    return opinion


def submit_deputy(session: Session, channel_id: int, data: OpinionInput, deputy: User, sender: Sender,
                  photos: PhotoStore) -> Opinion | None:
    """An opinion sent by a deputy identified by their code (see deputy_codes.verify)."""
    channel = get_channel(session, channel_id)
    _require_open(channel)
    if data.honeypot:
        return None
    opinion = _create(session, channel, data, "deputy", photos, sender=sender, deputy=deputy)
    audit.record(session, "opinion_received", deputy, details={
        "channel": channel.id, "opinion": opinion.public_id, "source": "deputy", "photos": len(opinion.photos)})
    return opinion


def enter_offline(session: Session, channel_id: int, data: OpinionInput, actor: User, photos: PhotoStore) -> Opinion:
    """A paper opinion typed in by the office; it may be entered after the channel closed."""
    require_staff(actor, "enter paper opinions")
    channel = get_channel(session, channel_id)
    opinion = _create(session, channel, data, "offline", photos, entered_by=actor)
    audit.record(session, "opinion_entered", actor, details={
        "channel": channel.id, "opinion": opinion.public_id, "source": "offline", "photos": len(opinion.photos)})
    return opinion
