"""Smoke's per-block rules, as written for speed (block statistics only below the first watched
row, no mask applied twice), decide exactly what their plain form does: the same veils, grouped
into the same regions, in steady, changing and far-off light."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import cv2
import numpy as np
import pytest

from ioc_core.cameras.sequences import (
    EVENT_WINDOW_MINUTES,
    FIRE_KINDS,
    FIRE_WATCH,
    WARMUP_MINUTES,
    _matches_event,
    event_scene,
    event_zones,
    run_camera,
)
from ioc_core.cameras.vision import smoke
from ioc_core.cameras.vision.analysis import _mask, _zone_key
from ioc_core.cameras.vision.fire import Frame, align
from ioc_core.cameras.vision.jpeg import decode_for_analysis, encode_jpeg, inspect
from ioc_core.cameras.vision.reference import Reference, median_reference

pytestmark = pytest.mark.unit
AT = datetime(2026, 3, 2, 12, 0)


def _plain_smoke_regions(frame: Frame, reference: Reference, shift: tuple[int, int], mask: Any) -> list[Any]:
    """The rules one array expression each, every mask applied, every block's statistics
    computed (as they were first written)."""
    v = smoke.veil_alpha(frame, reference, shift)
    watched, watched_blocks, _ = smoke._watched(mask, (v.mean.shape[1], v.mean.shape[0]))
    colour = np.where(v.coloured, v.colour, 0.0)
    steady_light = 0.8 < v.gain < 1.25
    grey = v.chroma <= np.maximum(14, v.ref_chroma)
    colour_ok = np.where(v.coloured, colour >= smoke.VEIL_ALPHA - 0.1, grey)
    both = (colour >= 0.4) & (v.contrast >= 0.4) & (0.67 < v.gain < 1.5)
    risen = (colour >= 0.55) & (v.contrast >= 0.55) & (1.5 <= v.gain < 2.5)
    lit = (v.mean >= smoke.LIT) & (steady_light | both | risen)
    glowing = v.textured & (v.contrast >= 0.45) & (v.mean - v.ref_mean * v.gain > 6)
    if np.count_nonzero(glowing & watched) > smoke.GLOW_SHARE * watched_blocks:
        glowing = np.zeros_like(glowing)
    on_texture = v.textured & (((v.contrast >= smoke.VEIL_ALPHA) & colour_ok & lit) | glowing)
    on_sky = ~v.textured & (colour >= smoke.FLAT_ALPHA) & steady_light
    warmed = smoke.frame_blocks(frame)[3] > smoke._reference_warmth(reference, shift)
    usable = (v.mean < 220) & watched & ~warmed
    veiled = ((on_texture | on_sky) & usable).astype(np.uint8)
    count = np.count_nonzero(veiled)
    if count == 0 or count > smoke.WEATHER_SHARE * watched_blocks:
        return []
    anchored = (on_texture & usable).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(veiled, connectivity=8)
    h, w = frame.shape
    sx, sy = smoke.SMOKE_BLOCK / w, smoke.SMOKE_BLOCK / h
    out = []
    for k in range(1, n):
        x, y0, bw, bh, blocks = (int(s) for s in stats[k])
        if blocks >= smoke.SMOKE_MIN_BLOCKS and anchored[labels == k].any():
            out.append(((x * sx, y0 * sy, (x + bw) * sx, (y0 + bh) * sy), blocks * sx * sy))
    return sorted(out, key=lambda r: -r[1])[: smoke.MAX_REGIONS]


def _smoke_views(seed: int) -> tuple[Reference, list[np.ndarray]]:
    """A camera's reference and snapshots of smoke rising in front of it (JPEG round trip)."""
    scene = event_scene(seed, "smoke")
    start = scene.events[0].start

    def view(t: float) -> np.ndarray:
        data = encode_jpeg(scene.render(t), quality=85)
        return np.asarray(decode_for_analysis(data, inspect(data)))

    reference = Reference(median_reference([view(t) for t in (0, 4, 8, 12, 16)]))
    return reference, [view(start + t) for t in (4, 10, 16, 24, 32)]


@pytest.mark.parametrize("seed", [20_000, 20_003, 20_006])
@pytest.mark.parametrize("light", [1.0, 0.9, 1.4, 2.0, 0.5, 3.0])  # steady, changing, risen, far off
def test_smoke_rules_find_what_their_plain_form_finds(seed: int, light: float) -> None:
    reference, views = _smoke_views(seed)
    found = 0
    for n, image in enumerate(views):
        frame = Frame.of(cv2.convertScaleAbs(image, alpha=light), AT + timedelta(minutes=2 * n))
        mask = _mask(_zone_key([FIRE_WATCH]), ("fire_watch",), frame.shape)
        dx, dy, _ = align(frame, reference)
        plain = _plain_smoke_regions(frame, reference, (dx, dy), mask)
        assert smoke.smoke_regions(frame, reference, (dx, dy), mask) == plain
        found += len(plain)
    if light == 1.0:
        assert found  # the comparison saw veils, not only empty views


def test_smoke_at_dawn_is_found_while_the_light_rises_past_the_changing_band() -> None:
    """Smoke starting at 5:30 in front of a reference taken at 5:10: by then the view is 1.5–2.5
    times brighter than its reference and only blocks where both cues fell by more than
    ``RISEN_ALPHA`` count (before, none counted past 1.5 and this plume was never alerted)."""
    scene = event_scene(30_058, "smoke")  # a training-range seed: no benchmark seed is tuned on
    assert scene.start_minute == 5 * 60 + 10
    run = run_camera(scene, WARMUP_MINUTES + EVENT_WINDOW_MINUTES, zones=event_zones(scene))
    assert [a.finding.kind for a in run.alerts] == ["smoke"]
    assert _matches_event(scene, run.alerts[0].finding.box, run.alerts[0].at_minutes, FIRE_KINDS)
