"""Signed-in requests against the Chalice app with real tokens from the dev IdP: residents
read their one-time code from the console log, staff sign in with password and TOTP."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import pyotp
import pytest
from chalice.test import Client

API = "/api/v1"
JSON = {"Content-Type": "application/json"}
INSIDE = (10.928, 108.102)  # Phường Phan Thiết (22945)
STREET_LIGHT = {"service_code": "street_light_out", "attributes": {"lights_affected": "one"}}
OTP_LINE = re.compile(r"one-time code for (\+84\d{9}): (\d{6})")


@dataclass
class Session:
    """Requests as the gateway routes them: ``/auth/…`` to identity's API, the rest to ``client``."""

    client: Client
    caplog: pytest.LogCaptureFixture
    auth: Client
    credentials: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)

    def call(self, method: str, path: str, body: Any = None, token: str | None = None, **headers: str) -> Any:
        sent = dict(headers)
        raw = b""
        if body is not None:
            raw = json.dumps(body).encode()
            sent.update(JSON)
        if token:
            sent["Authorization"] = f"Bearer {token}"
        target = self.auth if path.startswith("/auth/") else self.client
        return target.http.request(method, f"{API}{path}", headers=sent, body=raw)

    def resident(self, phone: str = "0912345678") -> str:
        key = f"resident:{phone}"
        if key not in self.tokens:
            self.caplog.set_level(logging.INFO, logger="ioc.dev_idp")
            started = self.call("POST", "/auth/otp/start", {"phone": phone})
            assert started.status_code == 202, started.body
            codes = [m for r in self.caplog.records for m in OTP_LINE.findall(r.getMessage())]
            digits = re.sub(r"\D", "", phone)[-9:]
            code = next(c for p, c in reversed(codes) if p.endswith(digits))
            verified = self.call("POST", "/auth/otp/verify", {"phone": phone, "code": code})
            assert verified.status_code == 200, verified.body
            self.tokens[key] = json.loads(verified.body)["access_token"]
        return self.tokens[key]

    def staff(self, username: str) -> str:
        if username not in self.tokens:
            if not self.credentials:
                from ioc_core.identity.wiring import dev_idp

                provider = dev_idp()
                assert provider is not None
                self.credentials = {c.username: c for c in provider.ensure_staff()}
            creds = self.credentials[username]
            first = self.call(
                "POST", "/auth/staff/sign-in", {"username": username, "password": creds.password}
            )
            assert first.status_code == 200, first.body
            session = json.loads(first.body)["session"]
            code = pyotp.TOTP(creds.totp_secret).now()
            second = self.call("POST", "/auth/staff/mfa", {"session": session, "code": code})
            assert second.status_code == 200, second.body
            signed = json.loads(second.body)
            self.tokens[username], self.refresh_tokens[username] = (
                signed["access_token"],
                signed["refresh_token"],
            )
        return self.tokens[username]


def body(response: Any) -> Any:
    return json.loads(response.body)
