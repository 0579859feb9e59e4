"""Saved queue filters in DynamoDB: one partition per staff member (their account id), one
item per name; the filters a JSON document (their keys are checked by the service)."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute
from pynamodb.exceptions import DeleteError
from pynamodb.models import Model

from ioc_core.field_reporting.saved_filters import MAX_SAVED, QueueFilterSet, SavedFilter
from ioc_core.platform.dynamo import UNBOUND


class SavedFilterItem(Model):
    class Meta:
        table_name = UNBOUND

    owner = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute(range_key=True)
    filters = UnicodeAttribute()  # JSON
    updated_at = UnicodeAttribute()  # ISO 8601 with its offset


class DynamoSavedFilters:
    """On the room's bound model (``ready()`` binds every room's models)."""

    def list(self, owner: str) -> list[SavedFilter]:
        # A person keeps at most MAX_SAVED: one page, read after their own last write.
        items = SavedFilterItem.query(owner, consistent_read=True, limit=MAX_SAVED * 2)
        return [
            SavedFilter(
                name=item.name,
                filters=QueueFilterSet.model_validate_json(item.filters),
                updated_at=datetime.fromisoformat(item.updated_at),
            )
            for item in items
        ]

    def put(self, owner: str, saved: SavedFilter) -> None:
        SavedFilterItem(
            owner=owner,
            name=saved.name,
            filters=saved.filters.model_dump_json(exclude_none=True),
            updated_at=saved.updated_at.isoformat(),
        ).save()

    def delete(self, owner: str, name: str) -> bool:
        item = SavedFilterItem(owner=owner, name=name)
        try:
            item.delete(condition=SavedFilterItem.owner.exists())
        except DeleteError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False  # a retry of a delete that went through, or a name never kept
            raise
        return True
