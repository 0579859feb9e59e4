"""The socio-economic room's demo data: five years of the city's indicators and this year's
targets, deterministic for a given month.

Monthly series come from the seasonal generator (``demo_history``: Tết and the summer peak,
the winter market of Mũi Né, the fishing season, the budget's December); quarterly and yearly
ones from a level, a yearly step and a seeded wobble. The older months are official, the
last two preliminary, the last one an estimate, and a few of the last month's entries wait
for approval, as a real month's reporting does. The province's published Bình Thuận figures
(public statistics, ``data/published/``) stand beside the city's as the ``province``
breakdown, each with its source. Field Reporting's indicators are not seeded: they arrive from
its events, like its live figures.
"""

from __future__ import annotations

import csv
import json
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

from ioc_core.platform.rooms import Progress
from ioc_core.settings import Settings
from ioc_core.shared.clock import VN_TZ
from ioc_core.shared.errors import DomainError
from ioc_core.socio_economic.catalogue import CITY, Catalogue, Indicator, default_catalogue
from ioc_core.socio_economic.models import PROVINCE, Entry, SeriesValue, Target, ValueStatus
from ioc_core.socio_economic.periods import Period, periods_of

FIRST_YEAR = 2021
ENTERED_BY = {"TCKH": "tckh", "THONGKE": "thongke"}  # demo staff (identity/dev_staff.py)
APPROVER = "thongke"
# Quarterly and yearly figures: (level in the first year, change per year, relative wobble).
LEVELS: dict[str, tuple[float, float, float]] = {
    "GRDP_GROWTH": (7.1, 0.15, 0.06),
    "GRDP_GROWTH_AGRI": (3.2, 0.05, 0.1),
    "GRDP_GROWTH_IND": (10.2, 0.2, 0.06),
    "GRDP_GROWTH_SERV": (7.0, 0.15, 0.06),
    "POPULATION": (238.0, 2.4, 0.0),
    "INCOME_PER_CAPITA": (61.0, 4.2, 0.01),
    "CROP_AREA": (5400.0, -60.0, 0.01),
    "RICE_YIELD": (58.0, 0.4, 0.02),
    "POOR_HOUSEHOLD_RATE": (1.9, -0.3, 0.04),
    "HEALTH_INSURANCE_COVERAGE": (89.5, 1.1, 0.003),
    "HOSPITAL_BEDS_PER_10K": (31.0, 0.8, 0.01),
    "DOCTORS_PER_10K": (10.4, 0.5, 0.01),
    "SCHOOLS_NATIONAL_STANDARD": (68.0, 2.5, 0.01),
}
# Monthly rates kept as a level (not seasonal): (level, change per year, wobble).
RATES: dict[str, tuple[float, float, float]] = {
    "IIP": (8.5, 0.3, 0.08),
    "CPI_YOY": (3.2, -0.1, 0.12),
    "DOSSIERS_ON_TIME": (95.5, 0.6, 0.005),
    "ONLINE_DOSSIERS_SHARE": (48.0, 7.0, 0.02),
}
SECTOR_SHARES = {"agri": 0.2479, "ind": 0.3596, "serv": 0.3388, "tax": 0.0537}


def _wobble(code: str, key: str, spread: float) -> float:
    """A deterministic factor around 1 for one code and period (never Python's hash)."""
    r = zlib.crc32(f"{code}|{key}".encode()) / 0xFFFFFFFF
    return 1 + spread * (2 * r - 1)


def _status(period: Period, now: datetime) -> ValueStatus:
    months_ago = (now.year - period.year) * 12 + now.month - period.last
    return "official" if months_ago > 3 else "preliminary" if months_ago > 1 else "estimate"


def _cumulative(code: str, month: int, year: int) -> float:
    """Immunisation is counted year to date: about a twelfth of the year's cohort each month."""
    return round(min(99.0, 97.5 * month / 12 * _wobble(code, f"{year}-{month}", 0.02)), 1)


