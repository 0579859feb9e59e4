"""Smoke: grey veils over what the reference shows, followed across snapshots.

Per snapshot and 16×16 block, how opaque a grey veil over the reference view would explain
what is seen: relative contrast (std / mean) and relative colour (chroma / mean) both fall by
about (1 − opacity), which a change of light alone does not do (it scales std, chroma and mean
alike). Over flat coloured sky colour alone speaks, only while the light is steady and only
attached to veiled texture; in the dark a veil must also add light; blocks turned warmer (a
low sun, a glow) and veils over much of the view (haze, rain, dusk) are not smoke. Across
snapshots a smoke alert needs the veil to persist and to have grown from where it began, at
lower severity than a fire: fog, rain and dusk mimic smoke.
"""

from __future__ import annotations

from dataclasses import dataclass
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


def block_warmth(ycrcb: Any) -> Any:
    """Cr − Cb over 16×16 blocks: how orange (up) or blue (down) the block looks."""
    import cv2

    cropped, size = _blocks(ycrcb)
    warmth = cropped[..., 1].astype(np.float32) - cropped[..., 2].astype(np.float32)
    return cv2.resize(warmth, size, interpolation=cv2.INTER_AREA)


def _from_integral(whole: Any) -> Any:
    return _block_differences(whole[::SMOKE_BLOCK, ::SMOKE_BLOCK])


def _block_differences(c: Any) -> Any:
    """Block sums from an integral image's block corners (over the last two axes)."""
    return c[..., 1:, 1:] - c[..., :-1, 1:] - c[..., 1:, :-1] + c[..., :-1, :-1]


def frame_blocks(frame: Frame, first_row: int = 0) -> tuple[Any, Any, Any, Any]:
    """``block_stats``, ``block_chroma`` and ``block_warmth`` of the frame, bit for bit, from
    exact integer block sums: a block's 256 values (squares included) sum below 2²⁴, so the
    float32 area averages are those sums / 256 exactly, and the uint8 one rounds them half to
    even as OpenCV does. Above block row ``first_row`` only the means are computed (the light
    of the whole view); the other statistics are 0 there, for blocks nothing watches."""
    cache: dict[int, tuple[Any, Any, Any, Any]] = frame.__dict__.setdefault("_smoke_blocks", {})
    if first_row not in cache:
        cache[first_row] = _frame_blocks(frame, first_row)
    return cache[first_row]


def _frame_blocks(frame: Frame, first_row: int) -> tuple[Any, Any, Any, Any]:
    y, cr, cb = frame.planes
    h, w = y.shape
    if h < SMOKE_BLOCK or w < SMOKE_BLOCK:
        mean, std = block_stats(y)
        return mean, std, block_chroma(frame.ycrcb), block_warmth(frame.ycrcb)
    import cv2

    rows, cols = h // SMOKE_BLOCK, w // SMOKE_BLOCK
    first_row = min(max(first_row, 0), rows - 1)
    top, bottom, right = first_row * SMOKE_BLOCK, rows * SMOKE_BLOCK, cols * SMOKE_BLOCK
    y, cr, cb = y[:bottom, :right], cr[top:bottom, :right], cb[top:bottom, :right]
    sums, squares = cv2.integral2(y[top:], sdepth=cv2.CV_32S, sqdepth=cv2.CV_64F)
    chroma_px = cv2.absdiff(cr, 128) + cv2.absdiff(cb, 128)  # uint8, wrapping as block_chroma's
    # The int32 integrals' block corners side by side: one differencing serves all four.
    integrals = (sums, cv2.integral(chroma_px), cv2.integral(cr), cv2.integral(cb))
    corners = np.stack([i[::SMOKE_BLOCK, ::SMOKE_BLOCK] for i in integrals])
    y_sums, chroma_sums, cr_sums, cb_sums = _block_differences(corners)
    scale = np.float32(1 / SMOKE_BLOCK**2)
    mean, std, chroma, warmth = (np.zeros((rows, cols), np.float32) for _ in range(4))
    mean[first_row:] = y_sums.astype(np.float32) * scale
    if first_row:
        mean[:first_row] = _from_integral(cv2.integral(y[:top])).astype(np.float32) * scale
    square = _from_integral(squares).astype(np.float32) * scale
    lit = mean[first_row:]
    std[first_row:] = np.sqrt(np.maximum(square - lit * lit, 0))
    chroma[first_row:] = np.rint(chroma_sums / SMOKE_BLOCK**2).astype(np.float32)
    warmth[first_row:] = (cr_sums - cb_sums).astype(np.float32) * scale
    return mean, std, chroma, warmth


def _reference_warmth(reference: Reference, shift: tuple[int, int]) -> Any:
    """How much warmer than both grey and the reference a block must turn to count as warmed."""
    cache: dict[tuple[int, int], Any] = reference.__dict__.setdefault("_warmth", {})
    if shift not in cache:
        cache[shift] = np.maximum(block_warmth(reference.at("ycrcb", shift)), 0) + WARMER
    return cache[shift]


