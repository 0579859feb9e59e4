"""The contract check tests/conftest.py holds every emitted event to (tests/contracts/events.py)
catches what it is there to catch: a wrong field, a missing sequence, an unknown type or version,
a phone number or e-mail in the data; and it fails the test that emitted the event."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contracts import events as event_contract
from contracts.events import Watch, breaches_expected, personal_data, problems
from ioc_core.platform import events as platform_events
from ioc_core.shared import cloudevents
from ioc_core.shared.cloudevents import CloudEvent

pytestmark = pytest.mark.unit

AT = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[3]


def key_created(name: object = "partner-app") -> CloudEvent:
    return platform_events.api_key_event(platform_events.API_KEY_CREATED, "a" * 64, name, AT)  # type: ignore[arg-type]


def test_a_good_event_keeps_its_contract() -> None:
    assert problems(key_created()) == []


def test_a_field_of_the_wrong_type_is_named() -> None:
    with breaches_expected():
        bad = key_created(name=7)
    assert problems(bad) == ["data.name: 7 is not of type 'string'"]


def test_a_field_the_schema_does_not_know_is_refused() -> None:
    event = key_created()
    event.data["reporter_phone"] = "x"

    assert problems(event) == [
        "data: Additional properties are not allowed ('reporter_phone' was unexpected)"
    ]


def test_an_event_without_a_sequence_or_with_an_unknown_schema_version_is_refused() -> None:
    event = key_created().model_copy(update={"sequence": None, "sequencetype": None})
    assert "envelope: $: 'sequence' is a required property" in problems(event)

    later = key_created().model_copy(
        update={"dataschema": cloudevents.schema_uri("platform.api_key.created", 9)}
    )
    assert problems(later) == [
        f"dataschema {later.dataschema!r}: not a published schema of platform.api_key.created"
    ]


def test_a_type_no_room_emits_is_refused() -> None:
    event = CloudEvent.new(
        "platform.thing.happened", subsystem="platform", subject="x", at=AT, data={}, sequence=1
    )
    assert problems(event) == ["platform.thing.happened: no room emits this type"]


@pytest.mark.parametrize(
    "text",
    ["liên hệ 0912345678", "gọi +84 912 345 678", "SĐT 0263.3822.111", "mail nguyen.van.a@gmail.com"],
)
def test_a_phone_number_or_e_mail_anywhere_in_the_data_is_found(text: str) -> None:
    assert personal_data({"note": {"lines": [text]}}) != []
    with breaches_expected():
        event = key_created(name=text)
    assert any(p.startswith("personal data in data: ") for p in problems(event))


@pytest.mark.parametrize(
    "text",
    [
        "PT-7K3M9Q2X",
        "2026-03-02T09:00:00+07:00",
        "pack-2026-11-20261130-0a1b2c3d4e",
        "0.85",
        "22918",
        "e3b0c44298fc",
    ],
)
def test_ids_times_codes_and_figures_are_not_taken_for_phone_numbers(text: str) -> None:
    assert personal_data({"value": text}) == []


def test_the_watch_checks_what_the_system_builds_and_leaves_a_test_s_own_input_alone() -> None:
    watch = Watch()
    with breaches_expected(), cloudevents.observing(watch):
        key_created(name=7)  # built by ioc_core.platform.events
        CloudEvent.new(
            "platform.api_key.created", subsystem="platform", subject="k", at=AT, data={}
        )  # a test's

    assert watch.seen == 1
    [breach] = watch.take()
    assert breach.startswith("platform.api_key.created (built in ioc_core.platform.events, subject aaaa")
    assert "data.name: 7 is not of type 'string'" in breach


def test_the_session_s_watch_is_on_and_fails_the_test_that_emitted_a_bad_event() -> None:
    with breaches_expected() as taken:
        key_created(name=7)  # the session's watch sees it: unexpected, this test would fail after its body
    assert len(taken) == 1 and "data.name: 7 is not of type 'string'" in taken[0]

    event_contract.SESSION.breaches = list(taken)  # as if the block had not expected them
    with pytest.raises(pytest.fail.Exception, match=r"(?s)events that break their contract.*data.name: 7"):
        event_contract.SESSION.fail_on_breaches()  # what tests/conftest.py calls after setup and body
    assert event_contract.SESSION.breaches == []  # failing took them: this test itself passes


_BAD_EMITTER = """
from datetime import UTC, datetime

from ioc_core.platform import events


def test_emits_a_bad_event():
    events.api_key_event(events.API_KEY_CREATED, "k" * 64, 7, datetime.now(UTC))
"""


def test_a_test_that_emits_a_bad_event_fails_with_the_reason(tmp_path: Path) -> None:
    """tests/conftest.py's hooks, in a pytest run of their own: the emitting test fails."""
    (tmp_path / "test_bad_emitter.py").write_text(_BAD_EMITTER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "layers" / "core"), str(ROOT / "tests")])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120, check=False,
    )  # fmt: skip

    assert run.returncode == 1, run.stdout + run.stderr
    assert "events that break their contract" in run.stdout
    assert "data.name: 7 is not of type 'string'" in run.stdout
    assert "1 failed" in run.stdout
