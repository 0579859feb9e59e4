"""Who is on duty: the IOC's shift roster as data (``data/duty_roster.json``)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path

from ioc_core.shared.clock import to_vn

ROSTER_PATH = Path(__file__).resolve().parent / "data" / "duty_roster.json"


class FileRoster:
    def __init__(self, shifts: list[dict[str, object]]) -> None:
        self.shifts = shifts

    def on_duty(self, at: datetime) -> str:
        hour = to_vn(at).hour
        for shift in self.shifts:
            start, end = int(str(shift["from_hour"])), int(str(shift["to_hour"]))
            if (start <= hour < end) if start < end else (hour >= start or hour < end):
                return str(shift["operator"])
        return str(self.shifts[0]["operator"])


@cache
def default_roster(path: Path = ROSTER_PATH) -> FileRoster:
    return FileRoster(json.loads(path.read_text(encoding="utf-8"))["shifts"])
