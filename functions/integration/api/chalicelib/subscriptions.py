"""/api/v1/integration/subscriptions routes: parse, call one service, render. The contract
(routes, roles, models) is ioc_core.integration.subscriptions_api."""

from __future__ import annotations

import re

from chalice import Blueprint, Response

from ioc_core.integration import subscriptions_api as api
from ioc_core.integration.deliveries.models import DeliveryStatus
from ioc_core.integration.deliveries.service import NewSubscription
from ioc_core.integration.deliveries.wiring import attempt_log, delivery_store, subscription_service
from ioc_core.integration.wiring import replay_service
from ioc_core.platform.api import http
from ioc_core.platform.api.openapi import IDEMPOTENCY_KEY_PATTERN
from ioc_core.shared.clock import iso
from ioc_core.shared.errors import FieldProblem, ValidationFailed

bp = Blueprint(__name__)


@bp.route("", methods=["GET"])
@http.problem_json
def list_subscriptions() -> Response:
    return http.reply(
        api.SubscriptionList(items=[api.SubscriptionView.of(s) for s in subscription_service().all()])
    )


@bp.route("", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def create_subscription() -> Response:
    sent = http.body(api.NewSubscriptionBody)
    created = subscription_service().create(
        NewSubscription(
            url=sent.url, types=tuple(sent.types), wards=tuple(sent.wards), description=sent.description
        ),
        by=http.actor(),
        idempotency_key=_idempotency_key(),
    )
    view = api.SubscriptionWithSecret(
        subscription=api.SubscriptionView.of(created.subscription), secret=created.secret
    )
    return http.reply(view, 200 if created.replayed else 201)


def _idempotency_key() -> str | None:
    raw = http.header("idempotency-key")
    if raw is not None and not re.fullmatch(IDEMPOTENCY_KEY_PATTERN, raw):
        raise ValidationFailed(
            "Idempotency-Key không hợp lệ / The Idempotency-Key header is malformed.",
            problems=[FieldProblem("Idempotency-Key", "1–128 printable ASCII characters")],
        )
    return raw


@bp.route("/{subscription_id}", methods=["GET"])
@http.problem_json
def get_subscription(subscription_id: str) -> Response:
    return http.reply(api.SubscriptionView.of(subscription_service().get(subscription_id)))


@bp.route("/{subscription_id}", methods=["DELETE"])
@http.problem_json
def delete_subscription(subscription_id: str) -> Response:
    subscription_service().delete(subscription_id)
    return Response(body="", status_code=204)


@bp.route("/{subscription_id}/pause", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def pause_subscription(subscription_id: str) -> Response:
    return http.reply(api.SubscriptionView.of(subscription_service().pause(subscription_id)))


@bp.route("/{subscription_id}/resume", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def resume_subscription(subscription_id: str) -> Response:
    return http.reply(api.SubscriptionView.of(subscription_service().resume(subscription_id)))


@bp.route("/{subscription_id}/rotate-secret", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def rotate_secret(subscription_id: str) -> Response:
    rotated = subscription_service().rotate(subscription_id)
    view = api.SubscriptionWithSecret(
        subscription=api.SubscriptionView.of(rotated.subscription), secret=rotated.secret
    )
    return http.reply(view)


@bp.route("/{subscription_id}/attempts", methods=["GET"])
@http.problem_json
def list_attempts(subscription_id: str) -> Response:
    query = http.query(api.PageQuery)
    subscription_service().get(subscription_id)  # 404 for no such subscription
    page = attempt_log().of_subscription(subscription_id, query.limit, http.cursor(query.cursor))
    return http.reply(
        api.AttemptList(
            items=[api.AttemptView.of(a) for a in page.items], next_cursor=http.next_cursor(page.next_token)
        )
    )


@bp.route("/{subscription_id}/parked", methods=["GET"])
@http.problem_json
def list_parked(subscription_id: str) -> Response:
    query = http.query(api.PageQuery)
    subscription_service().get(subscription_id)
    page = delivery_store().of_subscription(
        subscription_id, DeliveryStatus.PARKED, query.limit, http.cursor(query.cursor)
    )
    return http.reply(
        api.ParkedList(
            items=[api.ParkedView.of(d) for d in page.items], next_cursor=http.next_cursor(page.next_token)
        )
    )


@bp.route("/{subscription_id}/redrive", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def redrive(subscription_id: str) -> Response:
    return http.reply(api.Redriven(redriven=subscription_service().redrive(subscription_id)))


@bp.route("/{subscription_id}/replays", methods=["POST"], content_types=http.ANY_BODY)
@http.problem_json
def replay(subscription_id: str) -> Response:
    sent = http.body(api.ReplayBody)
    who, _ = http.signed_in()
    queued = replay_service().request(subscription_id, sent.from_, sent.to, who.username or who.sub)
    view = api.ReplayView(
        replay_id=queued.replay_id, subscription_id=queued.subscription_id, from_=iso(queued.start),
        to=iso(queued.end), status="queued",
    )  # fmt: skip
    return http.reply(view, status=202, headers={"Cache-Control": "no-store"}, by_alias=True)
