from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base, UTCDateTime
from engine.models.processes import ProcessVersion


class InstanceStatus(enum.StrEnum):
    RUNNING = "running"        # a person has work to do
    WAITING = "waiting"        # only timers or messages can move it on
    COMPLETED = "completed"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    ERROR = "error"            # a script or condition failed; fix data and retry


OPEN_STATUSES = (InstanceStatus.RUNNING, InstanceStatus.WAITING, InstanceStatus.ERROR,
                 InstanceStatus.SUSPENDED)


class ProcessInstance(Base):
    __tablename__ = "process_instance"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    process_id: Mapped[str] = mapped_column(String(255), index=True)
    title: Mapped[str] = mapped_column(String(255), default="")
    business_key: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    status_before_suspend: Mapped[str | None] = mapped_column(String(16))
    status_reason: Mapped[str | None] = mapped_column(Text)
    error: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # Element ids the instance has passed through (the task tree forgets finished history)
    visited: Mapped[list] = mapped_column(JSON, default=list)
    workflow_json: Mapped[str] = mapped_column(Text, deferred=True)
    serializer_version: Mapped[str] = mapped_column(String(16))
    # Optimistic concurrency: every save writes a new random revision, guarded by the old one.
    revision: Mapped[str] = mapped_column(String(32))
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    version: Mapped[ProcessVersion] = relationship()

    def __repr__(self) -> str:
        return f"<ProcessInstance {self.id} {self.process_id} {self.status}>"


class Timer(Base):
    """One waiting timer event of an instance, with its due time (from the workflow)."""

    __tablename__ = "timer"
    __table_args__ = (UniqueConstraint("instance_id", "task_guid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    task_guid: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    event_type: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class MessageWait(Base):
    """An instance waiting for a BPMN message (a catch event or a receive task)."""

    __tablename__ = "message_wait"
    __table_args__ = (
        UniqueConstraint("instance_id", "task_guid"),
        Index("ix_message_wait_name", "message_name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    task_guid: Mapped[str] = mapped_column(String(36))
    element_id: Mapped[str] = mapped_column(String(255))
    message_name: Mapped[str] = mapped_column(String(255))
