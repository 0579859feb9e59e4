"""The meeting pack as a background job: a request is stored with its event in one
transaction; the pack builder (a consumer of that event) computes the figures at the cut-off,
writes the workbook and the PDF once, and records their content hash. A pack is frozen: the
meeting sees the same numbers later, whatever is revised afterwards. Asking again for the
same period and cut-off returns the pack already made (or being made)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from ioc_core.shared.clock import Clock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import FieldProblem, NotFound, ValidationFailed
from ioc_core.socio_economic import events
from ioc_core.socio_economic.periods import Period

PackStatus = Literal["queued", "building", "ready", "failed"]


class MeetingPack(BaseModel):
    pack_id: str
    period: str
    cutoff: date
    status: PackStatus = "queued"
    requested_by: str
    requested_at: datetime
    finished_at: datetime | None = None
    sha256: str | None = Field(default=None, description="The hash of the pack's content (its manifest)")
    files: dict[str, str] = Field(default_factory=dict, description='"xlsx"/"pdf" → object key')
    file_hashes: dict[str, str] = Field(default_factory=dict)
    error: str | None = None
    version: int = 1


class PackRepository(Protocol):
    def get(self, pack_id: str) -> MeetingPack | None: ...

    def recent(self, limit: int) -> list[MeetingPack]: ...

    def create(self, pack: MeetingPack, events: list[CloudEvent]) -> bool:
        """False when a pack of that id exists already (nothing written)."""
        ...

    def update(self, pack: MeetingPack, expected_version: int, events: list[CloudEvent]) -> None: ...


def default_cutoff(period: Period, today: date) -> date:
    """The period's own cut-off day (Decree 09), or today while the period is still running."""
    return min(today, period.cutoff()[1])


def pack_id(period: Period, cutoff: date) -> str:
    digest = hashlib.sha256(f"{period.code}|{cutoff.isoformat()}".encode()).hexdigest()[:10]
    return f"pack-{period.code}-{cutoff:%Y%m%d}-{digest}"


@dataclass
class PackService:
    packs: PackRepository
    clock: Clock

    def request(self, period: str, cutoff: date | None, by: str) -> MeetingPack:
        when = Period.parse(period)
        today = self.clock.now().date()
        cut = cutoff or default_cutoff(when, today)
        if cut > today:
            message = "Ngày chốt số liệu chưa đến / The cut-off date is in the future."
            raise ValidationFailed(message, problems=[FieldProblem("cutoff", message)])
        pack = MeetingPack(
            pack_id=pack_id(when, cut),
            period=when.code,
            cutoff=cut,
            requested_by=by,
            requested_at=self.clock.now(),
        )
        existing = self.packs.get(pack.pack_id)
        if existing is not None and existing.status != "failed":
            return existing
        if existing is not None:  # a failed pack is asked for again: the same id, a new attempt
            pack = pack.model_copy(update={"version": existing.version + 1})
            self.packs.update(pack, existing.version, [_requested(pack)])
            return pack
        if not self.packs.create(pack, [_requested(pack)]):
            found = self.packs.get(pack.pack_id)
            assert found is not None
            return found
        return pack

    def get(self, pack_id: str) -> MeetingPack:
        found = self.packs.get(pack_id)
        if found is None:
            raise NotFound(f"Không có báo cáo {pack_id} / No meeting pack {pack_id}.")
        return found

    def recent(self, limit: int = 20) -> list[MeetingPack]:
        return self.packs.recent(limit)


def _requested(pack: MeetingPack) -> CloudEvent:
    """Its sequence is the pack's version: a failed pack asked for again goes on counting."""
    return CloudEvent.new(
        events.PACK_REQUESTED,
        subsystem=events.SUBSYSTEM,
        subject=pack.pack_id,
        at=pack.requested_at,
        data={"pack_id": pack.pack_id, "period": pack.period, "cutoff": pack.cutoff.isoformat()},
        sequence=pack.version,
    )
