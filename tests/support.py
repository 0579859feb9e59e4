"""Helpers every test level shares (conftest modules are not importable by name)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ioc_core.platform.rooms import Room


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reset_wiring(rooms: tuple[Room, ...] | None = None) -> None:
    """Forget every room's cached composition roots so the next call reads the environment."""
    from ioc_core.rooms import ROOMS

    for room in ROOMS if rooms is None else rooms:
        for cached in room.caches():
            cached.cache_clear()
