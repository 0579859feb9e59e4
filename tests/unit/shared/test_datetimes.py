"""Client date-times: ISO 8601 / W3C-DTF, naive and date-only values taken as Vietnam time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ioc_core.shared.clock import VN_TZ, iso, to_vn
from ioc_core.shared.datetimes import parse_datetime

pytestmark = pytest.mark.unit

SEVEN_HOURS = timedelta(hours=7)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-02T02:00:00Z", "2026-03-02T09:00:00+07:00"),
        ("2026-03-02T02:00:00z", "2026-03-02T09:00:00+07:00"),
        ("2026-03-02T11:00:00+09:00", "2026-03-02T09:00:00+07:00"),
        ("2026-03-01T21:30:00-05:00", "2026-03-02T09:30:00+07:00"),
        ("2026-03-02T09:00:00+07:00", "2026-03-02T09:00:00+07:00"),
        ("2026-03-02", "2026-03-02T00:00:00+07:00"),  # date only: midnight in Vietnam
        ("2026-03-02T09:00:00", "2026-03-02T09:00:00+07:00"),  # naive: Vietnam time
        ("2026-03-02 09:00", "2026-03-02T09:00:00+07:00"),
        ("  2026-03-02T09:00:00Z  ", "2026-03-02T16:00:00+07:00"),
    ],
)
def test_parse_datetime_lands_in_vietnam_time(raw: str, expected: str) -> None:
    parsed = parse_datetime(raw)

    assert parsed.utcoffset() == SEVEN_HOURS
    assert parsed.isoformat(timespec="seconds") == expected


def test_the_same_instant_in_two_zones_is_equal() -> None:
    assert parse_datetime("2026-03-02T02:00:00Z") == parse_datetime("2026-03-02T09:00:00+07:00")


@pytest.mark.parametrize(
    "raw", ["", "   ", "hôm qua", "2026-13-01", "2026-02-30", "02/03/2026", "1772420400"]
)
def test_what_is_no_date_time_is_a_value_error(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_datetime(raw)


def test_iso_renders_seconds_and_the_vietnam_offset() -> None:
    assert iso(datetime(2026, 3, 2, 2, 0, 0, 123456, tzinfo=VN_TZ)) == "2026-03-02T02:00:00+07:00"
    assert iso(datetime(2026, 3, 2, 9, 0)) == "2026-03-02T09:00:00+07:00"
    assert to_vn(datetime(2026, 3, 2, 9, 0)).utcoffset() == SEVEN_HOURS
