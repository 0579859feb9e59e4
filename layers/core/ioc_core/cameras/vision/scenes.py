"""Synthetic fixed-camera scenes: a street with buildings seen all day and night.

They drive the simulated cameras of `make dev`, the sequence benchmark and the training of
the region model (on seeds the benchmark never uses). Hard cases are part of the world:
sunrise and sunset (orange sky, a low sun), clouds lit orange at dusk, traffic with red and
orange vehicles (some stop for a while), headlights and tail lights at night, warm street
lamps, rain, camera shake, sensor noise. Events: fires (flames that flicker and grow, with
smoke), smouldering smoke, and objects left in a zone (dumped waste, a new structure, a stall
built out over the verge).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

EventKind = Literal["fire", "smoke", "dumping", "construction", "encroachment"]
SUNRISE, SUNSET = 5 * 60 + 40, 17 * 60 + 50  # minutes after midnight, Phan Thiet
RED_ORANGE = [(30, 30, 200), (20, 80, 230), (40, 60, 180), (10, 120, 240), (60, 40, 150)]  # BGR
OTHER_COLOURS = [
    (200, 200, 200),
    (40, 40, 40),
    (150, 90, 30),
    (230, 230, 230),
    (90, 110, 90),
    (120, 120, 130),
]


@dataclass
class SceneEvent:
    kind: EventKind
    start: float  # minutes from the start of the run
    x: float  # base point, fraction of width / height
    y: float
    size: float = 0.06  # final radius as a fraction of the width
    grow_minutes: float = 20.0
    end: float = math.inf

    def active(self, t: float) -> bool:
        return self.start <= t < self.end

    def progress(self, t: float) -> float:
        return float(np.clip((t - self.start) / self.grow_minutes, 0.0, 1.0))


@dataclass
class Weather:
    rain: bool = False
    shake_px: float = 0.0  # standard deviation of the per-snapshot offset
    cloudy: float = 0.3  # 0–1: how many clouds


@dataclass
class Scene:
    seed: int
    width: int = 480
    height: int = 270
    start_minute: float = 0.0  # clock time of t = 0 (minutes after midnight)
    weather: Weather = field(default_factory=Weather)
    events: list[SceneEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.horizon = int(self.height * self.rng.uniform(0.32, 0.45))
        self.road = (int(self.height * 0.70), int(self.height * 0.86))
        self._albedo, self._windows = self._build()
        self.lamps = [
            (int(self.width * f), self.road[0] - int(self.height * 0.12))
            for f in self.rng.uniform(0.1, 0.9, size=3)
        ]
        self._clouds = [
            (self.rng.uniform(-0.2, 1.2), self.rng.uniform(0.05, 0.8), self.rng.uniform(0.08, 0.2))
            for _ in range(int(2 + 6 * self.weather.cloudy))
        ]
        self._parked: dict[int, tuple[float, int, tuple[int, int, int]]] = {}
        self._cloud_layer = self._build_clouds()
        self._lamp_glow = self._build_lamp_glow()
        self._light_sprite = _glow_sprite(14, 5, 4.0)

    # -- the static world ------------------------------------------------------------
    def _build(self) -> tuple[np.ndarray, np.ndarray]:
        import cv2

        h, w, rng = self.height, self.width, self.rng
        albedo = np.zeros((h, w, 3), np.float32)
        ground = np.array(rng.uniform([0.35, 0.4, 0.4], [0.45, 0.5, 0.55]), np.float32)
        albedo[self.horizon :] = ground
        windows = np.zeros((h, w), np.float32)
        x = 0
        while x < w:
            bw = int(rng.uniform(0.08, 0.18) * w)
            top = int(self.horizon - rng.uniform(0.05, 0.25) * h)
            colour = rng.uniform(0.3, 0.75, size=3).astype(np.float32)
            base = self.road[0] - 2
            albedo[top:base, x : x + bw] = colour
            for wy in range(top + 6, base - 8, 12):  # windows, lit at night
                for wx in range(x + 4, x + bw - 6, 10):
                    albedo[wy : wy + 5, wx : wx + 5] = colour * 0.45
                    if rng.random() < 0.3:
                        windows[wy : wy + 5, wx : wx + 5] = 1.0
            x += bw + int(rng.uniform(0, 0.05) * w)
        albedo[self.road[0] : self.road[1]] = (0.28, 0.28, 0.3)
        albedo[(self.road[0] + self.road[1]) // 2 : (self.road[0] + self.road[1]) // 2 + 2, ::12] = 0.8
        texture = rng.normal(0, 0.04, size=(h, w, 1)).astype(np.float32)
        albedo = np.clip(albedo + cv2.GaussianBlur(texture, (3, 3), 0)[..., None], 0, 1)
        albedo[: self.horizon] = 0  # sky is painted per snapshot
        return albedo, windows

    # -- light -----------------------------------------------------------------------
    def clock(self, t: float) -> float:
        return (self.start_minute + t) % 1440

    def daylight(self, t: float) -> float:
        """0 at night, 1 at noon; ramps over an hour around sunrise and sunset."""
        m = self.clock(t)
        rise = np.clip((m - SUNRISE + 30) / 60, 0, 1)
        fall = np.clip((SUNSET + 30 - m) / 60, 0, 1)
        return float(min(rise, fall))

    def golden(self, t: float) -> float:
        """How orange the low sun makes the sky: peaks at sunrise and sunset."""
        m = self.clock(t)
        near = min(abs(m - SUNRISE), abs(m - SUNSET))
        return float(np.clip(1 - near / 50, 0, 1))

    def _sky(self, t: float) -> np.ndarray:
        day, gold = self.daylight(t), self.golden(t)
        rows = np.linspace(0, 1, self.horizon, dtype=np.float32)[:, None]  # 0 top → 1 horizon
        zenith = np.array([0.85, 0.6, 0.35]) * day + np.array([0.12, 0.05, 0.03]) * (1 - day)
        low = np.array([0.95, 0.8, 0.65]) * day + np.array([0.15, 0.08, 0.05]) * (1 - day)
        orange = np.array([0.2, 0.45, 0.95])  # BGR
        low = low * (1 - gold) + orange * gold * max(day, 0.35)
        sky = zenith[None] * (1 - rows) + low[None] * rows
        return np.repeat(sky[:, None, :], self.width, axis=1).astype(np.float32)

    # -- one snapshot --------------------------------------------------------------------
    def render(self, t: float, frame_seed: int | None = None) -> np.ndarray:
        """BGR uint8 snapshot at ``t`` minutes; the same (t, frame_seed) renders the same."""
        import cv2

        rng = np.random.default_rng(frame_seed if frame_seed is not None else int(t * 1000) + self.seed)
        day = self.daylight(t)
        light = 0.07 + 0.93 * day
        img = self._albedo * light
        img[: self.horizon] = self._sky(t)
        self._draw_clouds(img, t)
        self._draw_sun(img, t)
        night = 1 - day
        if night > 0.3:
            img += self._windows[..., None] * np.array([0.35, 0.6, 0.75], np.float32) * night
        canvas = np.clip(img * 255, 0, 255).astype(np.uint8)
        if night > 0.3:
            self._draw_lamps(canvas, night)
        self._draw_traffic(canvas, t, rng, night)
        for event in self.events:
            if event.active(t):
                self._draw_event(canvas, event, t, rng, night)
        if self.weather.rain:
            canvas = self._rain(canvas, rng)
        noise = np.empty(canvas.shape, np.int16)
        cv2.setRNGSeed(int(rng.integers(1 << 30)))
        cv2.randn(noise, 0, 2.0 + 4.0 * night)
        canvas = np.clip(canvas.astype(np.int16) + noise, 0, 255).astype(np.uint8)
        if self.weather.shake_px:
            dx, dy = rng.normal(0, self.weather.shake_px, 2)
            shift = np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32)
            canvas = cv2.warpAffine(canvas, shift, (self.width, self.height), borderMode=cv2.BORDER_REFLECT)
        return canvas

    def _build_clouds(self) -> np.ndarray:
        """A sky-high band twice the width; clouds drift by sliding a window over it."""
        import cv2

        layer = np.zeros((max(1, self.horizon), 2 * self.width), np.float32)
        for x0, y0, r in self._clouds:
            cv2.ellipse(
                layer,
                (int(x0 * self.width), int(y0 * self.horizon)),
                (int(r * self.width), int(r * self.width * 0.35)),
                0,
                0,
                360,
                1.0,
                -1,
            )
        layer = cv2.GaussianBlur(layer, (0, 0), 6) * 0.7
        return np.concatenate([layer, layer], axis=1)

    def _build_lamp_glow(self) -> np.ndarray:
        import cv2

        glow = np.zeros((self.height, self.width), np.float32)
        for x, y in self.lamps:
            cv2.circle(glow, (x, y), 10, 1.0, -1)
        glow = np.asarray(cv2.GaussianBlur(glow, (0, 0), 8))
        rows = np.flatnonzero(glow.max(axis=1) > 1e-3)
        self._lamp_rows = (int(rows.min()), int(rows.max()) + 1) if len(rows) else (0, 0)
        return glow[..., None]

    def _draw_clouds(self, img: np.ndarray, t: float) -> None:
        day, gold = self.daylight(t), self.golden(t)
        offset = int((t / 900) % 2 * self.width) % (2 * self.width)
        layer = self._cloud_layer[:, offset : offset + self.width][..., None]
        tint = np.array([0.9, 0.9, 0.92]) * day * (1 - gold) + np.array([0.35, 0.5, 0.95]) * gold * max(
            day, 0.3
        )
        tint = tint + np.array([0.1, 0.1, 0.1]) * (1 - day)
        sky = img[: self.horizon]
        sky[:] = sky * (1 - layer) + tint.astype(np.float32) * layer

    def _draw_sun(self, img: np.ndarray, t: float) -> None:
        import cv2

        m = self.clock(t)
        for event, side in ((SUNRISE, 0.8), (SUNSET, 0.2)):
            dt = m - event
            if -25 < dt < 45 if event == SUNRISE else -45 < dt < 25:
                height = (dt if event == SUNRISE else -dt) / 45  # 0 at the horizon
                cx = int(self.width * (side + 0.001 * dt))
                cy = int(self.horizon * (1 - 0.6 * height))
                r = int(self.width * 0.025)
                _blend(img, cx, cy, _glow_sprite(r * 3, r * 3, r) * 0.6, (0.35, 0.7, 1.0))
                cv2.circle(img, (cx, cy), r, (0.75, 0.95, 1.0), -1)

    def _draw_lamps(self, canvas: np.ndarray, night: float) -> None:
        import cv2

        top, bottom = self._lamp_rows
        glow = self._lamp_glow[top:bottom] * night
        colour = np.array([90, 190, 255], np.float32)
        band = canvas[top:bottom]
        band[:] = np.clip(band * (1 - glow) + colour * glow, 0, 255).astype(np.uint8)
        for x, y in self.lamps:
            cv2.circle(canvas, (x, y), 3, (200, 240, 255), -1)

    def _draw_traffic(self, canvas: np.ndarray, t: float, rng: np.random.Generator, night: float) -> None:
        import cv2

        top, bottom = self.road
        lane_h = (bottom - top) // 2
        vehicles = []
        for _ in range(rng.poisson(3.0)):
            red = rng.random() < 0.35
            colour = RED_ORANGE[rng.integers(len(RED_ORANGE))] if red else OTHER_COLOURS[rng.integers(6)]
            vehicles.append((int(rng.uniform(-0.05, 1.0) * self.width), int(rng.integers(2)), colour))
        # Now and then a red or orange vehicle stops for 10–40 minutes: still and fire-coloured.
        slot = int(t // 45)
        if slot not in self._parked and np.random.default_rng(self.seed * 7919 + slot).random() < 0.4:
            prng = np.random.default_rng(self.seed * 104729 + slot)
            self._parked[slot] = (
                slot * 45 + prng.uniform(0, 20),
                int(prng.uniform(0.1, 0.85) * self.width),
                RED_ORANGE[int(prng.integers(len(RED_ORANGE)))],
            )
        parked = self._parked.get(slot)
        if parked and parked[0] <= t < parked[0] + 25:
            vehicles.append((parked[1], 1, parked[2]))
        for x, lane, colour in vehicles:
            length = int(self.width * rng.uniform(0.05, 0.1)) if lane == 0 else int(self.width * 0.08)
            y0 = top + lane * lane_h + 2
            shade = tuple(int(c * (0.25 + 0.75 * (1 - night))) for c in colour)
            cv2.rectangle(canvas, (x, y0), (x + length, y0 + lane_h - 4), shade, -1)
            cv2.rectangle(canvas, (x + 4, y0 - 5), (x + length - 6, y0 + 2), shade, -1)
            if night > 0.3:
                self._draw_lights(canvas, x, y0, length, lane_h)

    def _draw_lights(self, canvas: np.ndarray, x: int, y0: int, length: int, lane_h: int) -> None:
        import cv2

        cy = y0 + lane_h // 2
        _blend(canvas, x + length + 6, cy, self._light_sprite, (170, 235, 255))
        cv2.circle(canvas, (x + length, cy), 3, (220, 250, 255), -1)
        cv2.circle(canvas, (x, cy), 2, (30, 30, 230), -1)

    def _draw_event(
        self, canvas: np.ndarray, event: SceneEvent, t: float, rng: np.random.Generator, night: float
    ) -> None:
        x, y = int(event.x * self.width), int(event.y * self.height)
        grown = event.progress(t)
        if event.kind in ("fire", "smoke"):
            radius = max(2.0, event.size * self.width * (0.15 + 0.85 * grown))
            self._draw_smoke(canvas, x, y, radius * (1.4 if event.kind == "smoke" else 1.0), rng, night)
            if event.kind == "fire":
                self._draw_flames(canvas, x, y, radius, rng)
        else:
            self._draw_object(canvas, event, x, y, night)

    @staticmethod
    def _draw_flames(canvas: np.ndarray, x: int, y: int, radius: float, rng: np.random.Generator) -> None:
        import cv2

        half = int(radius * 2.5) + 4
        heat = np.zeros((2 * half, 2 * half), np.float32)
        for _ in range(int(6 + radius)):  # flame tongues: thin ellipses leaning up, new each snapshot
            fx = half + rng.normal(0, radius * 0.35)
            fy = half - abs(rng.normal(0, radius * 0.4))
            axes = (
                max(1, int(radius * rng.uniform(0.15, 0.35))),
                max(2, int(radius * rng.uniform(0.4, 0.9))),
            )
            cv2.ellipse(
                heat,
                (int(fx), int(fy)),
                axes,
                float(rng.normal(0, 12)),
                0,
                360,
                float(rng.uniform(0.6, 1.0)),
                -1,
            )
        heat = cv2.GaussianBlur(heat, (0, 0), max(1.0, radius * 0.08))
        heat *= rng.uniform(0.8, 1.2, size=heat.shape).astype(np.float32)  # turbulent texture
        heat = np.clip(heat, 0, 1)[..., None]
        # Hot core near white-yellow, then orange, red at the edges (BGR).
        colour = np.where(
            heat > 0.75,
            np.array([170, 245, 255], np.float32),
            np.where(heat > 0.45, np.array([30, 150, 255], np.float32), np.array([20, 60, 210], np.float32)),
        )
        alpha = np.clip(heat * 2.2, 0, 1)
        _paste(canvas, x - half, y - half, alpha, colour)

    @staticmethod
    def _draw_smoke(
        canvas: np.ndarray, x: int, y: int, radius: float, rng: np.random.Generator, night: float
    ) -> None:
        import cv2

        half = int(radius * 6) + 4
        plume = np.zeros((2 * half, 2 * half), np.float32)
        for i in range(6):
            cy = int(half - radius * (0.8 + 0.6 * i))
            cx = int(half + rng.normal(0, radius * 0.25) + i * radius * 0.15)
            r = int(radius * (0.6 + 0.25 * i))
            cv2.circle(plume, (cx, cy), max(1, r), 1.0, -1)
        plume = cv2.GaussianBlur(plume, (0, 0), max(1.0, radius * 0.4)) * 0.55
        grey = 150 - 90 * night
        _paste(canvas, x - half, y - half, plume[..., None], np.array([grey, grey, grey], np.float32))

    def _draw_object(self, canvas: np.ndarray, event: SceneEvent, x: int, y: int, night: float) -> None:
        import cv2

        light = 0.25 + 0.75 * (1 - night)
        orng = np.random.default_rng(self.seed + int(event.start))  # the same object every snapshot
        size = event.size * self.width
        if event.kind == "dumping":
            for _ in range(14):
                cx = int(x + orng.normal(0, size * 0.5))
                cy = int(y + orng.normal(0, size * 0.2))
                colour = tuple(int(c * light) for c in orng.integers(20, 230, size=3))
                cv2.ellipse(
                    canvas,
                    (cx, cy),
                    (int(size * 0.3), int(size * 0.15)),
                    float(orng.uniform(0, 180)),
                    0,
                    360,
                    colour,
                    -1,
                )
        elif event.kind == "encroachment":  # a stall: a coloured awning on two dark posts
            top, awning = int(y - size * 0.8), tuple(int(c * light) for c in orng.integers(60, 220, size=3))
            for px in (int(x - size * 0.9), int(x + size * 0.8)):
                cv2.rectangle(canvas, (px, top), (px + 2, y), tuple(int(40 * light) for _ in range(3)), -1)
            cv2.rectangle(canvas, (int(x - size), top), (int(x + size), int(top + size * 0.35)), awning, -1)
        else:  # a new structure grows with the event's progress
            grown = 0.4 + 0.6 * event.progress(x * 0 + event.start + event.grow_minutes)
            top = int(y - size * 1.2 * grown)
            cv2.rectangle(
                canvas,
                (int(x - size), top),
                (int(x + size), y),
                tuple(int(110 * light) for _ in range(3)),
                -1,
            )
            for gx in range(int(x - size), int(x + size), 8):
                cv2.line(canvas, (gx, top), (gx, y), tuple(int(60 * light) for _ in range(3)), 1)

    @staticmethod
    def _rain(canvas: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        import cv2

        h, w = canvas.shape[:2]
        out = (canvas.astype(np.float32) * 0.75 + 20).astype(np.uint8)
        streaks = np.zeros((h, w), np.uint8)
        for _ in range(250):
            x0, y0 = int(rng.integers(w)), int(rng.integers(h))
            cv2.line(streaks, (x0, y0), (x0 + 2, y0 + 9), 255, 1)
        out = cv2.GaussianBlur(out, (3, 3), 0)
        return np.asarray(cv2.addWeighted(out, 1.0, cv2.cvtColor(streaks, cv2.COLOR_GRAY2BGR), 0.25, 0))

    # -- ground truth ---------------------------------------------------------------------
    def event_box(self, event: SceneEvent, t: float) -> tuple[int, int, int, int]:
        """(x0, y0, x1, y1) around the event at ``t`` (flames and smoke for a fire)."""
        r = event.size * self.width * (0.15 + 0.85 * event.progress(t))
        x, y = event.x * self.width, event.y * self.height
        if event.kind == "smoke":  # drawn 1.4× the radius, a plume rising about five radii
            r *= 1.4
            return int(x - 1.6 * r), int(y - 6.0 * r), int(x + 2.0 * r), int(y + 0.5 * r)
        if event.kind == "fire":  # flames and the smoke rising about five radii above them
            return int(x - 1.6 * r), int(y - 6.0 * r), int(x + 1.8 * r), int(y + 0.5 * r)
        return int(x - 1.5 * r), int(y - 1.5 * r), int(x + 1.5 * r), int(y + 0.6 * r)


def _glow_sprite(ax: int, ay: int, sigma: float) -> np.ndarray:
    import cv2

    pad = int(3 * sigma) + 1
    sprite = np.zeros((2 * (ay + pad) + 1, 2 * (ax + pad) + 1), np.float32)
    cv2.ellipse(sprite, (ax + pad, ay + pad), (ax, ay), 0, 0, 360, 1.0, -1)
    return np.asarray(cv2.GaussianBlur(sprite, (0, 0), sigma))[..., None]


def _paste(canvas: np.ndarray, x0: int, y0: int, alpha: np.ndarray, colour: Any) -> None:
    """Alpha-blend ``colour`` (a colour or an image the size of ``alpha``) at (x0, y0), clipped."""
    h, w = canvas.shape[:2]
    ah, aw = alpha.shape[:2]
    cx0, cy0, cx1, cy1 = max(0, x0), max(0, y0), min(w, x0 + aw), min(h, y0 + ah)
    if cx0 >= cx1 or cy0 >= cy1:
        return
    a = alpha[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
    if a.ndim == 2:
        a = a[..., None]
    c = np.asarray(colour, np.float32)
    if c.ndim == 3:
        c = c[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
    roi = canvas[cy0:cy1, cx0:cx1]
    blended = roi * (1 - a) + c * a
    roi[:] = np.clip(blended, 0, 255).astype(canvas.dtype) if canvas.dtype == np.uint8 else blended


def _blend(canvas: np.ndarray, cx: int, cy: int, sprite: np.ndarray, colour: Any) -> None:
    _paste(canvas, cx - sprite.shape[1] // 2, cy - sprite.shape[0] // 2, sprite, colour)


def stamp(image: Any) -> Any:
    """A copy safe to draw on (OpenCV drawing wants a contiguous array)."""
    return np.ascontiguousarray(image)
