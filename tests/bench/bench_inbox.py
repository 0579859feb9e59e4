"""A page of a desk's inbox through the Lambda handler, against a bare PynamoDB query of the
same page, on an inbox as large as the demo's operators' (1,700 unread among thousands more
items of other inboxes). The handler path is the whole route: token check, the signed cursor,
the page, the unread count (the sparse index) and the presenter. Also the page's own time
against the issue's budget (under 1 s), and one mark-all-read of the 1,700.
"""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TARGET = 2.0  # the route adds a GetItem (the unread count) and the token check to the same query
BUDGET_S = 1.0
DESK, UNREAD, READ, OTHERS = "role:operator", 1_700, 300, 8_000
START = datetime(2026, 6, 1, tzinfo=UTC)


def api_event(path: str, query: dict[str, str], headers: dict[str, str]) -> dict[str, Any]:
    return {
        "resource": path,
        "path": path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()},
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": "GET",
            "path": f"/api{path}",
            "stage": "api",
            "requestId": str(uuid.uuid4()),
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def notes(recipient: str, count: int, offset: int, read: bool = False) -> list[Any]:
    from ioc_core.field_reporting.models import Notification, Text

    return [
        Notification(
            recipient=recipient,
            notification_id=f"{(START + timedelta(minutes=offset + n)):%Y%m%dT%H%M%S}000000_ev-{offset + n}",
            report_id=f"PT-{offset + n:08d}",
            kind="status_changed",
            title=Text(
                vi=f"Phản ánh PT-{offset + n:08d}: Đã tiếp nhận", en=f"Report PT-{offset + n:08d}: Verified"
            ),
            created_at=START + timedelta(minutes=offset + n),
            read=read,
        )
        for n in range(count)
    ]


def main() -> dict[str, Any]:
    from common import emit, interleaved, start_local_aws

    aws = start_local_aws()
    try:
        from ioc_core.field_reporting.adapters.notifications import NotificationItem
        from ioc_core.field_reporting.wiring import inbox
        from ioc_core.identity.wiring import dev_idp
        from ioc_core.local.lambdas import LocalContext
        from ioc_core.local.provision import provision
        from ioc_core.platform.wiring import ready

        settings = ready()
        provision(settings)
        sys.path.insert(0, str(ROOT / "functions" / "field_reporting" / "api"))
        from app import app  # type: ignore[import-not-found]

        store = inbox()
        store.add(notes(DESK, READ, 0, read=True) + notes(DESK, UNREAD, READ))
        for n in range(0, OTHERS, 1_000):  # other desks and residents share the table
            store.add(notes(f"account:AC-{n}", 1_000, 10_000 + n))
        provider = dev_idp()
        assert provider is not None
        token = provider.issue("operator-1", "bench", ["operator"]).access_token
        headers = {"Authorization": f"Bearer {token}"}
        context = LocalContext(function_name="bench-api")
        path = "/api/v1/workflow/notifications"

        def through_handler(i: int) -> None:
            response = app(api_event(path, {"limit": "50"}, headers), context)
            if response["statusCode"] != 200:
                raise RuntimeError(f"handler answered {response['statusCode']}: {response['body'][:300]}")

        def bare_query(i: int) -> None:
            list(NotificationItem.query(DESK, scan_index_forward=False, limit=50, page_size=50))

        page_s, floor_s = interleaved(through_handler, bare_query, rounds=3, runs=15)
        line = emit("field_reporting.inbox_page", page_s, "s", floor_s, TARGET)
        emit("field_reporting.inbox_page_budget", page_s, "s", BUDGET_S, 1.0)
        started = time.perf_counter()
        marked = store.mark_all_read(DESK, datetime.now(UTC))
        took = time.perf_counter() - started
        assert marked == UNREAD, marked
        print(f"# mark-all-read of {marked:,} items: {took:.2f} s", file=sys.stderr, flush=True)
        return line
    finally:
        aws.stop()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
