from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base, UTCDateTime


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
    data_before: Mapped[dict | None] = mapped_column(JSON)
    data_after: Mapped[dict | None] = mapped_column(JSON)
    details: Mapped[dict | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """A single row naming the last event; writers lock it so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
