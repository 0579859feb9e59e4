"""The Vietnamese lunar calendar computed from the sky, to check data/tet.json independently:
Hồ Ngọc Đức's method (new moons and the sun's longitude after Meeus, Astronomical Algorithms,
at UTC+7). Tết is the new moon that starts the first month, two months after the one holding
the winter solstice (three when a leap month falls between)."""

from __future__ import annotations

from datetime import date
from math import floor, pi, sin

TIME_ZONE = 7
DEGREE = pi / 180


def _jd_from_date(day: int, month: int, year: int) -> int:
    a = (14 - month) // 12
    y, m = year + 4800 - a, month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045


def _date_from_jd(jd: int) -> date:
    a = jd + 32044
    b = (4 * a + 3) // 146097
    c = a - (b * 146097) // 4
    d = (4 * c + 3) // 1461
    e = c - (1461 * d) // 4
    m = (5 * e + 2) // 153
    return date(b * 100 + d - 4800 + m // 10, m + 3 - 12 * (m // 10), e - (153 * m + 2) // 5 + 1)


def _new_moon(k: int) -> float:
    """The Julian day of the k-th new moon after 1 January 1900."""
    t = k / 1236.85
    t2, t3 = t * t, t * t * t
    jd = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * DEGREE)
    m = (359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3) * DEGREE
    mp = (306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3) * DEGREE
    f = (21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3) * DEGREE
    c = (0.1734 - 0.000393 * t) * sin(m) + 0.0021 * sin(2 * m)
    c += -0.4068 * sin(mp) + 0.0161 * sin(2 * mp) - 0.0004 * sin(3 * mp)
    c += 0.0104 * sin(2 * f) - 0.0051 * sin(m + mp) - 0.0074 * sin(m - mp) + 0.0004 * sin(2 * f + m)
    c += -0.0004 * sin(2 * f - m) - 0.0006 * sin(2 * f + mp) + 0.0010 * sin(2 * f - mp)
    c += 0.0005 * sin(2 * mp + m)
    delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd + c - delta_t


def _sun_sector(day: int) -> int:
    """Which 30° sector of longitude the sun is in at the start of ``day`` (local time)."""
    t = (day - 0.5 - TIME_ZONE / 24 - 2451545.0) / 36525
    m = (357.52910 + 35999.05030 * t - 0.0001559 * t * t) * DEGREE
    longitude = 280.46645 + 36000.76983 * t + 0.0003032 * t * t
    longitude += (1.914600 - 0.004817 * t) * sin(m) + 0.019993 * sin(2 * m) + 0.000290 * sin(3 * m)
    radians = longitude * DEGREE
    radians -= 2 * pi * floor(radians / (2 * pi))
    return floor(radians / pi * 6)


def _new_moon_day(k: int) -> int:
    return floor(_new_moon(k) + 0.5 + TIME_ZONE / 24)


def _month_11(year: int) -> int:
    """The first day of the lunar month that holds the winter solstice of ``year``."""
    k = floor((_jd_from_date(31, 12, year) - 2415021) / 29.530588853)
    day = _new_moon_day(k)
    return _new_moon_day(k - 1) if _sun_sector(day) >= 9 else day


def _leap_offset(month_11: int) -> int:
    k = floor((month_11 - 2415021.076998695) / 29.530588853 + 0.5)
    i, sector = 1, _sun_sector(_new_moon_day(k + 1))
    while True:
        last, i = sector, i + 1
        sector = _sun_sector(_new_moon_day(k + i))
        if sector == last or i >= 14:
            return i - 1


def tet(year: int) -> date:
    """The first day of the first lunar month of ``year``."""
    start, end = _month_11(year - 1), _month_11(year)
    offset = 2
    if end - start > 365 and offset >= _leap_offset(start):
        offset += 1
    k = floor(0.5 + (start - 2415021.076998695) / 29.530588853)
    return _date_from_jd(_new_moon_day(k + offset))
