"""The subscriptions' CloudEvents: what administrators did to them and what the system did
(disabled an endpoint that answered 410 or failed for days: how the city's administrators are
told, in the audit log and on the console's integration page). Data names the subscription and
its endpoint's host, never the URL (its path or query may hold a partner's token) nor a secret."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from ioc_core.integration.deliveries.models import Subscription
from ioc_core.platform.rooms import Label
from ioc_core.shared.cloudevents import CloudEvent

SUBSYSTEM = "integration"
CREATED = "integration.subscription.created"
PAUSED = "integration.subscription.paused"
RESUMED = "integration.subscription.resumed"
SECRET_ROTATED = "integration.subscription.secret_rotated"  # noqa: S105 (an event type)
DISABLED = "integration.subscription.disabled"
DELETED = "integration.subscription.deleted"
REDRIVEN = "integration.subscription.redriven"
EMITS = (CREATED, PAUSED, RESUMED, SECRET_ROTATED, DISABLED, DELETED, REDRIVEN)


def subscription_event(short: str, subscription: Subscription, at: datetime, **extra: object) -> CloudEvent:
    data = {
        "subscription_id": subscription.subscription_id,
        "host": urlsplit(subscription.url).hostname or "",
        "status": subscription.status.value,
        "types": list(subscription.types),
        "wards": list(subscription.wards),
    }
    if subscription.disabled_reason is not None:
        data["disabled_reason"] = subscription.disabled_reason.value
    return CloudEvent.new(
        short, subsystem=SUBSYSTEM, subject=subscription.subscription_id, at=at, data=data | extra,
        sequence=subscription.version,
    )  # fmt: skip


def audit_words() -> Mapping[str, Label]:
    return {
        CREATED: Label("Tạo đăng ký nhận sự kiện", "Subscription created"),
        PAUSED: Label("Tạm dừng đăng ký", "Subscription paused"),
        RESUMED: Label("Tiếp tục đăng ký", "Subscription resumed"),
        SECRET_ROTATED: Label("Đổi khóa ký đăng ký", "Subscription secret rotated"),
        DISABLED: Label("Hệ thống vô hiệu hóa đăng ký", "Subscription disabled by the system"),
        DELETED: Label("Xóa đăng ký", "Subscription deleted"),
        REDRIVEN: Label("Gửi lại sự kiện bị treo", "Parked deliveries redriven"),
        "status:active": Label("Đang hoạt động", "Active"),
        "status:paused": Label("Tạm dừng", "Paused"),
        "status:disabled": Label("Bị vô hiệu hóa", "Disabled"),
    }
