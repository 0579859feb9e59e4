"""The dev IdP's attempt limits, standing in for what Cognito enforces in AWS: a lock-out that
grows after wrong passwords or authenticator codes, and a quota of one-time codes per phone
(an SMS costs money). A refusal is a 429 whose Retry-After says how long to wait."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ioc_core.identity.dev_store import DevIdpStore, change, document_name
from ioc_core.shared.errors import TooManyRequests


@dataclass(frozen=True)
class LockoutPolicy:
    """``free_tries`` failures in a row, then each further one locks the name out for
    ``first_lockout`` seconds, doubling up to ``longest_lockout`` (Cognito: five, then from one
    second to about fifteen minutes). A success, or ``forget_after`` seconds without a failure,
    starts afresh."""

    free_tries: int = 5
    first_lockout: int = 30
    longest_lockout: int = 900
    forget_after: int = 86_400

    def lockout(self, failures: int) -> int:
        if failures < self.free_tries:
            return 0
        return int(min(self.first_lockout * 2 ** (failures - self.free_tries), self.longest_lockout))


class Lockout:
    """Failures per name (a username, whether or not it exists: a lock-out tells nothing)."""

    def __init__(
        self, store: DevIdpStore, kind: str, clock: Callable[[], float], policy: LockoutPolicy | None = None
    ) -> None:
        self.store, self.kind, self.clock = store, kind, clock
        self.policy = policy or LockoutPolicy()

    def _name(self, key: str) -> str:
        return document_name(f"lockout-{self.kind}", key)

    def admit(self, key: str) -> None:
        """Count a try as failed before it is checked, so that tries in parallel are counted
        too (``succeeded`` takes it back); 429 while the name is locked out."""
        now = self.clock()

        def count(state: dict[str, Any] | None) -> dict[str, Any]:
            if state is None or now - state["last"] > self.policy.forget_after:
                state = {"failures": 0, "locked_until": 0.0}
            if now < state["locked_until"]:
                wait = math.ceil(state["locked_until"] - now)
                raise TooManyRequests(
                    f"Sai quá nhiều lần; thử lại sau {wait} giây / Too many failed attempts; try "
                    f"again in {wait} seconds.",
                    retry_after=wait,
                )
            failures = state["failures"] + 1
            lockout = self.policy.lockout(failures)
            return {"failures": failures, "locked_until": now + lockout if lockout else 0.0, "last": now}

        change(self.store, self._name(key), count)

    def succeeded(self, key: str) -> None:
        now = self.clock()
        change(self.store, self._name(key), lambda _: {"failures": 0, "locked_until": 0.0, "last": now})


@dataclass(frozen=True)
class SendPolicy:
    """One-time codes per phone: at most ``per_window`` in ``window`` seconds, and none again
    within ``resend_after`` seconds while the last one can still be used."""

    per_window: int = 5
    window: int = 900
    resend_after: int = 30

    def sent(self, history: list[float], last_usable: bool, now: float) -> list[float]:
        """The send history with one more code sent now; 429 when none may be sent."""
        recent = [at for at in history if now - at < self.window]
        if recent and last_usable and now - recent[-1] < self.resend_after:
            wait = math.ceil(recent[-1] + self.resend_after - now)
            raise TooManyRequests(
                f"Mã vừa được gửi; chờ {wait} giây rồi xin mã mới / A code was just sent; wait "
                f"{wait} seconds before asking again.",
                retry_after=wait,
            )
        if len(recent) >= self.per_window:
            wait = math.ceil(recent[0] + self.window - now)
            raise TooManyRequests(
                f"Đã gửi quá nhiều mã cho số này; thử lại sau {wait} giây / Too many codes for this "
                f"number; try again in {wait} seconds.",
                retry_after=wait,
            )
        return [*recent, now]
