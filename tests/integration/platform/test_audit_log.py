"""The audit log on moto: the adapter holds the contract with Query only (no Scan), and the
administrative changes that live in DynamoDB commit their event in the change's transaction."""

from __future__ import annotations

import json

import pytest

from contracts.audit_log import AuditLogContract
from ioc_core.platform import audit_context
from ioc_core.platform.audit_context import AuditContext
from ioc_core.settings import Settings

pytestmark = pytest.mark.integration
ADMIN = AuditContext(actor="quantri", role="admin", ip="198.51.100.9", route="POST /api/v1/admin/api-keys")


class TestDynamoAuditLog(AuditLogContract):
    @pytest.fixture(autouse=True)
    def empty(self, stack: Settings, no_scans: None) -> None:
        from ioc_core.platform.wiring import audit_log

        self.log = audit_log()


def _outbox() -> list[tuple[str, dict[str, object], AuditContext | None]]:
    from ioc_core.platform.outbox import OutboxItem

    return [
        (i.event_type, json.loads(i.payload), AuditContext.from_json(i.audit))
        for i in OutboxItem.scan()  # the test reads the whole outbox: a handful of items
    ]


def test_an_api_key_created_and_revoked_commits_one_event_each_with_the_context_beside_it(
    stack: Settings,
) -> None:
    from ioc_core.field_reporting.wiring import api_keys
    from ioc_core.platform.api_keys import hash_key

    with audit_context.acting(ADMIN):
        raw = api_keys().create("Đối tác Hải Đăng", by="quantri")
        api_keys().revoke(hash_key(raw), by="quantri")
        api_keys().revoke(hash_key(raw), by="quantri")  # a second revoke changes nothing
    staged = _outbox()
    assert sorted(t.rsplit(".", 1)[-1] for t, _, _ in staged) == ["created", "revoked"]
    for _, payload, context in staged:
        assert context == ADMIN
        assert payload["subject"] == hash_key(raw) and payload["data"] == {"name": "Đối tác Hải Đăng"}
        assert "quantri" not in json.dumps(payload) and "198.51.100.9" not in json.dumps(payload)


def test_replacing_the_routing_rules_commits_its_event(stack: Settings) -> None:
    from ioc_core.field_reporting.wiring import router

    with audit_context.acting(ADMIN):
        router().replace_admin_rules(
            [{"service_code": "street_light_out", "ward_code": "22945", "unit": "CSCC"}]
        )
    ((kind, payload, context),) = _outbox()
    assert kind.endswith("routing.changed") and payload["data"] == {"rules": 1, "units": ["CSCC"]}
    assert context == ADMIN
