"""The province's directives on fakes: a Standard Webhooks signature checked over the raw
bytes (the test signs by hand with hmac, independently of the package that verifies), the
timestamp window, the body and the units checked, duplicates ignored, nothing stored on a
refusal."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Sequence
from typing import Any

import pytest
from webhooks import signed_headers

from contracts.directive_store import DirectiveStoreContract, Outbox
from ioc_core.identity.errors import Unauthenticated
from ioc_core.integration.directives import (
    INBOUND_TYPE,
    RECEIVED,
    Directive,
    DirectiveService,
    standard_webhooks_verifier,
)
from ioc_core.shared.clock import VN_TZ, FixedClock
from ioc_core.shared.cloudevents import CloudEvent
from ioc_core.shared.errors import Conflict, ValidationFailed

pytestmark = pytest.mark.unit

KEY = bytes(range(32))
SECRET = "whsec_" + base64.b64encode(KEY).decode()
NEXT_KEY = bytes(range(32, 64))
NEXT_SECRET = "whsec_" + base64.b64encode(NEXT_KEY).decode()
UNITS = {"VHXH", "KINHTE", "CA_22945", "UBND_22945"}


class InMemoryDirectiveStore:
    def __init__(self) -> None:
        self.directives: dict[str, Directive] = {}
        self.webhooks: dict[str, str] = {}
        self.outbox: list[CloudEvent] = []

    def get(self, directive_id: str) -> Directive | None:
        return self.directives.get(directive_id)

    def by_webhook(self, webhook_id: str) -> Directive | None:
        found = self.webhooks.get(webhook_id)
        return self.directives.get(found) if found else None

    def add(self, directive: Directive, events: Sequence[CloudEvent]) -> bool:
        if directive.directive_id in self.directives or directive.webhook_id in self.webhooks:
            return False
        self.directives[directive.directive_id] = directive
        self.webhooks[directive.webhook_id] = directive.directive_id
        self.outbox.extend(events)
        return True


class TestInMemoryDirectiveStore(DirectiveStoreContract):
    @pytest.fixture
    def directive_store(self) -> InMemoryDirectiveStore:
        return InMemoryDirectiveStore()

    @pytest.fixture
    def outbox(self, directive_store: InMemoryDirectiveStore) -> Outbox:
        return lambda: [e.id for e in directive_store.outbox]


def signed(
    body: bytes, webhook_id: str = "msg_2Qa1", key: bytes = KEY, at: float | None = None
) -> dict[str, str]:
    """Standard Webhooks by hand (tests/webhooks.py): v1,base64(HMAC-SHA256(key, id.timestamp.body))."""
    return signed_headers(key, body, webhook_id, at)


def envelope(**data: Any) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": "b7f0c1e2-province-0001",
        "source": "/vn/gov/lamdong/ioc/chi-dao",
        "type": INBOUND_TYPE,
        "time": "2026-03-16T02:00:00Z",
        "data": {
            "directive_id": "CD-2026-0042",
            "title": "Kiểm tra an toàn bãi tắm Đồi Dương trước mùa du lịch hè",
            "title_en": "Inspect Đồi Dương beach safety before the summer season",
            "document_ref": "Công văn 456/UBND-KT ngày 10/03/2026",
            "owner_unit": "VHXH",
            "co_units": ["CA_22945"],
            "deadline": "2026-04-30",
            "expected_output": "Báo cáo kết quả kiểm tra",
        }
        | data,
    }


def raw(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


@pytest.fixture
def store() -> InMemoryDirectiveStore:
    return InMemoryDirectiveStore()


def service(store: InMemoryDirectiveStore, secrets: Sequence[str] = (SECRET,)) -> DirectiveService:
    from datetime import datetime

    clock = FixedClock(datetime(2026, 3, 16, 9, tzinfo=VN_TZ))
    return DirectiveService(
        standard_webhooks_verifier(lambda: list(secrets)), store, UNITS.__contains__, clock
    )


def test_a_signed_directive_is_stored_once_with_its_event(store: InMemoryDirectiveStore) -> None:
    body = raw(envelope())
    receipt = service(store).receive(body, signed(body))
    assert (receipt.status, receipt.directive_id) == ("accepted", "CD-2026-0042")
    [event] = store.outbox
    assert event.short_type == RECEIVED and event.subject == "directive/CD-2026-0042"
    assert event.data["owner_unit"] == "VHXH" and event.data["deadline"] == "2026-04-30"
    assert event.data["co_units"] == ["CA_22945"] and event.sequence is not None


def test_a_redelivery_and_the_same_directive_under_a_new_id_are_ignored(
    store: InMemoryDirectiveStore,
) -> None:
    body = raw(envelope())
    headers = signed(body)
    receive = service(store).receive
    assert receive(body, headers).status == "accepted"
    assert receive(body, headers).status == "duplicate"  # the same delivery again
    assert receive(body, signed(body, webhook_id="msg_other")).status == "duplicate"  # resent as new
    assert len(store.outbox) == 1


def test_the_same_directive_id_with_other_content_is_a_conflict(store: InMemoryDirectiveStore) -> None:
    first = raw(envelope())
    service(store).receive(first, signed(first))
    changed = raw(envelope(deadline="2026-05-31"))
    with pytest.raises(Conflict):
        service(store).receive(changed, signed(changed, webhook_id="msg_changed"))
    assert len(store.outbox) == 1 and store.by_webhook("msg_changed") is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda body, h: (body.replace(b"VHXH", b"KINHTE"), h),  # body changed after signing
        lambda body, h: (body, signed(body, key=b"\x01" * 32)),  # another key
        lambda body, h: (body, signed(body, at=time.time() - 6 * 60)),  # older than five minutes
        lambda body, h: (body, signed(body, at=time.time() + 6 * 60)),  # from the future
        lambda body, h: (body, {**h, "webhook-id": "msg_swapped"}),  # id not the signed one
        lambda body, h: (body, {**h, "webhook-signature": "v1"}),  # the package raises ValueError here
        lambda body, h: (body, {**h, "webhook-signature": "v1,!!!notbase64"}),
        lambda body, h: (body, {k: v for k, v in h.items() if k != "webhook-timestamp"}),
    ],
)
def test_a_bad_signature_or_an_old_timestamp_is_401_and_changes_nothing(
    store: InMemoryDirectiveStore, tamper: Any
) -> None:
    body = raw(envelope())
    sent, headers = tamper(body, signed(body))
    with pytest.raises(Unauthenticated):
        service(store).receive(sent, headers)
    assert store.outbox == [] and store.directives == {}


def test_no_configured_secret_refuses_every_delivery(store: InMemoryDirectiveStore) -> None:
    body = raw(envelope())
    with pytest.raises(Unauthenticated):
        service(store, secrets=()).receive(body, signed(body))


def test_during_a_rotation_either_secret_verifies(store: InMemoryDirectiveStore) -> None:
    rotating = service(store, secrets=(NEXT_SECRET, SECRET))
    old, new = raw(envelope()), raw(envelope(directive_id="CD-2026-0043"))
    assert rotating.receive(old, signed(old, webhook_id="msg_old")).status == "accepted"
    assert rotating.receive(new, signed(new, webhook_id="msg_new", key=NEXT_KEY)).status == "accepted"
    assert len(store.outbox) == 2


@pytest.mark.parametrize(
    ("document", "field"),
    [
        (envelope(owner_unit="NOPE"), "data.owner_unit"),
        (envelope(co_units=["VHXH_X"]), "data.co_units[0]"),
        (envelope(deadline="30/04/2026"), "data.deadline"),
        (envelope(start="2026-05-01"), "data"),  # after its deadline
        (envelope(title="   "), "data.title"),
        (envelope(surprise=1), "data.surprise"),
        ({**envelope(), "type": "vn.gov.lamdong.phanthiet.ioc.task.assigned"}, "type"),
        ({k: v for k, v in envelope().items() if k != "data"}, "data"),
    ],
)
def test_a_malformed_directive_or_an_unknown_unit_is_400_naming_the_field(
    store: InMemoryDirectiveStore, document: dict[str, Any], field: str
) -> None:
    body = raw(document)
    with pytest.raises(ValidationFailed) as refused:
        service(store).receive(body, signed(body))
    assert any(p.field.startswith(field) for p in refused.value.problems), refused.value.problems
    assert store.outbox == []


def test_a_body_that_is_not_json_is_400(store: InMemoryDirectiveStore) -> None:
    for body in (b"{not json", b"[]", b'{"specversion": NaN}'):
        with pytest.raises(ValidationFailed):
            service(store).receive(body, signed(body))
    # The package verifies text: bytes that are not UTF-8 never verify (401, not a 500).
    with pytest.raises(Unauthenticated):
        service(store).receive(b"\xff\xfe", signed(b"\xff\xfe"))
    assert store.outbox == []


def test_texts_are_kept_in_nfc_without_markup(store: InMemoryDirectiveStore) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Kiểm tra <b>bãi tắm</b>")
    body = raw(envelope(title=decomposed))
    service(store).receive(body, signed(body))
    title = store.outbox[0].data["title"]
    assert title == unicodedata.normalize("NFC", title) and "<b>" not in title