def _reference_blocks(reference: Reference, shift: tuple[int, int]) -> tuple[Any, ...]:
    """The reference's block statistics at this alignment and what ``veil_alpha`` and the
    rules derive from them alone, computed once per shift."""
    cache: dict[tuple[int, int], tuple[Any, ...]] = reference.__dict__.setdefault("_blocks", {})
    if shift not in cache:
        ref_mean, ref_std = block_stats(reference.at("luma", shift))
        ref_chroma = block_chroma(reference.at("ycrcb", shift))
        ref_contrast = ref_std / (ref_mean + 10)
        ref_colour = ref_chroma / (ref_mean + 10)
        textured = ref_contrast > 0.06
        cache[shift] = (
            ref_mean,
            ref_chroma,
            textured,
            np.maximum(ref_contrast, 1e-3),
            ref_chroma > 12,
            np.maximum(ref_colour, 1e-3),
            ref_mean.mean() + 1,
            ~textured,
            np.maximum(14, ref_chroma),
        )
    return cache[shift]


VEIL_ALPHA = 0.3  # how opaque a veil must look (0 clear, 1 all smoke) in both cues
FLAT_ALPHA = 0.4  # over flat sky only colour speaks, so it must say more
WARMER = 6  # Cr − Cb this far above grey and the reference: warm light (low sun, glow)
LIT = 40  # block mean luma above which the relative cues are trusted
WEATHER_SHARE = 0.4  # a veil over this much of the watched view is haze, rain or dusk
GLOW_SHARE = 0.06  # glowing veils over this much of the watched view are the light changing
# While the light changes (the view this much darker or brighter than its reference) only blocks
# where both cues fell this far are trusted; beyond it, as dawn's light goes on rising over a
# reference taken in the half-dark, only where both fell further: smoke at dawn (development
# seeds 2–9: one more plume found, no more false alarms; at 0.4 there, false alarms rose).
CHANGING_LIGHT, CHANGING_ALPHA = (0.67, 1.5), 0.4
RISEN_LIGHT, RISEN_ALPHA = 2.5, 0.55


@dataclass
class Veil:
    """Per 16×16 block: how opaque a grey veil over the reference would explain the snapshot
    (``contrast`` and ``colour`` estimates, NaN colour where the reference had none), with the
    block statistics the rules need."""

    contrast: Any
    colour: Any
    coloured: Any  # where the reference had colour (``colour`` is NaN elsewhere)
    textured: Any
    mean: Any
    ref_mean: Any
    chroma: Any
    ref_chroma: Any
    gain: float
    flat: Any = None  # ~textured
    grey_enough: Any = None  # the chroma a grey block may keep: max(14, the reference's)


def veil_alpha(frame: Frame, reference: Reference, shift: tuple[int, int], first_row: int = 0) -> Veil:
    """Smoke mixes the view with a grey: I = (1 − a)·R + a·G. Relative contrast (std / mean)
    and relative colour (chroma / mean) of a block then fall by about (1 − a), whatever the
    light does (a change of light scales std, chroma and mean alike, a shadow too). Above
    block row ``first_row`` only ``mean`` holds (see ``frame_blocks``)."""
    mean, std, chroma, _ = frame_blocks(frame, first_row)
    ref_mean, ref_chroma, textured, ref_contrast, coloured, ref_colour, ref_level, flat, grey = (
        _reference_blocks(reference, shift)
    )
    level_now = np.add.reduce(mean, axis=None) / np.float32(mean.size)  # mean.mean(), unwrapped
    gain = min(max(float((level_now + 1) / ref_level), 0.25), 4.0)
    level = mean + 10
    contrast = np.where(textured, 1 - (std / level) / ref_contrast, 0)
    colour = np.where(coloured, 1 - (chroma / level) / ref_colour, np.nan)
    return Veil(contrast, colour, coloured, textured, mean, ref_mean, chroma, ref_chroma, gain, flat, grey)


_WATCHED: dict[tuple[int, int, int], tuple[Any, Any, int, int]] = {}


def _watched(mask: Any, size: tuple[int, int]) -> tuple[Any, int, int]:
    """Blocks inside the watched mask, how many (at least 1) and the first block row holding
    any; the masks are cached and reused, so is this (the mask is kept with it: its id cannot
    then name another array)."""
    import cv2

    key = (id(mask), *size)
    hit = _WATCHED.get(key)
    if hit is None or hit[0] is not mask:
        if len(_WATCHED) > 64:
            _WATCHED.clear()
        blocks = cv2.resize(_blocks(mask)[0], size, interpolation=cv2.INTER_AREA) > 200
        rows = np.flatnonzero(blocks.any(axis=1))
        first = int(rows[0]) if rows.size else 0
        hit = _WATCHED[key] = (mask, blocks, max(1, int(np.count_nonzero(blocks))), first)
    return hit[1], hit[2], hit[3]


