"""Helpers every test level shares (conftest modules are not importable by name)."""

from __future__ import annotations

import socket
import struct
from pathlib import Path
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


PMTILES_TILE = b"\x1a\x05fake-mvt-bytes"  # what a PMTiles reader gets back for z0/0/0
PMTILES_HEADER_BYTES = 127


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def write_pmtiles(path: Path) -> Path:
    """One tile at z0 in a PMTiles v3 archive: header, root directory, metadata, tile data."""
    # Directory: 1 entry; tile id 0, run length 1, length, offset + 1 (0 would mean "follows").
    directory = _varint(1) + _varint(0) + _varint(1) + _varint(len(PMTILES_TILE)) + _varint(0 + 1)
    metadata = b'{"name":"phan-thiet-test"}'
    root_at = PMTILES_HEADER_BYTES
    meta_at = root_at + len(directory)
    data_at = meta_at + len(metadata)
    header = b"PMTiles" + bytes([3])
    header += struct.pack(
        "<11Q", root_at, len(directory), meta_at, len(metadata), 0, 0, data_at, len(PMTILES_TILE), 1, 1, 1
    )
    # clustered, internal compression none, tile compression none, MVT, zooms 0..0
    header += bytes([1, 1, 1, 1, 0, 0])
    header += struct.pack("<4i", 1078000000, 108000000, 1082000000, 110000000)
    header += bytes([0]) + struct.pack("<2i", 1080000000, 109300000)
    assert len(header) == PMTILES_HEADER_BYTES
    path.write_bytes(header + directory + metadata + PMTILES_TILE)
    return path
