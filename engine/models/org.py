"""Organisation data: government departments, committee offices, Standing Committee members,
deputies and observer units. Departments, offices and observers are keyed by a code; members and
deputies are ordinary users with a profile (and membership of the groups 常委会组成人员 / 代表)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import Base, UTCDateTime


class Department(Base):
    """A government department (政府组成部门) that the Standing Committee evaluates."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    short_name: Mapped[str] = mapped_column(String(64), default="")
    head_name: Mapped[str] = mapped_column(String(64), default="")
    group_name: Mapped[str] = mapped_column(String(128))          # its contact users' group
    office_code: Mapped[str | None] = mapped_column(String(32))   # the responsible committee office
    leader_name: Mapped[str] = mapped_column(String(64), default="")   # the Standing Committee leader
    vice_mayor: Mapped[str] = mapped_column(String(64), default="")    # 分管副县长
    superior: Mapped[str] = mapped_column(String(128), default="")     # 上级主管部门
    party_group: Mapped[str | None] = mapped_column(String(128))  # the group of its Party committee
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class CommitteeOffice(Base):
    """A working committee of the Standing Committee (工委 / 责任委室)."""

    __tablename__ = "committee_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    group_name: Mapped[str] = mapped_column(String(128))
    leader_name: Mapped[str] = mapped_column(String(64), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class ObserverUnit(Base):
    """A unit that attends the evaluation meeting without a vote (列席)."""

    __tablename__ = "observer_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))  # organisation | discipline | audit
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class MemberProfile(Base):
    """A member of the Standing Committee (常委会组成人员)."""

    __tablename__ = "member_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(128), default="")
    phone: Mapped[str | None] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)


class DeputyProfile(Base):
    """A deputy of the county people's congress (人大代表) and their delegation (代表团)."""

    __tablename__ = "deputy_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    delegation: Mapped[str] = mapped_column(String(128), index=True)
    phone: Mapped[str | None] = mapped_column(String(32))
    is_active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)
