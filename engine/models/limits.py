"""Rate-limit counters shared by every worker process (see web/rate_store.py)."""
from __future__ import annotations

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base


class RateCounter(Base):
    """One fixed window of one limit: how many hits, and when the window ends (epoch seconds)."""

    __tablename__ = "rate_counter"
    __table_args__ = (Index("ix_rate_counter_expires_at", "expires_at"),)

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    hits: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[float] = mapped_column(Float)
