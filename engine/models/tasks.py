from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base, UTCDateTime
from engine.models.instances import ProcessInstance
from engine.models.users import User


class TaskState(enum.StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    CANCELLED = "cancelled"    # cancelled or deleted by the engine (boundary event, termination)


class HumanTask(Base):
    """The inbox projection: one row per READY manual task of an instance."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_assignee_open", "assignee_id", "state"),
        Index("ix_human_task_instance_state", "instance_id", "state"),
        Index("ix_human_task_completed_by", "completed_by_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id", ondelete="CASCADE"))
    task_guid: Mapped[str] = mapped_column(String(36), unique=True)
    # the multi-instance branch it runs in (a department's copy of a per-department step), None on
    # the main line: who works in one branch does not see another's (engine/permissions.py)
    branch: Mapped[str | None] = mapped_column(String(36))
    # what the branch is about, from its multi-instance item (the department's name, say)
    branch_label: Mapped[str | None] = mapped_column(String(255))
    element_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    lane: Mapped[str | None] = mapped_column(String(255))
    form_key: Mapped[str | None] = mapped_column(String(255))
    ui_form_key: Mapped[str | None] = mapped_column(String(255))
    instructions: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), default=TaskState.OPEN)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    priority: Mapped[int] = mapped_column(default=0)
    # the model's task property `confidential`: within its branch, only its own participants see it
    confidential: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    end_reason: Mapped[str | None] = mapped_column(Text)
    draft: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), deferred=True)
    # what the completer submitted (None for a task the engine ended)
    submitted: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), deferred=True)
    draft_saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    instance: Mapped[ProcessInstance] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    candidates: Mapped[list[HumanTaskCandidate]] = relationship(
        back_populates="task", cascade="all, delete-orphan", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<HumanTask {self.id} {self.element_id} {self.state}>"


class HumanTaskCandidate(Base):
    """Who may claim an open task: a user or a group. Rows go away when the task closes."""

    __tablename__ = "human_task_candidate"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (group_id IS NULL)", name="one_principal"),
        Index("ix_human_task_candidate_user", "user_id", "human_task_id"),
        Index("ix_human_task_candidate_group", "group_id", "human_task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    human_task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("group.id", ondelete="CASCADE"))
    # added when the task was reassigned to this user (not by the model): goes when it is reassigned on
    by_reassign: Mapped[bool] = mapped_column(default=False, server_default=false())

    task: Mapped[HumanTask] = relationship(back_populates="candidates")
