"""Smoke: grey veils over what the reference shows, followed across snapshots.

Per snapshot, 16×16 blocks whose relative contrast (std / mean) falls well below the
reference's while they turn greyer and lighter (a change of light alone scales both, so it
does not); over flat, coloured sky only while the light is steady and only attached to such
blocks. Across snapshots a smoke alert needs the veil to persist and to have grown from where
it began, at lower severity than a fire: fog, rain and dusk mimic smoke.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise
from typing import Any

import numpy as np

from ioc_core.cameras.vision.fire import MAX_REGIONS, FireFinding, Frame, age_tracks, iou, near
from ioc_core.cameras.vision.reference import Reference
from ioc_core.cameras.vision.state import Box, DetectorState, Observation, Track, Tuning

SMOKE_BLOCK = 16
SMOKE_MIN_BLOCKS = 3


def _blocks(plane: Any) -> tuple[Any, tuple[int, int]]:
    """The plane cropped to whole 16×16 blocks (an integer shrink is OpenCV's fast path)."""
    h, w = plane.shape[:2]
    rows, cols = max(1, h // SMOKE_BLOCK), max(1, w // SMOKE_BLOCK)
    return plane[: rows * SMOKE_BLOCK, : cols * SMOKE_BLOCK], (cols, rows)


def block_stats(luma: Any) -> tuple[Any, Any]:
    """Mean and standard deviation of luma over 16×16 blocks."""
    import cv2

    cropped, size = _blocks(luma)
    y = cropped.astype(np.float32)
    mean = cv2.resize(y, size, interpolation=cv2.INTER_AREA)
    square = cv2.resize(y * y, size, interpolation=cv2.INTER_AREA)
    return mean, np.sqrt(np.maximum(square - mean * mean, 0))


def block_chroma(ycrcb: Any) -> Any:
    import cv2

    cropped, size = _blocks(ycrcb)
    chroma = cv2.absdiff(cropped[..., 1], 128) + cv2.absdiff(cropped[..., 2], 128)
    return cv2.resize(chroma, size, interpolation=cv2.INTER_AREA).astype(np.float32)


def _reference_blocks(reference: Reference, shift: tuple[int, int]) -> tuple[Any, Any, Any]:
    """The reference's block statistics at this alignment, computed once per shift."""
    cache: dict[tuple[int, int], tuple[Any, Any, Any]] = reference.__dict__.setdefault("_blocks", {})
    if shift not in cache:
        mean, std = block_stats(reference.at("luma", shift))
        cache[shift] = (mean, std, block_chroma(reference.at("ycrcb", shift)))
    return cache[shift]


def smoke_regions(
    frame: Frame, reference: Reference, shift: tuple[int, int], mask: Any
) -> list[tuple[Box, float]]:
    """Blocks veiled by something grey: relative contrast (std / mean) falls well below the
    reference's, which a change of light alone does not do (it scales both)."""
    import cv2

    mean, std = block_stats(frame.luma)
    ref_mean, ref_std, ref_chroma = _reference_blocks(reference, shift)
    gain = float(np.clip((mean.mean() + 1) / (ref_mean.mean() + 1), 0.25, 4.0))
    contrast = std / (mean + 10)
    ref_contrast = ref_std / (ref_mean + 10)
    size = (mean.shape[1], mean.shape[0])
    chroma = block_chroma(frame.ycrcb)
    watched = cv2.resize(_blocks(mask)[0], size, interpolation=cv2.INTER_AREA) > 200
    textured = (
        (ref_contrast > 0.06)
        & (contrast < 0.55 * ref_contrast)
        & (mean - ref_mean * gain > 6)  # smoke adds light scattered towards the camera
        & ((chroma < 20) | (chroma < 0.75 * ref_chroma))  # grey, or greyer than what it hides
    )
    # Over a flat, coloured background (a blue sky) smoke shows as grey where colour was; not
    # while the light itself is changing (dusk turns the sky grey too).
    steady_light = 0.8 < gain < 1.25
    flat = (
        (ref_contrast <= 0.06)
        & (ref_chroma > 15)
        & (chroma < 0.6 * ref_chroma)
        & (np.abs(mean - ref_mean * gain) > 8)
        & steady_light
    )
    usable = (mean < 200) & watched
    veiled = ((textured | flat) & usable).astype(np.uint8)
    anchored = (textured & usable).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(veiled, connectivity=8)
    h, w = frame.shape
    sx, sy = SMOKE_BLOCK / w, SMOKE_BLOCK / h  # block units → fractions of the frame
    out = []
    for k in range(1, n):
        x, y0, bw, bh, blocks = (int(v) for v in stats[k])
        # Smoke rises from something: a veil only over flat sky (a drifting cloud) is not enough.
        if blocks >= SMOKE_MIN_BLOCKS and anchored[labels == k].any():
            out.append(((x * sx, y0 * sy, (x + bw) * sx, (y0 + bh) * sy), blocks * sx * sy))
    return sorted(out, key=lambda r: -r[1])[:MAX_REGIONS]


def update_smoke_tracks(
    state: DetectorState, regions: list[tuple[Box, float]], at: datetime, tuning: Tuning
) -> list[FireFinding]:
    findings: list[FireFinding] = []
    seen: set[int] = set()
    smoke_tracks = [t for t in state.tracks if t.kind == "smoke"]
    fire_boxes = [t.last.box for t in state.tracks if t.kind == "fire" and t.alerted]
    for box, area in regions:
        track = next((t for t in smoke_tracks if t.track_id not in seen and near(box, t.last.box)), None)
        if track is None:
            track = Track(track_id=state.next_track, kind="smoke")
            state.next_track += 1
            state.tracks.append(track)
        kept = track.observations
        # The first observation stays: growth is measured from where the smoke began.
        kept = kept if len(kept) < 9 else [kept[0], *kept[-7:]]
        track.observations = [*kept, Observation(at=at, score=0.5, box=box, area=area)]
        track.missed = 0
        seen.add(track.track_id)
        first, obs = track.observations[0], track.observations[-tuning.smoke_snapshots :]
        growing = (
            len(track.observations) >= tuning.smoke_snapshots and area >= tuning.smoke_growth * first.area
        )
        # Smoke rises from where it started and spreads steadily; traffic and clouds jump about.
        steady = all(b.area >= 0.7 * a.area and iou(a.box, b.box) >= 0.2 for a, b in pairwise(obs))
        covered = any(near(box, fb) for fb in fire_boxes)  # the fire alert speaks for it
        if growing and steady and not track.alerted and not covered:
            track.alerted = True
            growth = area / max(first.area, 1e-6)
            confidence = round(float(np.clip(0.3 + 0.1 * growth, 0.3, 0.6)), 3)
            findings.append(FireFinding("smoke", box, confidence, confidence, len(obs), area, track.track_id))
    age_tracks(state, seen, "smoke")
    return findings
