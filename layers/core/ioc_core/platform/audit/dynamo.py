"""PynamoDB adapter of the audit log. A day is one partition ("audit#2026-12-02"), sorted by
"<time>#<entry id>"; an actor's and a target's entries are an index each, sorted the same way.
Every search is a Query on a key or an index, never a Scan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.platform.audit.models import AuditEntry
from ioc_core.platform.audit.service import AuditPage, AuditQuery
from ioc_core.platform.dynamo import UNBOUND, decode_token, encode_token
from ioc_core.shared.clock import to_vn

PK_PREFIX = "audit#"
LAST = "#\uffff"  # after every "#<entry id>" of the same instant
FILTERED_PAGE = 2000  # items of about 0.5 KB: DynamoDB stops each page at 1 MB first


class ByActor(GlobalSecondaryIndex["AuditItem"]):
    class Meta:
        index_name = "by_actor"
        projection = AllProjection()

    actor = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class ByTarget(GlobalSecondaryIndex["AuditItem"]):
    class Meta:
        index_name = "by_target"
        projection = AllProjection()

    target_id = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


class AuditItem(Model):
    class Meta:
        table_name = UNBOUND

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    actor = UnicodeAttribute()
    target_id = UnicodeAttribute()
    action = UnicodeAttribute()
    search = UnicodeAttribute()  # folded words: what a free-text search filters on
    document = UnicodeAttribute()  # the whole AuditEntry as JSON
    by_actor = ByActor()
    by_target = ByTarget()

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditItem:
        return cls(
            pk=PK_PREFIX + entry.day,
            sk=entry.sort_key,
            actor=entry.actor,
            target_id=entry.target.id,
            action=entry.action,
            search=entry.search_text,
            document=entry.model_dump_json(),
        )

    def to_entry(self) -> AuditEntry:
        return AuditEntry.model_validate_json(self.document)


def _moment(at: Any) -> str:
    return str(to_vn(at).isoformat(timespec="microseconds"))


class DynamoAuditLog:
    def record(self, entries: list[AuditEntry]) -> int:
        """Batch writes (25 a request): an entry's key and content follow from its outbox item,
        so writing it again puts the same item in the same place, never a second entry."""
        with AuditItem.batch_write() as batch:
            for entry in entries:
                batch.save(AuditItem.of(entry))
        return len(entries)

    def search(self, query: AuditQuery) -> AuditPage:
        state = decode_token(query.token) if query.token else {}
        items: list[AuditEntry] = []
        partitions = list(self._partitions(query))
        names = [name for name, _, _ in partitions]
        start = names.index(state["p"]) if state.get("p") in names else 0
        for position, (name, index, hash_value) in enumerate(partitions[start:], start):
            last_key = state.get("k") if state.get("p") == name else None
            condition = self._filter(query, index)
            results = index.query(
                hash_value,
                range_key_condition=AuditItem.sk.between(_moment(query.start), _moment(query.end) + LAST),
                filter_condition=condition,
                scan_index_forward=False,
                limit=query.limit - len(items),
                last_evaluated_key=last_key,
                # A filter keeps few of what a page reads: read DynamoDB's most (1 MB) a request.
                page_size=min(max(query.limit, 25), 500) if condition is None else FILTERED_PAGE,
            )
            items.extend(r.to_entry() for r in results)
            if len(items) >= query.limit:
                lek = results.last_evaluated_key
                if lek:
                    return AuditPage(items, encode_token({"p": name, "k": lek}))
                later = names[position + 1 :]
                return AuditPage(items, encode_token({"p": later[0], "k": None}) if later else None)
        return AuditPage(items)

    @staticmethod
    def _partitions(query: AuditQuery) -> Iterator[tuple[str, Any, str]]:
        """(name, index, hash value), newest first: one index by actor or target, else the days."""
        if query.actor is not None:
            yield f"actor:{query.actor}", AuditItem.by_actor, query.actor
        elif query.target_id is not None:
            yield f"target:{query.target_id}", AuditItem.by_target, query.target_id
        else:
            for day in query.days:
                yield f"day:{day}", AuditItem, PK_PREFIX + day

    @staticmethod
    def _filter(query: AuditQuery, index: Any) -> Condition | None:
        conditions: list[Condition] = []
        if query.target_id is not None and index is not AuditItem.by_target:
            conditions.append(AuditItem.target_id == query.target_id)
        if query.action:
            conditions.append(AuditItem.action.startswith(query.action))
        conditions.extend(AuditItem.search.contains(term) for term in query.terms)
        if not conditions:
            return None
        combined = conditions[0]
        for more in conditions[1:]:
            combined = combined & more
        return combined
