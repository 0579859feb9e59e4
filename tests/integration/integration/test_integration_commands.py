"""`ioc integration subscribe` and `ioc integration redrive` against a stack on moto."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ioc_core.settings import Settings

pytestmark = pytest.mark.integration


@pytest.fixture
def on_stack(stack: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in ("IOC_AWS_ENDPOINT", "IOC_PUBLIC_BASE_URL"):  # restored after the test
        monkeypatch.setenv(name, os.environ.get(name, ""))
    monkeypatch.setenv("IOC_AWS_ENDPOINT", str(stack.aws_endpoint))
    monkeypatch.setenv("IOC_DEV_STATE", str(tmp_path / "dev.json"))  # not the checkout's
    return stack


def test_subscribe_prints_one_json_object_with_the_id_and_the_secret(
    on_stack: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from ioc_core.cli import main
    from ioc_core.integration.deliveries.wiring import subscription_service

    code = main(
        [
            "integration",
            "subscribe",
            "http://127.0.0.1:9911/hook",
            "--types",
            "field_reporting.report.submitted",
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 0 and out.count("\n") == 1
    printed = json.loads(out)
    assert printed["id"].startswith("sub_") and printed["secret"].startswith("whsec_")
    assert printed["types"] == ["field_reporting.report.submitted"]
    stored = subscription_service().get(printed["id"])
    assert stored.signing_secrets(stored.created_at) == [printed["secret"]]


def test_a_refused_url_or_type_is_one_line_and_exit_2(
    on_stack: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from ioc_core.cli import main

    for argv, said in (
        (["integration", "subscribe", "http://partner.example.vn/hook"], "https"),
        (["integration", "subscribe", "https://partner.example.vn/", "--types", "nope.no.no"], "nope.no.no"),
        (["integration", "redrive", "--subscription", "sub_" + "0" * 20], "No subscription"),
    ):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith("error: ") and said in err


def test_redrive_sends_every_parked_delivery_again(
    on_stack: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from contracts.deliveries import delivery
    from ioc_core.cli import main
    from ioc_core.integration.deliveries.models import DeliveryStatus
    from ioc_core.integration.deliveries.wiring import delivery_store

    assert main(["integration", "subscribe", "http://127.0.0.1:9911/hook"]) == 0
    sub_id = json.loads(capsys.readouterr().out)["id"]
    for n in range(2):
        parked = delivery(f"e{n}", f"PT-{n}", position=n + 1, status=DeliveryStatus.PARKED, due_at=None)
        delivery_store().add(parked.model_copy(update={"subscription_id": sub_id}))
    assert main(["integration", "redrive"]) == 0
    assert json.loads(capsys.readouterr().out) == {"redriven": {sub_id: 2}, "total": 2}
    assert main(["integration", "redrive", "--subscription", sub_id]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 0
    pending = delivery_store().of_subscription(sub_id, DeliveryStatus.PENDING, 10).items
    assert [(d.event_id, d.redriven, d.attempts) for d in pending] == [("e0", 1, 0), ("e1", 1, 0)]


def test_replay_queues_a_range_for_one_subscription_and_refuses_a_bad_one(
    on_stack: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import datetime, timedelta

    from ioc_core.cli import main
    from ioc_core.shared.clock import VN_TZ

    main(["integration", "subscribe", "http://127.0.0.1:9911/hook"])
    sub = json.loads(capsys.readouterr().out)["id"]
    now = datetime.now(VN_TZ).replace(microsecond=0)
    start, end = (now - timedelta(days=2)).isoformat(), (now - timedelta(days=1)).isoformat()
    code = main(["integration", "replay", sub, "--from", start, "--to", end])
    out, _ = capsys.readouterr()
    assert code == 0, out
    shown = json.loads(out)
    assert (
        shown["subscription_id"] == sub
        and shown["replay_id"].startswith("rpl_")
        and shown["status"] == "queued"
    )
    for wrong in (["--from", "yesterday", "--to", end], ["--from", end, "--to", start]):
        assert main(["integration", "replay", sub, *wrong]) == 2
        _, err = capsys.readouterr()
        assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
