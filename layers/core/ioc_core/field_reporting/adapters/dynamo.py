"""PynamoDB adapter of the report repository. Every access pattern is a key or an index."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from ioc_core.field_reporting.models import Page, Report, ReportStatus
from ioc_core.field_reporting.ports import (
    IdempotencyClaim,
    IdempotencyConflict,
    ReportQuery,
    VersionConflict,
)
from ioc_core.platform.dynamo import (
    UNBOUND,
    cancelled_items,
    commit_each_once,
    decode_token,
    encode_token,
    transaction,
)
from ioc_core.platform.idempotency import IdempotencyItem
from ioc_core.platform.outbox import stage_events
from ioc_core.settings import Settings
from ioc_core.shared.clock import to_vn
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import ValidationFailed


def _index(index_name: str, partition: str, sorted_by_time: bool = True) -> type[GlobalSecondaryIndex[Any]]:
    """A GSI keyed on ``partition``, sorted by request time unless told otherwise."""
    meta = type("Meta", (), {"index_name": index_name, "projection": AllProjection()})
    attrs: dict[str, Any] = {"Meta": meta, partition: UnicodeAttribute(hash_key=True)}
    if sorted_by_time:
        attrs["requested_at"] = UnicodeAttribute(range_key=True)
    return type(f"{index_name}_index", (GlobalSecondaryIndex,), attrs)


class FollowItem(Model):
    """A resident's follow of someone else's report: the account, the report, when. Written
    with the report's own change (its followers), so the two never disagree."""

    class Meta:
        table_name = UNBOUND

    account_id = UnicodeAttribute(hash_key=True)
    report_id = UnicodeAttribute(range_key=True)
    followed_at = UnicodeAttribute()  # fixed-width ISO 8601 +07:00: sorts as time


class ReportItem(Model):
    class Meta:
        table_name = UNBOUND

    report_id = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    ward_code = UnicodeAttribute()
    service_code = UnicodeAttribute()
    reporter_id = UnicodeAttribute(null=True)  # sparse index: anonymous reports stay out
    month = UnicodeAttribute()  # yyyy-mm in Vietnam time
    requested_at = UnicodeAttribute()  # fixed-width ISO 8601 +07:00: sorts as time
    token = UnicodeAttribute(null=True)  # Open311 batch services answer with a token
    unit_code = UnicodeAttribute(null=True)  # sparse: set once the report is assigned to a unit
    assignee = UnicodeAttribute(null=True)  # who in the unit works on it (a filter, not an index)
    version = NumberAttribute()
    document = UnicodeAttribute()  # the whole Report as JSON

    by_status = _index("by_status", "status")()
    by_ward = _index("by_ward", "ward_code")()
    by_service = _index("by_service", "service_code")()
    by_reporter = _index("by_reporter", "reporter_id")()
    by_month = _index("by_month", "month")()
    by_token = _index("by_token", "token", sorted_by_time=False)()
    by_unit = _index("by_unit", "unit_code")()

    @classmethod
    def of(cls, report: Report) -> ReportItem:
        return cls(
            report_id=report.report_id,
            status=report.status.value,
            ward_code=report.location.ward_code,
            service_code=report.service_code,
            reporter_id=report.reporter.account_id,
            month=to_vn(report.requested_at).strftime("%Y-%m"),
            requested_at=_index_time(report.requested_at),
            token=report.token,
            unit_code=report.unit if _assigned(report) else None,
            assignee=report.assignee,
            version=report.version,
            document=report.model_dump_json(),
        )

    def to_report(self) -> Report:
        return Report.model_validate_json(self.document)


def _assigned(report: Report) -> bool:
    """Units see a report once it was assigned to them, not while it is only proposed."""
    return report.unit is not None and any(h.status is ReportStatus.ASSIGNED for h in report.history)


def _index_time(moment: datetime) -> str:
    """Fixed-width ISO 8601 in Vietnam time: sorts as time, to the microsecond."""
    return to_vn(moment).isoformat(timespec="microseconds")


def _chunks(histories: list[tuple[Report, list[CloudEvent]]]) -> list[list[tuple[Report, list[CloudEvent]]]]:
    """Histories grouped to fit DynamoDB's 100 items per transaction."""
    chunks: list[list[tuple[Report, list[CloudEvent]]]] = [[]]
    size = 0
    for history in histories:
        items = 1 + len(history[1])
        if size + items > 100 and chunks[-1]:
            chunks.append([])
            size = 0
        chunks[-1].append(history)
        size += items
    return [c for c in chunks if c]


