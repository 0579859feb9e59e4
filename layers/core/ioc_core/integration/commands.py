"""`ioc integration …`: register a subscription for a partner (one JSON object with its id and
its secret, for operators scripting a partner's onboarding, and for tests), and redrive the
parked deliveries, or replay a time range to one subscription, against the running local stack."""

from __future__ import annotations

import argparse
import json
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