class DemoValues:
    def __init__(self, catalogue: Catalogue, now: datetime, wards: list[str]) -> None:
        self.catalogue, self.now, self.wards = catalogue, now, wards
        last = (now.replace(day=1) - timedelta(days=1)).date()
        self.last_month = Period.month(last.year, last.month)

    def _monthly(self) -> dict[str, dict[str, float]]:
        from ioc_core.socio_economic.demo_history import DemoSeries, generate

        specs = []
        for i in self.catalogue.indicators:
            if i.demo:
                aggregation = "average" if i.time_aggregation == "average" else "sum"
                cap = 100.0 if i.unit.vi == "%" else None
                specs.append(
                    DemoSeries(
                        i.code,
                        str(i.demo["profile"]),
                        float(i.demo["base"]),
                        float(i.demo["growth"]),
                        float(i.demo["noise"]),
                        aggregation=aggregation,  # type: ignore[arg-type]
                        cap=cap,
                        decimals=i.decimals,
                    )
                )
        return generate(specs, FIRST_YEAR, self.last_month.year, last_month=self.last_month.last)

    def figures(self) -> Iterator[tuple[Indicator, str, Period, float]]:
        monthly = self._monthly()
        for indicator in self.catalogue.indicators:
            if indicator.derived or indicator.fed_by == "field_reporting":
                continue
            yield from self._of(indicator, monthly.get(indicator.code, {}))

    def _periods(self, indicator: Indicator) -> list[Period]:
        out = []
        for year in range(FIRST_YEAR, self.last_month.year + 1):
            out += [
                p
                for p in periods_of(indicator.frequency, year)
                if (p.year, p.last) <= (self.last_month.year, self.last_month.last)
            ]
        return out

    def _of(
        self, indicator: Indicator, months: dict[str, float]
    ) -> Iterator[tuple[Indicator, str, Period, float]]:
        code = indicator.code
        if months:
            span = {"monthly": 1, "quarterly": 3, "six_monthly": 6, "yearly": 12}[indicator.frequency]
            for p in self._periods(indicator):
                parts = [months[m] for m in p.months if m in months]
                if len(parts) == span:
                    value = round(
                        sum(parts) if indicator.time_aggregation == "sum" else sum(parts) / span,
                        indicator.decimals,
                    )
                    yield indicator, CITY, p, value
                    if code == "GRDP_CURRENT":
                        for sector, share in SECTOR_SHARES.items():
                            yield indicator, f"sector:{sector}", p, round(value * share, indicator.decimals)
                    if "ward" in indicator.breakdowns and indicator.time_aggregation == "sum":
                        yield from self._wards(indicator, p, value)
            return
        for p in self._periods(indicator):
            if code == "FULL_IMMUNISATION":
                yield indicator, CITY, p, _cumulative(code, p.last, p.year)
                continue
            level, step, spread = LEVELS.get(code) or RATES.get(code) or (0.0, 0.0, 0.0)
            if not level:
                continue
            years = p.year - FIRST_YEAR + (p.last - 1) / 12
            value = round((level + step * years) * _wobble(code, p.code, spread), indicator.decimals)
            yield indicator, CITY, p, value
            if "ward" in indicator.breakdowns and indicator.space_aggregation == "sum":
                yield from self._wards(indicator, p, value)

    def _wards(
        self, indicator: Indicator, p: Period, total: float
    ) -> Iterator[tuple[Indicator, str, Period, float]]:
        if not self.wards:
            return
        weights = [_wobble(indicator.code, w, 0.5) for w in self.wards]
        scale = sum(weights)
        shares = [round(total * w / scale, indicator.decimals) for w in weights]
        shares[-1] = round(total - sum(shares[:-1]), indicator.decimals)  # the wards add up to the city
        for ward, share in zip(self.wards, shares, strict=True):
            yield indicator, f"ward:{ward}", p, share

    def values(self) -> list[SeriesValue]:
        out: list[SeriesValue] = []
        for indicator, breakdown, period, value in self.figures():
            by = ENTERED_BY.get(indicator.owner_unit, indicator.owner_unit.lower())
            entered = datetime(period.year, period.last, 1, 9, tzinfo=VN_TZ) + timedelta(days=40)
            entered = min(entered, self.now - timedelta(days=2))
            entry = Entry(value=value, status=_status(period, self.now), by=by, at=entered, source="demo")
            waiting = (
                period == self.last_month
                and breakdown == CITY
                and zlib.crc32(indicator.code.encode()) % 5 == 0
            )
            if waiting:
                out.append(
                    SeriesValue(
                        indicator=indicator.code,
                        breakdown=breakdown,
                        period=period.code,
                        pending=entry,
                        version=1,
                    )
                )
            else:
                out.append(
                    SeriesValue(
                        indicator=indicator.code,
                        breakdown=breakdown,
                        period=period.code,
                        approved=entry,
                        approved_by=APPROVER if by != APPROVER else "tckh",
                        approved_at=entered + timedelta(days=1),
                        version=2,
                    )
                )
        return out + published_values(self.now)