def _months_back(start: datetime, end: datetime) -> list[str]:
    months = []
    cursor = to_vn(end).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    first = to_vn(start).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while cursor >= first:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor - timedelta(days=1)).replace(day=1)
    return months


class DynamoReportRepository:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def add(self, report: Report, events: list[CloudEvent], claim: IdempotencyClaim | None = None) -> None:
        try:
            with transaction(self.settings) as tx:
                tx.save(ReportItem.of(report), condition=ReportItem.report_id.does_not_exist())
                if claim:
                    tx.save(
                        IdempotencyItem.claim(claim.key, report.report_id, claim.fingerprint),
                        condition=IdempotencyItem.key.does_not_exist(),
                    )
                stage_events(tx, events)
        except TransactWriteError as error:
            failed = cancelled_items(error)
            if claim and 1 in failed:
                # As the port says: what the key created, not the report refused now.
                stored = self.find_claim(claim.key) or (report.report_id, claim.fingerprint)
                raise IdempotencyConflict(*stored) from error
            if 0 in failed:
                raise VersionConflict(f"report id {report.report_id} exists") from error
            raise

    def import_reports(self, histories: list[tuple[Report, list[CloudEvent]]]) -> int:
        return commit_each_once(_chunks(histories), self._import)

    def _import(self, chunk: list[tuple[Report, list[CloudEvent]]]) -> None:
        with transaction(self.settings) as tx:
            for report, events in chunk:
                tx.save(ReportItem.of(report), condition=ReportItem.report_id.does_not_exist())
                stage_events(tx, events)

    def save(self, report: Report, events: list[CloudEvent], expected_version: int) -> None:
        try:
            with transaction(self.settings) as tx:
                tx.save(ReportItem.of(report), condition=ReportItem.version == expected_version)
                stage_events(tx, events)
        except TransactWriteError as error:
            if 0 in cancelled_items(error):
                raise VersionConflict(report.report_id) from error
            raise

    def save_many(self, changes: list[tuple[Report, list[CloudEvent], int]]) -> None:
        try:
            with transaction(self.settings) as tx:
                for report, events, expected_version in changes:
                    tx.save(ReportItem.of(report), condition=ReportItem.version == expected_version)
                    stage_events(tx, events)
        except TransactWriteError as error:
            failed = cancelled_items(error)
            if failed:
                raise VersionConflict(", ".join(r.report_id for r, _, _ in changes)) from error
            raise

    def follow(self, report: Report, account_id: str, at: datetime, expected_version: int) -> None:
        follow = FollowItem(account_id, report.report_id, followed_at=_index_time(at))
        try:
            with transaction(self.settings) as tx:
                tx.save(ReportItem.of(report), condition=ReportItem.version == expected_version)
                tx.save(follow)
        except TransactWriteError as error:
            if 0 in cancelled_items(error):
                raise VersionConflict(report.report_id) from error
            raise

    def followed(self, account_id: str, limit: int) -> list[Report]:
        follows = sorted(
            FollowItem.query(account_id), key=lambda f: (f.followed_at, f.report_id), reverse=True
        )
        wanted = [f.report_id for f in follows[:limit]]
        found = {item.report_id: item.to_report() for item in ReportItem.batch_get(wanted)}
        return [found[r] for r in wanted if r in found]

    def get(self, report_id: str) -> Report | None:
        try:
            return ReportItem.get(report_id, consistent_read=True).to_report()
        except ReportItem.DoesNotExist:
            return None

    def find_by_token(self, token: str) -> Report | None:
        found = list(ReportItem.by_token.query(token, limit=1))
        return found[0].to_report() if found else None

    def find_claim(self, key: str) -> tuple[str, str] | None:
        try:
            item = IdempotencyItem.get(key, consistent_read=True)
        except IdempotencyItem.DoesNotExist:
            return None
        return item.result_id, item.fingerprint

    def query(self, query: ReportQuery) -> Page:
        if query.report_ids:
            found = [i.to_report() for i in ReportItem.batch_get(list(dict.fromkeys(query.report_ids)))]
            found.sort(key=lambda r: r.requested_at, reverse=True)
            return Page(items=found[: query.limit])
        state = decode_token(query.token) if query.token else {}
        items: list[Report] = []
        for partition, index, hash_value in self._partitions(query, state):
            last_key = state.get("k") if state.get("p") == partition else None
            results = index.query(
                hash_value,
                range_key_condition=self._range(index, query),
                filter_condition=self._filter(query, index),
                scan_index_forward=False,
                limit=query.limit - len(items),
                last_evaluated_key=last_key,
                page_size=min(max(query.limit, 25), 500),
            )
            items.extend(r.to_report() for r in results)
            if len(items) >= query.limit:
                lek = results.last_evaluated_key
                token = (
                    encode_token({"p": partition, "k": lek})
                    if lek
                    else self._next_partition(query, partition)
                )
                return Page(items=items, next_token=token)
            state = {}
        return Page(items=items)

    def count(self, query: ReportQuery) -> int:
        """Counted by DynamoDB on the same index and filter as ``query`` reads (Select=COUNT:
        no item leaves the table)."""
        if query.report_ids:
            return len(self.query(replace(query, token=None, limit=len(query.report_ids))).items)
        return sum(
            index.count(
                hash_value,
                range_key_condition=self._range(index, query),
                filter_condition=self._filter(query, index),
            )
            for _, index, hash_value in self._partitions(query, {})
        )

    def _next_partition(self, query: ReportQuery, partition: str) -> str | None:
        names = [p for p, _, _ in self._partitions(query, {})]
        later = names[names.index(partition) + 1 :] if partition in names else []
        return encode_token({"p": later[0], "k": None}) if later else None

    def _partitions(self, query: ReportQuery, state: dict[str, Any]) -> Iterator[tuple[str, Any, str]]:
        """(name, index, hash value) in newest-first order, resuming at the token's partition."""
        if query.unit_code:
            candidates = [(f"unit:{query.unit_code}", ReportItem.by_unit, query.unit_code)]
        elif query.ward_code:
            candidates = [(f"ward:{query.ward_code}", ReportItem.by_ward, query.ward_code)]
        elif query.reporter_id:
            candidates = [(f"reporter:{query.reporter_id}", ReportItem.by_reporter, query.reporter_id)]
        elif len(query.service_codes) == 1 and query.start is None:
            code = query.service_codes[0]
            candidates = [(f"service:{code}", ReportItem.by_service, code)]
        elif query.by_status:
            candidates = [(f"status:{s.value}", ReportItem.by_status, s.value) for s in query.statuses]
        else:
            if query.start is None or query.end is None:
                raise ValidationFailed("a time window is required to list reports")
            candidates = [
                (f"month:{m}", ReportItem.by_month, m) for m in _months_back(query.start, query.end)
            ]
        resume = state.get("p")
        started = resume is None
        for candidate in candidates:
            started = started or candidate[0] == resume
            if started:
                yield candidate

    @staticmethod
    def _range(index: Any, query: ReportQuery) -> Condition | None:
        attr = index.requested_at if hasattr(index, "requested_at") else ReportItem.requested_at
        if query.start and query.end:
            return attr.between(_index_time(query.start), _index_time(query.end))  # type: ignore[no-any-return]
        if query.start:
            return attr >= _index_time(query.start)  # type: ignore[no-any-return]
        if query.end:
            return attr <= _index_time(query.end)  # type: ignore[no-any-return]
        return None

    @staticmethod
    def _filter(query: ReportQuery, index: Any) -> Condition | None:
        condition: Condition | None = None
        if query.statuses and index is not ReportItem.by_status:
            condition = ReportItem.status.is_in(*[s.value for s in query.statuses])
        if query.service_codes and index is not ReportItem.by_service:
            more = ReportItem.service_code.is_in(*query.service_codes)
            condition = more if condition is None else condition & more
        if query.ward_code and index is not ReportItem.by_ward:
            ward = ReportItem.ward_code == query.ward_code
            condition = ward if condition is None else condition & ward
        if query.reporter_id and index is not ReportItem.by_reporter:
            reporter = ReportItem.reporter_id == query.reporter_id
            condition = reporter if condition is None else condition & reporter
        if query.assignee:
            person = ReportItem.assignee == query.assignee
            condition = person if condition is None else condition & person
        return condition


__all__ = ["DynamoReportRepository", "ReportItem", "ReportStatus"]
