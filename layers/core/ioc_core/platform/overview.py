"""The leader's overview: the city at a glance, one tile per room.

A room contributes its tile through its declaration (``Room.overview``): a function that reads
the room's projections (counter rows kept by its consumers, never a scan of its tables) and
returns its headline figures, its open alerts and, where it has one, a short ranking. The
platform's API serves every room's tile at ``GET /api/v1/overview``; the console draws them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field

from ioc_core.platform.rooms import Room
from ioc_core.shared.clock import iso


class Bilingual(BaseModel):
    vi: str
    en: str


class Figure(BaseModel):
    key: str
    label: Bilingual
    value: float | int | None = Field(description="None when there is nothing to measure yet")
    unit: str | None = Field(default=None, description='"%" for a share (0–100), else a count')
    # How the console colours it: "bad" draws attention (overdue, active fire alerts).
    tone: str = Field(default="neutral", pattern="^(neutral|good|bad)$")


class Ranked(BaseModel):
    key: str
    label: Bilingual
    value: float | int | None
    detail: Bilingual | None = None


class Ranking(BaseModel):
    title: Bilingual
    items: list[Ranked]


class Tile(BaseModel):
    room: str
    title: Bilingual
    link: str = Field(description="The room's page in the console, a path under /console/")
    figures: list[Figure]
    alerts: list[Figure] = Field(default_factory=list)
    ranking: Ranking | None = None


class Overview(BaseModel):
    generated_at: str
    tiles: list[Tile]


def overview(rooms: Iterable[Room], at: datetime) -> Overview:
    """Every room's tile, in the order of the rooms."""
    return Overview(generated_at=iso(at), tiles=[room.overview() for room in rooms if room.overview])


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal, None when there is no whole."""
    return round(100 * part / whole, 1) if whole else None
