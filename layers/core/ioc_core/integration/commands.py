"""`ioc integration …`: register a subscription for a partner (one JSON object with its id and
its secret, for operators scripting a partner's onboarding, and for tests), and redrive the
parked deliveries, or replay a time range to one subscription, against the running local stack."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from typing import Any

from ioc_core.shared.errors import DomainError


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def cmd_subscribe(args: argparse.Namespace, connect: Callable[[argparse.Namespace], None]) -> int:
    connect(args)
    from ioc_core.integration.deliveries.service import NewSubscription
    from ioc_core.integration.deliveries.wiring import subscription_service

    try:
        created = subscription_service().create(
            NewSubscription(
                url=args.url, types=tuple(args.types), wards=tuple(args.wards), description=args.description
            ),
            by="system:ioc-cli",
        )
    except DomainError as error:
        return _fail(error.message)
    sub = created.subscription
    shown = {
        "id": sub.subscription_id, "secret": created.secret, "url": sub.url, "types": sub.types,
        "wards": sub.wards, "status": sub.status.value,
    }  # fmt: skip
    print(json.dumps(shown, ensure_ascii=False))
    print("The secret is shown once: give it to the partner now.", file=sys.stderr)
    return 0


def cmd_redrive(args: argparse.Namespace, connect: Callable[[argparse.Namespace], None]) -> int:
    connect(args)
    from ioc_core.integration.deliveries.wiring import subscription_service

    service = subscription_service()
    try:
        chosen = [args.subscription] if args.subscription else [s.subscription_id for s in service.all()]
        redriven = {subscription_id: service.redrive(subscription_id) for subscription_id in chosen}
    except DomainError as error:
        return _fail(error.message)
    print(json.dumps({"redriven": redriven, "total": sum(redriven.values())}))
    return 0


def cmd_replay(args: argparse.Namespace, connect: Callable[[argparse.Namespace], None]) -> int:
    from ioc_core.shared.datetimes import parse_datetime

    try:
        start, end = parse_datetime(args.start), parse_datetime(args.end)
    except ValueError as error:
        return _fail(f"{error}: give times as ISO 8601 with their offset, e.g. 2026-12-01T08:00:00+07:00")
    connect(args)
    from ioc_core.integration.wiring import replay_service

    try:
        queued = replay_service().request(args.subscription, start, end, "system:ioc-cli")
    except DomainError as error:
        return _fail(error.message)
    print(json.dumps({"replay_id": queued.replay_id, "subscription_id": queued.subscription_id,
                      "from": start.isoformat(), "to": end.isoformat(), "status": "queued"}))  # fmt: skip
    return 0


def cmd_directive(args: argparse.Namespace, connect: Callable[[argparse.Namespace], None]) -> int:
    """Play the province: a directive signed with the stack's shared secret, sent to its webhook."""
    from datetime import date

    try:
        deadline = date.fromisoformat(args.deadline)
    except ValueError:
        return _fail(f"--deadline {args.deadline!r}: give a date as YYYY-MM-DD")
    connect(args)
    import boto3

    from ioc_core.integration.province import LOCAL_SECRET, directive_event, send
    from ioc_core.settings import get_settings

    settings = get_settings()
    client = boto3.client("secretsmanager", region_name=settings.region, endpoint_url=settings.aws_endpoint)
    try:
        secret = str(client.get_secret_value(SecretId=settings.name(LOCAL_SECRET))["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        return _fail("the stack holds no directives secret: is it an `ioc dev` started with this version?")
    document = directive_event(
        args.directive_id, args.title, args.owner, deadline, tuple(args.co_units), args.document_ref,
        args.expected_output,
    )  # fmt: skip
    # The stack's gateway as `connect` found it (the settings may have been read before).
    status, answer = send(os.environ.get("IOC_PUBLIC_BASE_URL") or settings.public_base_url, secret, document)
    print(json.dumps({"status": status, "answer": answer}, ensure_ascii=False))
    return 0 if status < 400 else 1


def add(
    commands: Any, on_stack: list[argparse.ArgumentParser], connect: Callable[[argparse.Namespace], None]
) -> None:
    integration = commands.add_parser("integration", help="the province's subscriptions and deliveries")
    actions = integration.add_subparsers(dest="action", required=True)
    subscribe = actions.add_parser(
        "subscribe", parents=on_stack, help="register a subscription; prints it once with its secret (JSON)"
    )
    subscribe.add_argument("url", help="the partner's endpoint (https; http to loopback in development)")
    subscribe.add_argument(
        "--types", nargs="+", default=[], metavar="T", help="short event types (default: all)"
    )
    subscribe.add_argument("--wards", nargs="+", default=[], metavar="W", help="ward codes (default: all)")
    subscribe.add_argument("--description", default="", help="who the subscription is for")
    subscribe.set_defaults(func=lambda args: cmd_subscribe(args, connect))
    redrive = actions.add_parser(
        "redrive", parents=on_stack, help="send the parked deliveries again (of one subscription or all)"
    )
    redrive.add_argument("--subscription", metavar="ID", help="one subscription (default: every one)")
    redrive.set_defaults(func=lambda args: cmd_redrive(args, connect))
    replay = actions.add_parser(
        "replay", parents=on_stack, help="send a time range of archived events again to one subscription"
    )
    replay.add_argument("subscription", metavar="ID", help="the subscription (sub_…)")
    replay.add_argument("--from", dest="start", required=True, help="start, ISO 8601 (its events' own time)")
    replay.add_argument("--to", dest="end", required=True, help="end, excluded; not in the future")
    replay.set_defaults(func=lambda args: cmd_replay(args, connect))
    directive = actions.add_parser(
        "directive", parents=on_stack, help="play the province: send a signed directive (it becomes a task)"
    )
    directive.add_argument("directive_id", metavar="ID", help="the province's id of it, e.g. CD-2026-0100")
    directive.add_argument("--title", required=True)
    directive.add_argument(
        "--owner", required=True, metavar="UNIT", help="the owner unit's code, e.g. KINHTE"
    )
    directive.add_argument("--deadline", required=True, help="YYYY-MM-DD")
    directive.add_argument("--co-units", nargs="+", default=[], metavar="UNIT")
    directive.add_argument("--document-ref", default="", help="e.g. 'Công văn 456/UBND-KT ngày 10/03/2026'")
    directive.add_argument("--expected-output", default="")
    directive.set_defaults(func=lambda args: cmd_directive(args, connect))
