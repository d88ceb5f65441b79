"""A computed figure kept for reuse (app.figures.cache)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime


class CachedFigure(Model):
    """The value computed for ``key`` at ``computed_at``. Bookkeeping, not a record: it is
    not audited, and losing it loses nothing (the figure is computed again)."""

    __tablename__ = "cached_figure"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, nullable=False)
