"""What the congress publishes on its public pages (公开): the notice, the results, the rectification.

A publication is never deleted: withdrawing it keeps the row (and the public page says it was
withdrawn, and when) so a link in a newspaper or on a poster never silently goes dead.
`body` is structured content whose shape depends on `kind` (see engine/services/publications.py).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base, UTCDateTime

KINDS = ("notice", "results", "rectification", "other")  # 公告 | 评议结果 | 整改情况 | 其他


class Publication(Base):
    __tablename__ = "publication"
    __table_args__ = (Index("ix_publication_year", "year", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # random: the address of its page
    year: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # one of KINDS
    department_key: Mapped[str | None] = mapped_column(String(64))   # e.g. D01
    department_name: Mapped[str | None] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(255))
    body: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))  # the process that published
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
