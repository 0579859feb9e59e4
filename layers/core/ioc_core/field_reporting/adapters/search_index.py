"""PynamoDB adapter of the search index: one table, a posting per (term, report) and a doc per
report under the partition ``#doc``. Postings hold no more than the key; the doc holds what
the queue filters on and the report's terms, so a changed report rewrites only what changed."""

from __future__ import annotations

from collections.abc import Sequence

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from ioc_core.field_reporting import search
from ioc_core.field_reporting.search import SearchDoc
from ioc_core.platform.dynamo import UNBOUND
from ioc_core.settings import Settings

DOC = "#doc"  # no word folds to "#": the docs' partition cannot meet a term's
BATCH_GET = 100


class SearchItem(Model):
    class Meta:
        table_name = UNBOUND

    term = UnicodeAttribute(hash_key=True)
    report_id = UnicodeAttribute(range_key=True)
    version = NumberAttribute(null=True)  # docs only
    document = UnicodeAttribute(null=True)  # docs only: the SearchDoc as JSON


class DynamoSearchIndex:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def postings(self, term: str, limit: int) -> set[str]:
        rows = SearchItem.query(
            term, limit=limit, page_size=min(limit, 1000), attributes_to_get=["report_id"]
        )
        return {row.report_id for row in rows}

    def docs(self, report_ids: Sequence[str]) -> list[SearchDoc]:
        keys = [(DOC, i) for i in dict.fromkeys(report_ids)]
        found: list[SearchDoc] = []
        for start in range(0, len(keys), BATCH_GET):
            rows = SearchItem.batch_get(keys[start : start + BATCH_GET])
            found += [SearchDoc.model_validate_json(row.document) for row in rows if row.document]
        return found

    def put(self, docs: Sequence[SearchDoc]) -> int:
        """Docs newer than the stored ones, with their postings, in batches of 25. A batch is
        not a transaction: a crash between postings and doc leaves the old doc, so the replayed
        event redoes the same changes (writes and deletes of keys are idempotent)."""
        latest = search.newest(docs)
        stored = {d.report_id: d for d in self.docs(list(latest))}
        fresh = [d for d in latest.values() if search.supersedes(d, stored.get(d.report_id))]
        with SearchItem.batch_write() as batch:
            for doc in fresh:
                added, removed = search.changes(stored.get(doc.report_id), doc)
                for term in added:
                    batch.save(SearchItem(term=term, report_id=doc.report_id))
                for term in removed:
                    batch.delete(SearchItem(term=term, report_id=doc.report_id))
        with SearchItem.batch_write() as batch:  # docs last: a doc names postings that exist
            for doc in fresh:
                batch.save(
                    SearchItem(
                        term=DOC, report_id=doc.report_id, version=doc.version, document=doc.model_dump_json()
                    )
                )
        return len(fresh)
