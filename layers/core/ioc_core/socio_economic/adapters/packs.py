"""PynamoDB adapter of the meeting packs' job records."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.models import Model

from ioc_core.platform.dynamo import UNBOUND, gsi, transaction
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.socio_economic.packs import MeetingPack
from ioc_core.socio_economic.ports import VersionConflict

KIND = "pack"


class PackItem(Model):
    class Meta:
        table_name = UNBOUND

    pack_id = UnicodeAttribute(hash_key=True)
    kind = UnicodeAttribute(default=KIND)
    requested_at = UnicodeAttribute()
    version = NumberAttribute()
    document = UnicodeAttribute()

    by_requested = gsi("by_requested", "kind", "requested_at")()

    @classmethod
    def of(cls, pack: MeetingPack) -> PackItem:
        return cls(
            pack_id=pack.pack_id,
            kind=KIND,
            requested_at=to_vn(pack.requested_at).isoformat(timespec="microseconds"),
            version=pack.version,
            document=pack.model_dump_json(),
        )

    def to_pack(self) -> MeetingPack:
        return MeetingPack.model_validate_json(self.document)


class DynamoPackRepository:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get(self, pack_id: str) -> MeetingPack | None:
        try:
            return PackItem.get(pack_id, consistent_read=True).to_pack()
        except PackItem.DoesNotExist:
            return None

    def recent(self, limit: int) -> list[MeetingPack]:
        return [i.to_pack() for i in PackItem.by_requested.query(KIND, scan_index_forward=False, limit=limit)]

    def create(self, pack: MeetingPack, events: list[CloudEvent]) -> bool:
        try:
            with transaction(self.settings) as tx:
                tx.save(PackItem.of(pack), condition=PackItem.pack_id.does_not_exist())
                stage_events(tx, events)
        except TransactWriteError:
            return False
        return True

    def update(self, pack: MeetingPack, expected_version: int, events: list[CloudEvent]) -> None:
        try:
            with transaction(self.settings) as tx:
                tx.save(PackItem.of(pack), condition=PackItem.version == expected_version)
                stage_events(tx, events)
        except TransactWriteError as error:
            raise VersionConflict(pack.pack_id) from error