def smoke_regions(
    frame: Frame, reference: Reference, shift: tuple[int, int], mask: Any
) -> list[tuple[Box, float]]:
    """Blocks veiled by something grey (see ``veil_alpha``), grouped, each group anchored on
    textured ground or buildings: a veil only over flat sky (a drifting cloud) is not smoke."""
    import cv2

    h, w = frame.shape
    size = (max(1, w // SMOKE_BLOCK), max(1, h // SMOKE_BLOCK))  # as ``_blocks`` crops
    watched, watched_blocks, first_row = _watched(mask, size)
    # Block statistics only where something is watched (the sky above a street is not).
    v = veil_alpha(frame, reference, shift, first_row)
    # ``contrast`` is 0 off texture and ``colour`` NaN off colour, so a test of either above a
    # positive threshold holds only on texture (on colour): no separate mask is applied.
    steady_light = 0.8 < v.gain < 1.25  # dawn and dusk change colours and shading by themselves
    # Where the block had colour both cues must agree; on grey texture contrast alone speaks
    # (and the block must stay grey: a flat-coloured vehicle also hides texture).
    colour_ok = np.where(v.coloured, v.colour >= VEIL_ALPHA - 0.1, v.chroma <= v.grey_enough)
    # In the dark, noise and lights swamp the cues; while the light changes, only blocks where
    # colour and contrast both fell well are trusted.
    lit = v.mean >= LIT
    if not steady_light:
        if CHANGING_LIGHT[0] < v.gain < CHANGING_LIGHT[1]:
            lit &= (v.colour >= CHANGING_ALPHA) & (v.contrast >= CHANGING_ALPHA)
        elif CHANGING_LIGHT[1] <= v.gain < RISEN_LIGHT:
            lit &= (v.colour >= RISEN_ALPHA) & (v.contrast >= RISEN_ALPHA)
        else:
            lit = np.zeros_like(lit)
    # In the dark smoke shows as light scattered towards the camera over a flattened texture.
    glowing = (v.contrast >= 0.45) & (v.mean - v.ref_mean * v.gain > 6)
    # Not along whole rows of buildings at once: their lit windows fading into brighter, flatter
    # walls as day comes (or the reverse at dusk) is the light, not smoke.
    if np.count_nonzero(glowing & watched) > GLOW_SHARE * watched_blocks:
        glowing = np.zeros_like(glowing)
    on_texture = ((v.contrast >= VEIL_ALPHA) & colour_ok & lit) | glowing
    # Smoke greys what it covers; a low sun or a glow warms it (orange) instead. Greying a blue
    # sky moves it towards neutral: only warmer than both grey and the reference counts.
    warmth = frame_blocks(frame, first_row)[3]
    usable = (v.mean < 220) & watched & (warmth <= _reference_warmth(reference, shift))
    veiled = on_texture
    if steady_light:
        # Over flat, coloured sky smoke shows as grey where colour was; not while the light
        # itself is changing (dusk turns the sky grey too).
        veiled = on_texture | (v.flat & (v.colour >= FLAT_ALPHA))
    veiled = veiled & usable
    count = np.count_nonzero(veiled)
    if count == 0 or count > WEATHER_SHARE * watched_blocks:
        return []
    anchored = on_texture & usable
    n, labels, stats, _ = cv2.connectedComponentsWithStats(veiled.view(np.uint8), connectivity=8)
    sx, sy = SMOKE_BLOCK / w, SMOKE_BLOCK / h  # block units → fractions of the frame
    out = []
    for k in range(1, n):
        x, y0, bw, bh, blocks = (int(v) for v in stats[k])
        if blocks >= SMOKE_MIN_BLOCKS and anchored[labels == k].any():
            out.append(((x * sx, y0 * sy, (x + bw) * sx, (y0 + bh) * sy), blocks * sx * sy))
    return sorted(out, key=lambda r: -r[1])[:MAX_REGIONS]


def _match(regions: list[tuple[Box, float]], tracks: list[Track]) -> list[Track | None]:
    """Each veil's track: pairs in the same place taken by overlap, most first, so a veil that
    split in two keeps its track on the part that overlaps it (not on the larger part)."""
    pairs = sorted(
        (
            (-iou(box, track.last.box), r, t)
            for r, (box, _) in enumerate(regions)
            for t, track in enumerate(tracks)
            if near(box, track.last.box)
        ),
    )
    out: list[Track | None] = [None] * len(regions)
    taken: set[int] = set()
    for _, r, t in pairs:
        if out[r] is None and t not in taken:
            out[r] = tracks[t]
            taken.add(t)
    return out


def update_smoke_tracks(
    state: DetectorState, regions: list[tuple[Box, float]], at: datetime, tuning: Tuning
) -> list[FireFinding]:
    findings: list[FireFinding] = []
    seen: set[int] = set()
    fire_boxes = [t.last.box for t in state.tracks if t.kind == "fire" and t.alerted]
    matched = _match(regions, [t for t in state.tracks if t.kind == "smoke"])
    for (box, area), track in zip(regions, matched, strict=True):
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
