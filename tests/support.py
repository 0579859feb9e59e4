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


def write_pmtiles(path: Path, tile: bytes = PMTILES_TILE) -> Path:
    """One tile at z0 in a PMTiles v3 archive: header, root directory, metadata, tile data."""
    # Directory: 1 entry; tile id 0, run length 1, length, offset + 1 (0 would mean "follows").
    directory = _varint(1) + _varint(0) + _varint(1) + _varint(len(tile)) + _varint(0 + 1)
    metadata = b'{"name":"phan-thiet-test"}'
    root_at = PMTILES_HEADER_BYTES
    meta_at = root_at + len(directory)
    data_at = meta_at + len(metadata)
    header = b"PMTiles" + bytes([3])
    header += struct.pack(
        "<11Q", root_at, len(directory), meta_at, len(metadata), 0, 0, data_at, len(tile), 1, 1, 1
    )
    # clustered, internal compression none, tile compression none, MVT, zooms 0..0
    header += bytes([1, 1, 1, 1, 0, 0])
    header += struct.pack("<4i", 1079000000, 107000000, 1085000000, 111000000)  # lon, lat e7: the city
    header += bytes([0]) + struct.pack("<2i", 1080000000, 109300000)
    assert len(header) == PMTILES_HEADER_BYTES
    path.write_bytes(header + directory + metadata + tile)
    return path


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 31)


def mvt_square(layer: str = "earth", extent: int = 4096) -> bytes:
    """A Mapbox Vector Tile with one polygon filling the tile, in ``layer`` (no library needed)."""
    moves = [(extent, 0), (0, extent), (-extent, 0)]
    commands = [_varint(1 | 1 << 3), _varint(_zigzag(0)), _varint(_zigzag(0)), _varint(2 | 3 << 3)]
    commands += [_varint(_zigzag(dx)) + _varint(_zigzag(dy)) for dx, dy in moves]
    commands.append(_varint(7 | 1 << 3))
    feature = _varint(1 << 3) + _varint(1) + _varint(3 << 3) + _varint(3) + _field(4, b"".join(commands))
    body = _varint(15 << 3) + _varint(2) + _field(1, layer.encode()) + _field(2, feature)
    body += _varint(5 << 3) + _varint(extent)
    return _field(3, body)
