"""Opinion channels: the 评议码 of a department's evaluation, the opinions it collects, and 代表码.

Who wrote an opinion (name, phone, deputy) is kept on the opinion row for the office and the
investigation group only; the services hand the department a view without it. The sender's IP
address and device cookie are never stored, only as salted hashes (rate limits, duplicates).
Photos live on disk under a random key, like attachments.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base, UTCDateTime

# The rating: the three grades of the evaluation's own ballot (满意 / 基本满意 / 不满意).
RATINGS = ("satisfied", "basically_satisfied", "dissatisfied")
SOURCES = ("public", "deputy", "offline")


class OpinionChannel(Base):
    """One department's evaluation in one year, reached by a public QR code (its slug)."""

    __tablename__ = "opinion_channel"
    __table_args__ = (Index("ix_opinion_channel_year", "year", "department_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(32), unique=True)
    year: Mapped[int]
    department_name: Mapped[str] = mapped_column(String(128))
    department_key: Mapped[str] = mapped_column(String(64))
    department_group: Mapped[str] = mapped_column(String(128))     # its members are "the department"
    investigation_group: Mapped[str] = mapped_column(String(128))  # its members review the opinions
    content_items: Mapped[list] = mapped_column(JSON, default=list)  # e.g. the "9+2+N" items
    is_open: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def title(self) -> str:
        return f"{self.year} {self.department_name}"


class Opinion(Base):
    __tablename__ = "opinion"
    __table_args__ = (
        Index("ix_opinion_channel", "channel_id", "id"),
        Index("ix_opinion_duplicate", "channel_id", "text_hash", "created_at"),
        Index("ix_opinion_deputy", "deputy_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("opinion_channel.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(16))  # public | deputy | offline
    rating: Mapped[str] = mapped_column(String(32))  # one of RATINGS
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))  # of the normalised text, for duplicates
    author_name: Mapped[str | None] = mapped_column(String(64))
    author_phone: Mapped[str | None] = mapped_column(String(32))
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))  # offline entry
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    device_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    content_item: Mapped[str | None] = mapped_column(String(255))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("opinion.id", ondelete="SET NULL"), index=True)
    is_adopted: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    channel: Mapped[OpinionChannel] = relationship(lazy="joined", innerjoin=True)
    photos: Mapped[list[OpinionPhoto]] = relationship(back_populates="opinion", order_by="OpinionPhoto.id",
                                                      cascade="all, delete-orphan")

    @property
    def status(self) -> str:
        """merged > adopted > classified > received."""
        if self.merged_into_id is not None:
            return "merged"
        if self.is_adopted:
            return "adopted"
        if self.content_item:
            return "classified"
        return "received"


class OpinionPhoto(Base):
    """A photo sent with an opinion; the bytes live on disk (`storage_key`), never in the database."""

    __tablename__ = "opinion_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinion.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(127))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    opinion: Mapped[Opinion] = relationship(back_populates="photos")


class DeputyCode(Base):
    """A deputy's personal code: tokens carry `version`; bumping it revokes every older code."""

    __tablename__ = "deputy_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    version: Mapped[int] = mapped_column(default=1)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # when the last older version was revoked
    note: Mapped[str | None] = mapped_column(Text)  # the reason given at the last revocation
