from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine import clock
from engine.db import AuthoredJSON, Base, UTCDateTime


class ProcessVersion(Base):
    """An immutable deployed version of one executable process.

    `bpmn_xml` is the file that defines the process; `other_files` holds the BPMN files of the
    processes it calls; `forms` the form JSON files its user tasks name. `spec_json` is the
    parsed spec (with called processes), from which instances of this version are rebuilt.
    """

    __tablename__ = "process_version"
    __table_args__ = (
        UniqueConstraint("process_id", "version"),
        Index("ix_process_version_process_id_hash", "process_id", "content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(255))
    version: Mapped[int]
    name: Mapped[str] = mapped_column(String(255), default="")
    file_name: Mapped[str] = mapped_column(String(255))
    bpmn_xml: Mapped[str] = mapped_column(Text, deferred=True)
    other_files: Mapped[dict] = mapped_column(JSON, default=dict, deferred=True)
    forms: Mapped[dict] = mapped_column(AuthoredJSON, default=dict, deferred=True)  # fields in authored order
    spec_json: Mapped[str] = mapped_column(Text, deferred=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    is_startable: Mapped[bool] = mapped_column(default=True)
    # The start event's lane (the group that may start it; none: administrators) and start form
    start_lane: Mapped[str | None] = mapped_column(String(255))
    start_form_key: Mapped[str | None] = mapped_column(String(255))
    start_ui_form_key: Mapped[str | None] = mapped_column(String(255))
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=clock.now)

    def __repr__(self) -> str:
        return f"<ProcessVersion {self.process_id} v{self.version}>"
