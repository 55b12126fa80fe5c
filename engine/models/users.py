from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine import clock
from engine.db import Base, UTCDateTime

user_group = Table(
    "user_group",
    Base.metadata,
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("group.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class User(Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    locale: Mapped[str] = mapped_column(String(16), default="zh_CN")
    is_active: Mapped[bool] = mapped_column(default=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    is_auditor: Mapped[bool] = mapped_column(default=False)
    # a temporary password given by an administrator: its holder chooses their own at the next sign-in
    must_change_password: Mapped[bool] = mapped_column(default=False)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # changed by "sign out on every device": every session and remember-me cookie made before stops
    session_epoch: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    groups: Mapped[list[Group]] = relationship(secondary=user_group, back_populates="members",
                                               order_by="Group.name")

    # What a web session layer (Flask-Login) expects of a user, duck-typed: the engine imports no Flask.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """The id kept in a signed-in session: changes when the password changes or the user signs
        out on every device, which signs them out everywhere else."""
        material = self.password_hash or ""
        if self.session_epoch:
            material += "|" + self.session_epoch
        stamp = hashlib.sha256(material.encode()).hexdigest()[:16]
        return f"{self.id}.{stamp}"

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Group(Base):
    """A role or a unit: lanes name groups (e.g. 评议办, a department, an investigation group)."""

    __tablename__ = "group"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)
    title: Mapped[str] = mapped_column(String(256), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    members: Mapped[list[User]] = relationship(secondary=user_group, back_populates="groups",
                                               order_by="User.username")

    def __repr__(self) -> str:
        return f"<Group {self.name}>"
