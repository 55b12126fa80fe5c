from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from engine import clock
from engine.db import Base, UTCDateTime

UNREADABLE = "__unreadable__"


class AuditJSON(TypeDecorator):
    """JSON that reads a value edited into invalid JSON as {UNREADABLE: its text} instead of failing:
    a tampered audit row must still load, to be shown (and reported) as tampered."""

    impl = JSON
    cache_ok = True

    def result_processor(self, dialect, coltype):
        decode = self.load_dialect_impl(dialect).dialect_impl(dialect).result_processor(dialect, coltype)
        if decode is None:  # the driver decodes (PostgreSQL, whose json type refuses invalid text anyway)
            return None

        def process(value):
            try:
                return decode(value)
            except ValueError:
                return {UNREADABLE: value}
        return process


class AuditEvent(Base):
    """An append-only event. `hash` covers the row's content and the previous row's hash.

    No foreign keys: the audit trail outlives what it describes and never cascades.
    """

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_instance", "instance_id", "id"),
        Index("ix_audit_event_type_time", "event_type", "created_at"),
        Index("ix_audit_event_actor", "actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(unique=True)  # 1, 2, 3... without gaps; hashed with the content
    event_type: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    actor_id: Mapped[int | None]
    actor_name: Mapped[str] = mapped_column(String(128), default="")
    instance_id: Mapped[int | None]
    process_id: Mapped[str | None] = mapped_column(String(255))
    task_guid: Mapped[str | None] = mapped_column(String(36))
    element_id: Mapped[str | None] = mapped_column(String(255))
    reason: Mapped[str | None] = mapped_column(Text)
    data_before: Mapped[dict | None] = mapped_column(AuditJSON)
    data_after: Mapped[dict | None] = mapped_column(AuditJSON)
    details: Mapped[dict | None] = mapped_column(AuditJSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """A single row naming the last event; writers lock it so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
