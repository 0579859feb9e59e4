"""Fixtures defined once for every test level.

``aws``: one moto server per test process (the same local AWS ``make dev`` uses).
``provisioned``: every table, bucket, stream and queue, created once per test process under
its own prefix (an xdist worker is a process).
``stack``: those resources with the composition roots rebuilt on them; after each test they
are put back as provisioned and empty (tests/clean_slate.py), so tests never see each
other's data.

Every event the system builds in a test (setup or the test itself) is held to its contract
(tests/contracts/events.py): the test fails, naming the event and the reasons, when one breaks it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest

import clean_slate
from contracts import events as event_contract
from ioc_core.settings import Settings
from ioc_core.shared import cloudevents
from support import free_port, reset_wiring


def pytest_configure(config: pytest.Config) -> None:
    cloudevents.observe(event_contract.SESSION)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    result = yield  # what the fixtures built, session fixtures too
    event_contract.SESSION.fail_on_breaches()
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    result = yield
    event_contract.SESSION.fail_on_breaches()
    return result


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    seen = event_contract.SESSION.seen
    terminalreporter.write_line(
        f"event contract: {seen} events the system built, each checked against its schema"
    )


@pytest.fixture(scope="session")
def aws() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    from ioc_core.local.moto_patches import apply

    apply()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(
        {
            "IOC_AWS_ENDPOINT": endpoint,
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": "ap-southeast-1",
            "POWERTOOLS_SERVICE_NAME": "ioc-tests",
            "POWERTOOLS_METRICS_NAMESPACE": "ioc-tests",
        }
    )
    yield endpoint
    server.stop()


@pytest.fixture(scope="session")
def provisioned(aws: str) -> tuple[str, clean_slate.Baseline]:
    """(prefix, what exists under it), once per process: what every ``stack`` starts from."""
    from ioc_core.local.provision import provision
    from ioc_core.platform.wiring import ready

    prefix = f"t{os.getpid()}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("IOC_RESOURCE_PREFIX", prefix)
        reset_wiring()
        settings = ready()
        provision(settings)
        base = clean_slate.baseline(settings)
    reset_wiring()
    return prefix, base


@pytest.fixture
def stack(
    provisioned: tuple[str, clean_slate.Baseline], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    from ioc_core.platform.wiring import ready
    from ioc_core.rooms import RESOURCES

    prefix, base = provisioned
    monkeypatch.setenv("IOC_RESOURCE_PREFIX", prefix)
    reset_wiring()
    settings = ready()
    yield settings
    reset_wiring()
    clean_slate.restore(settings, RESOURCES, base)