def published_values(now: datetime) -> list[SeriesValue]:
    """The 27 published Bình Thuận figures whose codes the catalogue has, as official values of
    the ``province`` breakdown, each with its source address."""
    catalogue = default_catalogue()
    out = []
    for row in published_rows():
        code, raw = row["indicator_code"], row["period"]
        if not catalogue.has(code) or not row["actual"] or ".." in raw:
            continue  # year-to-date ranges ("2024-01..08") are shown beside, not as periods
        try:
            period = Period.parse(raw)
        except DomainError:  # a period the regime has no code for
            continue
        entry = Entry(
            value=float(row["actual"]),
            status="official",
            by="published",
            at=now,
            source="published",
            source_url=row["source_url"].split(" ; ")[0],
            comment=row.get("note") or None,
        )
        out.append(
            SeriesValue(
                indicator=code,
                breakdown=PROVINCE,
                period=period.code,
                approved=entry,
                approved_by="published",
                approved_at=now,
                version=1,
            )
        )
    return out


def published_rows() -> list[dict[str, str]]:
    text = resources.files("ioc_core.socio_economic").joinpath("data/published/binh_thuan_indicators.csv")
    return list(csv.DictReader(text.read_text("utf-8").splitlines()))


def demo_targets(now: datetime) -> list[Target]:
    raw = resources.files("ioc_core.socio_economic").joinpath("data/targets.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    from ioc_core.socio_economic.targets import parse_range

    out = []
    for resolution in data["resolutions"]:
        for code, text in resolution["targets"].items():
            parsed = parse_range(text)
            out.append(
                Target(
                    indicator=code,
                    period=str(resolution["year"]),
                    text=text,
                    low=parsed.low,
                    high=parsed.high,
                    resolution=resolution["name"],
                    set_by="thongke",
                    set_at=now,
                    version=1,
                )
            )
    return out


def load(settings: Settings, progress: Progress, now: datetime | None = None) -> bool:
    from ioc_core.socio_economic.adapters.dynamo import IndicatorTargetItem, IndicatorValueItem
    from ioc_core.socio_economic.wiring import active_wards

    now = now or datetime.now(VN_TZ)
    values = DemoValues(default_catalogue(), now, active_wards()).values()
    targets = demo_targets(now)
    with IndicatorValueItem.batch_write() as batch:
        for n, value in enumerate(values, 1):
            batch.save(IndicatorValueItem.of(value))
            if n % 1000 == 0:
                progress(f"  indicator values {n}/{len(values)}")
    with IndicatorTargetItem.batch_write() as batch:
        for target in targets:
            batch.save(IndicatorTargetItem.of(target))
    from ioc_core.socio_economic.tasks.adapters import DynamoTaskRepository
    from ioc_core.socio_economic.tasks.demo import seed_tasks

    seed_tasks(DynamoTaskRepository(settings), now)
    from ioc_core.socio_economic.overview import refresh

    refresh()  # the overview's first tile
    progress(
        f"indicators: {len(values)} values of {len(default_catalogue().indicators)} indicators, "
        f"{len(targets)} targets"
    )
    return True
