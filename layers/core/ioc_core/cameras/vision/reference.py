"""Reference views: what a camera normally sees at dawn, by day, at dusk and at night.

A period's reference is the per-pixel median of its first snapshots (spaced apart, so passing
traffic drops out). A persistent change is never folded into it: only an operator accepting
the change replaces a reference.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

# The bookkeeping of references is pure state (no numpy): re-exported for the pipelines.
from ioc_core.cameras.vision.state import add_candidate, period_of, set_reference, wants_candidate

__all__ = [
    "Reference",
    "add_candidate",
    "gradient_magnitude",
    "median_reference",
    "period_of",
    "quarter",
    "same_size",
    "set_reference",
    "shifted",
    "wants_candidate",
]


class Reference:
    """A reference image with the derived planes the detectors compare against (cached)."""

    def __init__(self, image: Any) -> None:
        self.image = np.ascontiguousarray(image)
        self._shifted: dict[tuple[str, int, int], Any] = {}

    def at(self, plane: str, shift: tuple[int, int]) -> Any:
        """A derived plane moved by ``shift`` (as a shaken camera sees it), cached per shift."""
        key = (plane, *shift)
        if key not in self._shifted:
            if len(self._shifted) > 64:
                self._shifted.clear()
            self._shifted[key] = shifted(getattr(self, plane), *shift)
        return self._shifted[key]

    def mean_at(self, plane: str, shift: tuple[int, int]) -> float:
        """The mean of ``at(plane, shift)`` (single-channel planes), cached per shift."""
        import cv2

        means: dict[tuple[str, int, int], float] = self.__dict__.setdefault("_means", {})
        key = (plane, *shift)
        if key not in means:
            if len(means) > 64:
                means.clear()
            means[key] = cv2.mean(self.at(plane, shift))[0]
        return means[key]

    @cached_property
    def chroma_red(self) -> Any:
        return np.ascontiguousarray(self.ycrcb[..., 1])

    @cached_property
    def ycrcb(self) -> Any:
        import cv2

        return cv2.cvtColor(self.image, cv2.COLOR_BGR2YCrCb)

    @cached_property
    def luma(self) -> Any:
        return np.ascontiguousarray(self.ycrcb[..., 0])

    @cached_property
    def small(self) -> Any:
        return quarter(self.luma)

    @cached_property
    def window(self) -> Any:
        """Hanning window for phase correlation: edges would otherwise dominate the spectrum."""
        import cv2

        h, w = self.small.shape[:2]
        return cv2.createHanningWindow((w, h), cv2.CV_32F)

    @cached_property
    def spectrum(self) -> Any:
        """The windowed quarter-size luma's spectrum: what every snapshot is correlated with."""
        from ioc_core.cameras.vision.registration import spectrum

        return spectrum(self.small, self.window)

    @cached_property
    def fire_like(self) -> Any:
        import cv2

        from ioc_core.cameras.vision.colour import fire_mask

        return cv2.dilate(fire_mask(self.image, self.ycrcb), np.ones((5, 5), np.uint8))

    @cached_property
    def luma_max(self) -> Any:
        import cv2

        return cv2.dilate(self.luma, np.ones((3, 3), np.uint8))

    @cached_property
    def luma_min(self) -> Any:
        import cv2

        return cv2.erode(self.luma, np.ones((3, 3), np.uint8))

    @cached_property
    def smooth(self) -> Any:
        """Colour blurred 3×3: what the change test compares (sensor noise averaged out)."""
        import cv2

        return cv2.GaussianBlur(self.image, (3, 3), 0)

    @cached_property
    def smooth_max(self) -> Any:
        import cv2

        return cv2.dilate(self.smooth, np.ones((3, 3), np.uint8))

    @cached_property
    def smooth_min(self) -> Any:
        import cv2

        return cv2.erode(self.smooth, np.ones((3, 3), np.uint8))

    @cached_property
    def gradient(self) -> Any:
        return gradient_magnitude(self.luma)

    @cached_property
    def gradient_max(self) -> Any:
        import cv2

        return cv2.dilate(self.gradient, np.ones((3, 3), np.uint8))


def shifted(plane: Any, dx: int, dy: int) -> Any:
    """The plane moved by (dx, dy), edges repeated."""
    if dx == 0 and dy == 0:
        return plane
    import cv2

    h, w = plane.shape[:2]
    return cv2.warpAffine(
        plane, np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32), (w, h), borderMode=cv2.BORDER_REPLICATE
    )


def quarter(luma: Any) -> Any:
    """Luma at a quarter of the size (120×68 from 480×270), as float32: what alignment
    correlates, within a pixel of the analysis size once the peak is refined as a sinc's."""
    import cv2

    return cv2.pyrDown(cv2.pyrDown(np.ascontiguousarray(luma))).astype(np.float32)


def gradient_magnitude(luma: Any) -> Any:
    """|∇Y| as uint8 (Sobel, L1), cheap and gain-tolerant once compared relatively."""
    import cv2

    gx = cv2.Sobel(luma, cv2.CV_16S, 1, 0, ksize=3)
    gy = cv2.Sobel(luma, cv2.CV_16S, 0, 1, ksize=3)
    return cv2.addWeighted(cv2.convertScaleAbs(gx), 0.5, cv2.convertScaleAbs(gy), 0.5, 0)


def median_reference(images: list[Any]) -> Any:
    return np.median(np.stack(images), axis=0).astype(np.uint8)


def same_size(image: Any, shape: tuple[int, ...]) -> Any:
    """A stored reference at another resolution is resized to the snapshot's analysis size."""
    import cv2

    if image.shape[:2] == shape[:2]:
        return image
    return cv2.resize(image, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
