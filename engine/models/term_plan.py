"""The term plan (规划表): which department is evaluated in which year of a five-year term."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base, UTCDateTime


class TermPlan(Base):
    """One draft of a term's plan; drafted by the office, approved (or returned) by the Party group."""

    __tablename__ = "term_plan"
    __table_args__ = (
        Index("ix_term_plan_term", "term_start", "status"),
        # one approved plan per term, whatever runs concurrently
        Index("uq_term_plan_approved", "term_start", unique=True, sqlite_where=text("status = 'approved'"),
              postgresql_where=text("status = 'approved'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term_start: Mapped[int]
    term_end: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted | approved | returned
    comments: Mapped[str | None] = mapped_column(Text)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id", ondelete="SET NULL"),
                                                    index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    rows: Mapped[list[TermPlanRow]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True,
        order_by=lambda: [TermPlanRow.year, TermPlanRow.department_code])


class TermPlanRow(Base):
    """A department evaluated in a year of the term; each department at most once per plan."""

    __tablename__ = "term_plan_row"
    __table_args__ = (UniqueConstraint("plan_id", "department_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("term_plan.id", ondelete="CASCADE"))
    department_code: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    office_code: Mapped[str] = mapped_column(String(32))
    leader_name: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[date] = mapped_column(Date())

    plan: Mapped[TermPlan] = relationship(back_populates="rows")
