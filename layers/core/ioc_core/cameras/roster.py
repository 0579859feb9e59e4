"""Who is on duty: the IOC's operator shifts as data (``data/duty_roster.json``), in Vietnam
time. A shift that ends before it starts runs past midnight and belongs to the day it starts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from ioc_core.shared.clock import to_vn

ROSTER_PATH = Path(__file__).resolve().parent / "data" / "duty_roster.json"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Shift:
    name: str
    operator: str
    days: frozenset[int]  # 0 Monday … 6 Sunday: the day the shift starts
    start: time
    end: time

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Shift:
        unknown = set(data["days"]) - set(DAYS)
        if unknown or not data["operator"]:
            raise ValueError(f"shift {data.get('name')}: unknown days {sorted(unknown)} or no operator")
        return cls(
            name=str(data["name"]),
            operator=str(data["operator"]),
            days=frozenset(DAYS.index(d) for d in data["days"]),
            start=time.fromisoformat(data["from"]),
            end=time.fromisoformat(data["to"]),
        )

    def covers(self, local: datetime) -> bool:
        clock, day = local.time(), local.weekday()
        if self.start < self.end:
            return day in self.days and self.start <= clock < self.end
        # Past midnight: the evening part on its own day, the morning part on the next.
        yesterday = (local - timedelta(days=1)).weekday()
        return (day in self.days and clock >= self.start) or (yesterday in self.days and clock < self.end)


class FileRoster:
    def __init__(self, shifts: list[Shift], fallback: str) -> None:
        self.shifts = shifts
        self.fallback = fallback

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> FileRoster:
        return cls([Shift.from_data(s) for s in data["shifts"]], str(data["fallback"]))

    def shift_at(self, at: datetime) -> Shift | None:
        local = to_vn(at)
        return next((s for s in self.shifts if s.covers(local)), None)

    def on_duty(self, at: datetime) -> str:
        """The operator on shift at ``at``; the operators' desk when no shift covers it."""
        shift = self.shift_at(at)
        return shift.operator if shift else self.fallback


@cache
def default_roster(path: Path = ROSTER_PATH) -> FileRoster:
    return FileRoster.from_data(json.loads(path.read_text(encoding="utf-8")))
