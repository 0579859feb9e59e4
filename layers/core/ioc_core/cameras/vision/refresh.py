"""The zones' reference kept up with the light while dawn ramps it, never with a change.

A period's reference is built from its first snapshots; at dawn the view then grows some five
times brighter within the hour. The zone change test relights its reference by the zone's
gain, but one taken in the dark is mostly noise and quantisation, its texture lost: against it
a structure built at dawn reads as the light changing over the whole zone. So once the view is
lit enough to show its texture and ``DRIFT`` times brighter than the zones' reference, that
reference is refreshed from the snapshot, but only where the snapshot agrees with it relit by
a smooth, robust gain field (per-cell median ratios: a light ramp is what such a field
explains); where the snapshot differs clearly from that (a vehicle, an object left there) or
is newly fire-coloured, the old view, relit, stays; and a zone following a change keeps its
view exactly as it was. Falling light (dusk) leaves the reference alone: one
taken by day keeps its texture, and refreshing it there found nothing more on the development
seeds while lit windows and lamps coming on raised false alarms. Steady light never refreshes.
Fire and smoke keep the period's own reference: their cues are relative to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ioc_core.cameras.vision.colour import fire_mask
from ioc_core.cameras.vision.reference import Reference, shifted

DRIFT = 1.2  # the view this many times brighter than its reference: refresh it
# Mean luma below which a view is too dark to show the texture a reference should hold.
LIT_VIEW = 50.0
CELL = 30  # px: the gain field's cells (16×9 at 480×270), each far larger than an early fire
MARGIN = 20.0  # twice what the zone change test allows: only a clear change stays out
RELATIVE = 0.25
CELL_FREE = 0.25  # of a cell's pixels: fewer not busy, and it takes its neighbours' gain
KEEP_AROUND = 7  # px: the rim of a kept pixel is kept too (a vehicle's shadow, a faint fringe)
FROZEN_AROUND = 8  # px around a frozen zone: more than any shift a refresh is made at
# Only from a snapshot aligned with confidence: one refreshed at a wrong shift loses the view.
MAX_SHIFT_PX = 6
MIN_RESPONSE = 0.05


def drifted(gain: float, view_luma: float) -> bool:
    """Whether a view ``gain`` times as bright as its reference, of mean luma ``view_luma``,
    should refresh it: only as the light rises, and once the view shows its texture."""
    return gain >= DRIFT and view_luma >= LIT_VIEW


def gain_field(now: Any, then: Any, busy: Any = None) -> Any:
    """Per-pixel, per-channel gain from ``then`` to ``now`` (float32, HxWx3): the median ratio
    in each cell over the pixels not ``busy`` (a change followed there must not relight its
    own view), a cell mostly busy taking its neighbours' gain, then the cells' 3×3 median
    (a cell an unseen object fills does not move it), smoothly interpolated."""
    import cv2

    h, w = now.shape[:2]
    rows, cols = max(1, h // CELL), max(1, w // CELL)
    ch, cw = h // rows, w // cols
    # Ratios of levels + 4: in the dark, noise must not make them explode.
    ratio = (now[: rows * ch, : cols * cw].astype(np.float32) + 4.0) / (
        then[: rows * ch, : cols * cw].astype(np.float32) + 4.0
    )
    if busy is not None:
        ratio[busy[: rows * ch, : cols * cw]] = np.nan
    # Every other row and column of each cell: the medians do not need them all.
    cells = ratio.reshape(rows, ch, cols, cw, 3)[:, ::2, :, ::2].transpose(0, 2, 4, 1, 3)
    cells = cells.reshape(rows, cols, 3, -1)
    # The median of what is not busy: NaN sorts last, so it is the middle of the first ``free``.
    cells.sort(axis=3)
    free = np.count_nonzero(~np.isnan(cells[:, :, 0, :]), axis=2)
    if free.max() == 0:
        return np.ones((h, w, 3), np.float32)
    lo = np.maximum(free - 1, 0) // 2
    hi = free // 2
    grid = (_pick(cells, lo) + _pick(cells, hi)) / 2
    grid[free < CELL_FREE * cells.shape[3]] = np.nan
    grid = np.clip(_filled(grid), 1 / 16, 16.0).astype(np.float32)
    if rows >= 3 and cols >= 3:
        grid = cv2.medianBlur(grid, 3)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_LINEAR)


def _pick(cells: Any, k: Any) -> Any:
    """Each cell's and channel's ``k``-th sorted value."""
    rows, cols = k.shape
    index = np.broadcast_to(np.minimum(k, cells.shape[3] - 1)[:, :, None, None], (rows, cols, 3, 1))
    return np.take_along_axis(cells, index, axis=3)[..., 0]


def _filled(grid: Any) -> Any:
    """NaN cells (mostly busy) take the mean of their known neighbours, ring by ring: the light
    where something is tracked is the light around it."""
    if np.isnan(grid).all():
        return np.ones_like(grid)  # nothing but busy cells: no light to read
    grid = grid.copy()
    while np.isnan(grid).any():
        known = ~np.isnan(grid[..., 0])
        padded = np.pad(np.where(known[..., None], grid, 0.0), ((1, 1), (1, 1), (0, 0)))
        weight = np.pad(known.astype(np.float64), 1)
        rows, cols = known.shape
        total = np.sum([padded[i : i + rows, j : j + cols] for i in range(3) for j in range(3)], axis=0)
        count = np.sum([weight[i : i + rows, j : j + cols] for i in range(3) for j in range(3)], axis=0)
        grow = ~known & (count > 0)
        grid[grow] = total[grow] / count[grow][:, None]
    return grid


def _relit(plane: Any, field: Any, scale: float = 1.0, offset: float = 0.0) -> Any:
    """``plane`` under the field's light: the field's ratios are of levels + 4, so is this."""
    return (plane.astype(np.float32) + 4.0) * field * scale - 4.0 + offset


def refreshed(image: Any, reference: Reference, shift: tuple[int, int], frozen: Any = None) -> Any:
    """The reference brought to the light of ``image`` (a snapshot showing the reference moved
    by ``shift``), in the reference's own pixels: the snapshot where the relit reference
    explains it, the relit reference where it does not, and the reference as it was wherever
    ``frozen`` (255: zones following a change, in the snapshot's pixels) is set."""
    import cv2

    dx, dy = shift
    now = shifted(np.ascontiguousarray(image), -dx, -dy)  # back onto the reference's pixels
    smooth = cv2.GaussianBlur(now, (3, 3), 0)
    held = None
    if frozen is not None:
        # The zones, widened by more than a shift, in the reference's pixels.
        held = cv2.dilate(shifted(frozen, -dx, -dy), np.ones((2 * FROZEN_AROUND + 1,) * 2, np.uint8)) > 0
    field = gain_field(smooth, reference.smooth, held)
    high = _relit(reference.smooth_max, field, 1 + RELATIVE, MARGIN)
    low = _relit(reference.smooth_min, field, 1 - RELATIVE, -MARGIN)
    level = smooth.astype(np.float32)
    differs = ((level > high) | (level < low)).any(axis=2).astype(np.uint8)
    relit = np.clip(_relit(reference.image, field), 0, 255).astype(np.uint8)
    # Nothing newly fire-coloured is taken in: the fringe of a fire can pass the colour test
    # (a sky already orange in the old view, relit, is no fire).
    was_fire = cv2.dilate(fire_mask(relit), np.ones((5, 5), np.uint8))
    differs |= cv2.subtract(fire_mask(now), was_fire)
    h, w = differs.shape
    keep = cv2.dilate(differs, np.ones((KEEP_AROUND, KEEP_AROUND), np.uint8)) > 0
    # Where the snapshot was moved in from outside its frame, it shows nothing real.
    if dx > 0:
        keep[:, w - dx :] = True
    elif dx < 0:
        keep[:, :-dx] = True
    if dy > 0:
        keep[h - dy :] = True
    elif dy < 0:
        keep[:-dy] = True
    out = np.where(keep[..., None], relit, now)
    if held is not None:
        out[held] = reference.image[held]
    return out
