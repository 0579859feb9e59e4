"""Unit tests touch no network: every socket connection fails, naming the address.

A unit test works on in-memory fakes, so a connection is a bug in the test (a real adapter
left wired in) or a test that belongs under tests/integration. A test that legitimately talks to
a server of its own on this machine opts in with ``@pytest.mark.allow_loopback``; even then,
only loopback addresses are reachable. Unix domain sockets are not network and stay allowed.
A refused connection also fails the test at teardown, in case the code under test swallowed
the error (botocore, for one, wraps it and may retry).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from typing import Any

import pytest

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_create_connection = socket.create_connection


class NetworkBlockedError(RuntimeError):
    """A unit test tried to open a network connection."""


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _guard(address: Any, allow_loopback: bool, refused: list[str], family: int | None = None) -> None:
    if family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if allow_loopback and _is_loopback(host):
        return
    refused.append(repr(address))
    allowed = "loopback only (allow_loopback)" if allow_loopback else "no network at all"
    raise NetworkBlockedError(
        f"unit test tried to connect to {address!r}: unit tests get {allowed}; "
        "use a fake, mark the test @pytest.mark.allow_loopback for a local server, "
        "or move it to tests/integration"
    )


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    allow_loopback = request.node.get_closest_marker("allow_loopback") is not None
    refused: list[str] = []

    def connect(self: socket.socket, address: Any) -> None:
        _guard(address, allow_loopback, refused, self.family)
        _connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _guard(address, allow_loopback, refused, self.family)
        return _connect_ex(self, address)

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        _guard(address, allow_loopback, refused)  # before any DNS lookup of the host
        return _create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    yield
    if refused:
        pytest.fail(f"unit test tried to open network connections: {', '.join(sorted(set(refused)))}")
