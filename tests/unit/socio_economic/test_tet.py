"""Tết dates are data; the sky says whether they are right."""

from __future__ import annotations

from datetime import date

import pytest
from lunar_calendar import tet

from ioc_core.socio_economic.tet import covered_years, tet_date, tet_month, tet_window

pytestmark = pytest.mark.unit


def test_every_date_in_the_file_is_the_new_moon_that_starts_the_lunar_year() -> None:
    assert covered_years() == range(2015, 2036)
    assert {year: tet_date(year) for year in covered_years()} == {year: tet(year) for year in covered_years()}


def test_known_dates_and_months() -> None:
    assert tet_date(2024) == date(2024, 2, 10)
    assert tet_date(2025) == date(2025, 1, 29)
    assert tet_date(2026) == date(2026, 2, 17)
    assert tet_date(2030) == date(2030, 2, 2)  # Vietnam's calendar; China's is a day later
    assert [tet_month(year) for year in (2023, 2024, 2025, 2026)] == [1, 2, 1, 2]


def test_a_year_outside_the_file_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"2040.*2015–2035"):
        tet_date(2040)


def test_the_tet_period_falls_over_the_months_by_its_days() -> None:
    late = tet_window(2026, 14, 14)  # 3 February – 2 March 2026
    assert late[0] == 0.0 and late[1] == pytest.approx(26 / 28) and late[2] == pytest.approx(2 / 28)
    early = tet_window(2025, 14, 14)  # 15 January – 11 February 2025
    assert early[0] == pytest.approx(17 / 28) and early[1] == pytest.approx(11 / 28)
    assert sum(early) == pytest.approx(1.0) and not any(early[3:])
