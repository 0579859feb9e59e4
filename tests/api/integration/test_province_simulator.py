"""Playing the province against the real local gateway: the shared secret made once in the
local Secrets Manager and read by the stack as in AWS (IOC_DIRECTIVES_SECRET_ID), a directive
signed by `ioc integration directive` accepted, a second send of it a duplicate, a directive
signed with another secret refused."""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ioc_core.integration import province
from ioc_core.local.gateway import Gateway
from ioc_core.rooms import RESOURCES
from ioc_core.settings import Settings
from support import free_port

pytestmark = pytest.mark.api


@pytest.fixture
def gateway(stack: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    monkeypatch.delenv("IOC_DIRECTIVES_SECRET", raising=False)
    for name in ("IOC_DIRECTIVES_SECRET_ID", "IOC_AWS_ENDPOINT", "IOC_PUBLIC_BASE_URL"):
        monkeypatch.setenv(name, os.environ.get(name, ""))  # restored after the test
    apis = tuple(api for api in RESOURCES.apis if api.name == "integration-api")
    served = Gateway("127.0.0.1", free_port(), apis)
    served.start()
    monkeypatch.setenv("IOC_AWS_ENDPOINT", str(stack.aws_endpoint))
    monkeypatch.setenv("IOC_PUBLIC_BASE_URL", served.url)
    monkeypatch.setenv("IOC_DEV_STATE", str(tmp_path / "dev.json"))
    try:
        yield served.url
    finally:
        served.stop()


def test_the_local_secret_is_made_once_and_a_signed_directive_is_taken_once(
    stack: Settings, gateway: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from ioc_core.cli import main

    first = province.ensure_local_secret(stack)
    assert province.ensure_local_secret(stack) == first  # once per stack
    os.environ["IOC_DIRECTIVES_SECRET_ID"] = first  # what ProvinceLink does in `ioc dev`
    args = ["integration", "directive", "CD-2026-0777", "--title", "Dọn vệ sinh bãi biển Đồi Dương",
            "--owner", "VHXH", "--deadline", "2030-01-15"]  # fmt: skip
    assert main(args) == 0
    sent = json.loads(capsys.readouterr().out)
    assert sent == {"status": 202, "answer": {"status": "accepted", "directive_id": "CD-2026-0777"}}
    assert main(args) == 0  # sent again (a new webhook-id): the same directive, ignored
    assert json.loads(capsys.readouterr().out)["answer"]["status"] == "duplicate"

    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    document = province.directive_event("CD-2026-0778", "Kiểm tra", "VHXH", date(2030, 1, 15))
    status, answer = province.send(gateway, other, document)
    assert status == 401 and "/" in answer["detail"]
