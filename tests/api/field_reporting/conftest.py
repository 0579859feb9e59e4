"""Fixtures of the Open311 API tests: a small client speaking forms, JSON and XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest
from chalice.test import Client

from ioc_core.admin_units.registry import default_registry
from ioc_core.field_reporting.models import Report, ReportStatus
from ioc_core.shared.clock import FixedClock

BASE = "/open311/v2"
URLENCODED = "application/x-www-form-urlencoded; charset=utf-8"
BOUNDARY = "ioc-open311-test-boundary"

Fields = Sequence[tuple[str, str]]
Files = Sequence[tuple[str, str, str, bytes]]  # (field, filename, content type, data)


def inside_point() -> tuple[float, float]:
    """A point the registry places in Phường Phan Thiết."""
    point = default_registry().representative_point("22945")
    assert point is not None and default_registry().locate(*point) is not None
    return point


def multipart(fields: Fields, files: Files) -> tuple[bytes, str]:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields
    ]
    parts += [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
        + data
        + b"\r\n"
        for name, filename, content_type, data in files
    ]
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


@dataclass
class Answer:
    status: int
    content_type: str
    body: bytes

    @property
    def json(self) -> Any:
        assert self.content_type == "application/json; charset=utf-8", self.content_type
        return json.loads(self.body.decode("utf-8"))

    @property
    def xml(self) -> ET.Element:
        assert self.content_type == "text/xml; charset=utf-8", self.content_type
        assert self.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
        return ET.fromstring(self.body)


class Open311:
    """Requests against the app the way an Open311 client sends them."""

    SIMPLE_SERVICE = "sidewalk_damage"  # no attributes

    def __init__(self, client: Client, api_key: str) -> None:
        self.client = client
        self.api_key = api_key

    def get(self, path: str, headers: dict[str, str] | None = None, *, root: bool = False) -> Answer:
        """GET ``path`` under the v2 base, or under the site root."""
        full = path if root else f"{BASE}{path}"
        return self._answer(self.client.http.get(full, headers=headers or {}))

    def post(
        self,
        fields: Fields,
        fmt: str = "json",
        *,
        key: bool = True,
        headers: dict[str, str] | None = None,
        content_type: str = URLENCODED,
    ) -> Answer:
        pairs = [("api_key", self.api_key), *fields] if key else list(fields)
        body = urlencode(pairs).encode()
        return self.raw_post(body, content_type, fmt, headers=headers)

    def raw_post(
        self,
        body: bytes,
        content_type: str,
        fmt: str = "json",
        *,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        sent = {"Content-Type": content_type, **(headers or {})}
        response = self.client.http.post(f"{BASE}/requests.{fmt}", headers=sent, body=body)
        return self._answer(response)

    def post_multipart(self, fields: Fields, files: Files, headers: dict[str, str] | None = None) -> Answer:
        body, content_type = multipart([("api_key", self.api_key), *fields], files)
        return self.raw_post(body, content_type, headers=headers)

    @staticmethod
    def located(service_code: str = SIMPLE_SERVICE, *extra: tuple[str, str]) -> list[tuple[str, str]]:
        """The fields of a report at a point inside the city."""
        lat, lon = inside_point()
        return [("service_code", service_code), ("lat", str(lat)), ("long", str(lon)), *extra]

    def submit(self, service_code: str = SIMPLE_SERVICE, *extra: tuple[str, str]) -> str:
        """A valid report inside the city; returns its id."""
        answer = self.post(self.located(service_code, *extra))
        assert answer.status == 201, answer.body
        return str(answer.json[0]["service_request_id"])

    @staticmethod
    def _answer(response: Any) -> Answer:
        headers = {k.lower(): v for k, v in response.headers.items()}
        return Answer(response.status_code, headers.get("content-type", ""), response.body)


@pytest.fixture
def open311(field_reporting_client: Client, api_key: str) -> Open311:
    return Open311(field_reporting_client, api_key)


@pytest.fixture
def travel(open311: Open311, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``with travel(at):`` submits reports as if the clock read ``at``."""
    from ioc_core.field_reporting.wiring import intake_service

    service = intake_service()

    @contextmanager
    def at(moment: datetime) -> Iterator[None]:
        real = service.clock
        monkeypatch.setattr(service, "clock", FixedClock(moment))
        try:
            yield
        finally:
            monkeypatch.setattr(service, "clock", real)

    return at


@pytest.fixture
def move(open311: Open311) -> Any:
    """``move(report_id, status…, at=…)``: staff moves the report along its life cycle; the
    note of a resolution is the city's public one, every other note staff-only."""
    from ioc_core.field_reporting.wiring import intake_service
    from ioc_core.field_reporting.workflow import transition

    def apply(report_id: str, *statuses: ReportStatus, at: datetime, note: str | None = None) -> Report:
        service = intake_service()
        report = service.get(report_id)
        for status in statuses:
            action = "resolve" if status is ReportStatus.RESOLVED else None
            moved, event = transition(report, status, actor="staff:tester", at=at, note=note, action=action)
            service.repo.save(moved, [event], expected_version=report.version)
            report = moved
        return report

    return apply
