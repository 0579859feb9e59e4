"""Fixtures defined once for every test level.

``aws``: one moto server for the whole run (the same local AWS ``make dev`` uses).
``stack``: a fresh, provisioned set of resources under a unique prefix per test, with
the composition roots rebuilt on it, so tests never see each other's data.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Iterator

import pytest

from ioc_core.settings import Settings
from support import free_port, reset_wiring

_counter = itertools.count()


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


@pytest.fixture
def stack(aws: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    from ioc_core.local.provision import provision
    from ioc_core.platform.wiring import ready

    monkeypatch.setenv("IOC_RESOURCE_PREFIX", f"t{os.getpid()}x{next(_counter)}")
    reset_wiring()
    settings = ready()
    provision(settings)
    yield settings
    reset_wiring()
