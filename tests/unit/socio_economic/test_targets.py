"""Targets as the resolution writes them, and the colour a projection earns."""

from __future__ import annotations

import pytest

from ioc_core.shared.errors import ValidationFailed
from ioc_core.socio_economic.targets import TargetRange, change_pct, parse_range, percent_of_plan, status

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("8–8.5 %", 8.0, 8.5),
        ("8-8.5", 8.0, 8.5),
        ("8 – 8,5%", 8.0, 8.5),
        ("từ 8 đến 8,5%", 8.0, 8.5),
        ("≥ 95", 95.0, None),
        (">= 95 %", 95.0, None),
        ("Trên 95%", 95.0, None),
        ("10000", 10000.0, 10000.0),
        ("10.000 tỷ đồng", 10000.0, 10000.0),
        ("10.851,5", 10851.5, 10851.5),
        ("1.5", 1.5, 1.5),
        ("≤ 3", None, 3.0),
        ("không quá 3", None, 3.0),
        ("-2", -2.0, -2.0),
    ],
)
def test_the_resolution_text_becomes_a_range(text: str, low: float | None, high: float | None) -> None:
    target = parse_range(text)
    assert (target.low, target.high, target.text) == (low, high, text)


@pytest.mark.parametrize("text", ["", "about eight", "8–", "≥", "8 to nine"])
def test_unreadable_targets_are_a_validation_error_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_range(text)
    assert caught.value.problems[0].field == "target"


def test_a_range_written_backwards_is_refused() -> None:
    with pytest.raises(ValidationFailed, match="low end above"):
        parse_range("8,5–8")


def test_status_against_the_low_end_when_more_is_better() -> None:
    growth = parse_range("8–8.5 %")
    assert status(8.0, growth) == "on_track"
    assert status(7.7, growth) == "at_risk"  # within 5 % of 8
    assert status(7.25, growth) == "off_track"  # Bình Thuận 2024
    assert status(7.25, None) == "no_target"
    assert status(None, growth) == "no_target"


def test_status_against_the_high_end_when_less_is_better() -> None:
    poverty = parse_range("≤ 3")
    assert status(2.9, poverty, "down") == "on_track"
    assert status(3.1, poverty, "down") == "at_risk"
    assert status(3.5, poverty, "down") == "off_track"


def test_percent_of_plan_and_changes() -> None:
    assert percent_of_plan(10851, parse_range("10000")) == pytest.approx(108.51)
    assert percent_of_plan(None, parse_range("10000")) is None
    assert percent_of_plan(5.0, None) is None
    assert change_pct(10851, 10423) == pytest.approx(4.106, abs=1e-3)
    assert change_pct(-1.0, -2.0) == pytest.approx(50.0)  # a smaller loss is an improvement
    assert change_pct(5.0, 0.0) is None and change_pct(None, 3.0) is None and change_pct(3.0, None) is None


def test_a_target_needs_a_bound_in_order() -> None:
    with pytest.raises(ValueError):
        TargetRange(low=None, high=None, text="")
    with pytest.raises(ValueError):
        TargetRange(low=9, high=8, text="9–8")
