"""The DirectiveStore contract, one suite for the in-memory fake and the PynamoDB adapter.

A tier's module subclasses ``DirectiveStoreContract`` and provides ``directive_store`` (empty)
and ``outbox`` (the ids of the events stored). tests/unit/integration/test_directives.py runs
it on the fake; tests/integration/integration/test_directive_store.py on moto."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from ioc_core.integration.directives import Directive, DirectiveData, DirectiveStore, fingerprint, received
from ioc_core.shared.clock import VN_TZ

Outbox = Callable[[], list[str]]
AT = datetime(2026, 3, 16, 9, tzinfo=VN_TZ)


def directive(directive_id: str = "CD-2026-0042", webhook_id: str = "msg_1", **data: object) -> Directive:
    fields = {
        "directive_id": directive_id,
        "title": "Kiểm tra an toàn bãi tắm trước mùa du lịch hè",
        "owner_unit": "VHXH",
        "deadline": date(2026, 4, 30),
    }
    body = DirectiveData.model_validate(fields | data)
    return Directive(
        directive_id=directive_id, webhook_id=webhook_id, event_id=f"evt-{webhook_id}",
        source="/vn/gov/lamdong/ioc", fingerprint=fingerprint(body), received_at=AT, data=body,
    )  # fmt: skip


class DirectiveStoreContract:
    def test_a_directive_is_stored_with_its_event_and_found_by_either_id(
        self, directive_store: DirectiveStore, outbox: Outbox
    ) -> None:
        kept = directive()
        event = received(kept)
        assert directive_store.add(kept, [event]) is True
        assert directive_store.get("CD-2026-0042") == kept
        assert directive_store.by_webhook("msg_1") == kept
        assert directive_store.get("CD-2026-0043") is None and directive_store.by_webhook("msg_2") is None
        assert outbox() == [event.id]

    def test_a_taken_directive_or_webhook_id_writes_nothing(
        self, directive_store: DirectiveStore, outbox: Outbox
    ) -> None:
        first = directive()
        directive_store.add(first, [received(first)])
        before = outbox()
        same_directive = directive(webhook_id="msg_2", title="Khác")
        same_webhook = directive(directive_id="CD-2026-0099")
        for again in (same_directive, same_webhook):
            assert directive_store.add(again, [received(again)]) is False
        assert directive_store.by_webhook("msg_2") is None and directive_store.get("CD-2026-0099") is None
        assert directive_store.get("CD-2026-0042") == first
        assert sorted(outbox()) == sorted(before)
