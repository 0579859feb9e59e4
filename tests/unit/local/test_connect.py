"""Which stack an `ioc` command talks to (flags, environment, what `ioc dev` recorded,
defaults), and what it says when nothing answers there."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from ioc_core.local.connect import Source, StackUnavailable, Target, check, resolve
from ioc_core.local.dev_state import DevState

pytestmark = pytest.mark.unit
RECORDED = DevState("127.0.0.1", 8250, 4650, os.getpid(), "2026-03-02T09:15:00+07:00")
DEAD_PID = 2**22 + 1  # above Linux's pid_max: no such process


def answers_at(*endpoints: str) -> Callable[[str], bool]:
    return lambda endpoint: endpoint in endpoints


def test_flags_come_first_then_the_environment_then_the_record_then_the_defaults() -> None:
    env = {"IOC_AWS_ENDPOINT": "http://127.0.0.1:4700", "IOC_PUBLIC_BASE_URL": "http://127.0.0.1:8700"}
    flagged = resolve(8300, 4660, env, RECORDED)
    assert (flagged.api_url, flagged.aws_endpoint, flagged.source) == (
        "http://127.0.0.1:8300",
        "http://127.0.0.1:4660",
        Source.FLAGS,
    )
    from_env = resolve(None, None, env, RECORDED)
    assert (from_env.api_url, from_env.aws_endpoint) == ("http://127.0.0.1:8700", "http://127.0.0.1:4700")
    recorded = resolve(None, None, {}, RECORDED)
    assert (recorded.api_url, recorded.aws_endpoint, recorded.source) == (
        "http://127.0.0.1:8250",
        "http://127.0.0.1:4650",
        Source.STATE,
    )
    assert resolve(None, None, {"PORT": "8001", "AWS_PORT": "4567"}, None) == Target(
        "http://127.0.0.1:8001", "http://127.0.0.1:4567", Source.DEFAULTS
    )
    assert resolve(None, None, {}, None).aws_endpoint == "http://127.0.0.1:4566"


def test_one_flag_takes_the_other_port_from_the_record() -> None:
    target = resolve(None, 4660, {}, RECORDED)
    assert (target.api_url, target.aws_endpoint) == ("http://127.0.0.1:8250", "http://127.0.0.1:4660")
    assert resolve(8300, None, {}, RECORDED).aws_endpoint == "http://127.0.0.1:4650"


def test_the_settings_get_both_addresses() -> None:
    assert resolve(8300, 4660, {}, None).environment() == {
        "IOC_AWS_ENDPOINT": "http://127.0.0.1:4660",
        "IOC_PUBLIC_BASE_URL": "http://127.0.0.1:8300",
    }
    # IOC_AWS_ENDPOINT set empty means AWS proper: nothing local to probe.
    aws = resolve(None, None, {"IOC_AWS_ENDPOINT": ""}, None)
    assert aws.aws_endpoint is None
    check(aws, ".ioc/dev.json", answers_at())


def test_a_running_stack_passes() -> None:
    check(resolve(None, None, {}, RECORDED), ".ioc/dev.json", answers_at("http://127.0.0.1:4650"))
    check(resolve(None, 4660, {}, None), ".ioc/dev.json", answers_at("http://127.0.0.1:4660"))


# Named, not the pid itself: pytest-xdist workers must collect the same test ids.
@pytest.mark.parametrize("whose", ["dead-process", "live-process"])
def test_a_record_left_by_a_stopped_stack_says_it_stopped(whose: str) -> None:
    """Its process is gone, or (a moto of its own outliving it aside) its ports do not answer."""
    pid = DEAD_PID if whose == "dead-process" else os.getpid()
    left = DevState("127.0.0.1", 8250, 4650, pid, "2026-03-02T09:15:00+07:00")
    answering = answers_at() if pid == os.getpid() else answers_at(left.aws_endpoint)
    with pytest.raises(StackUnavailable) as stopped:
        check(resolve(None, None, {}, left), ".ioc/dev.json", answering)
    message = str(stopped.value)
    assert "recorded in .ioc/dev.json" in message and "has stopped" in message
    assert "started 2026-03-02T09:15:00+07:00" in message and "AWS port 4650" in message
    assert "`make dev`" in message and "--port/--aws-port" in message


def test_each_source_says_what_to_do() -> None:
    with pytest.raises(StackUnavailable, match=r"4660 \(--aws-port 4660\).*make dev AWS_PORT=4660"):
        check(resolve(None, 4660, {}, None), "x", answers_at())
    with pytest.raises(StackUnavailable, match=r"4700 \(IOC_AWS_ENDPOINT\).*make dev"):
        check(resolve(None, None, {"IOC_AWS_ENDPOINT": "http://127.0.0.1:4700"}, None), "x", answers_at())
    with pytest.raises(StackUnavailable, match=r"no running `ioc dev` is recorded in \.ioc/dev\.json"):
        check(resolve(None, None, {}, None), ".ioc/dev.json", answers_at())
