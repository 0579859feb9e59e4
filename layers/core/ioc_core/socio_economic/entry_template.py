"""The entry template: a unit's indicators due in a month, one row each, ready to fill in.

Its columns are the importer's (``importing.COLUMNS``), the value left blank, then the
indicator's name and unit as hints the importer ignores. A month's reports are the monthly
indicators' and, in the months that close them, the quarter's, the half year's and the year's
(Decree 09/2019/NĐ-CP), each row with its own period code. Derived indicators and those Field
Reporting feeds take no entry, so they are left out. Filled in part and sent back through the
import, the rows left blank are skipped; the cells are written by the exports module, so none
starts a formula.
"""

from __future__ import annotations

from collections.abc import Iterator

from ioc_core.platform import exports
from ioc_core.platform.access import Reach
from ioc_core.shared.errors import FieldProblem, ValidationFailed
from ioc_core.socio_economic.catalogue import CITY, Catalogue, Indicator
from ioc_core.socio_economic.importing import COLUMNS
from ioc_core.socio_economic.periods import Period, periods_of

HINTS = ("name_vi", "name_en", "unit_vi", "unit_en")
HEADERS = (*COLUMNS, *HINTS)


def month_of(text: str) -> Period:
    """The template's month (``YYYY-MM``); anything else is a 400 in vi and en."""
    period = Period.parse(text)
    if period.kind != "month":
        message = (
            f"Mẫu nhập liệu theo tháng (YYYY-MM), không theo kỳ {text!r} / "
            f"The entry template is for a month (YYYY-MM), not {text!r}."
        )
        raise ValidationFailed(message, problems=[FieldProblem("period", message)])
    return period


def due(catalogue: Catalogue, month: Period, reach: Reach) -> Iterator[tuple[Indicator, Period]]:
    """The indicators the caller enters whose report closes in ``month``, with that period."""
    for indicator in catalogue.indicators:
        if indicator.derived or indicator.fed_by == "field_reporting":
            continue  # the service refuses a hand entry of these
        if not reach.unit(indicator.owner_unit):
            continue
        closing = next((p for p in periods_of(indicator.frequency, month.year) if p.last == month.last), None)
        if closing is not None:
            yield indicator, closing


def sheet(catalogue: Catalogue, month: Period, reach: Reach) -> exports.Sheet:
    rows = []
    for indicator, period in due(catalogue, month, reach):
        given = {"indicator": indicator.code, "period": period.code, "breakdown": CITY}
        # value, status, comment and reason left blank: the unit's to fill in
        rows.append([given.get(column) for column in COLUMNS] + list(_hints(indicator)))
    return exports.Sheet(title=f"Nhập liệu {month.code}", headers=HEADERS, rows=rows)


def _hints(indicator: Indicator) -> tuple[str, ...]:
    return indicator.name.vi, indicator.name.en, indicator.unit.vi, indicator.unit.en


def file_name(month: Period, reach: Reach, fmt: exports.Format) -> str:
    """``mau-nhap-lieu-TCKH-2026-11.csv``; the statistics office's (every unit's) names none."""
    units = "" if reach.city else "".join(f"-{code}" for code in sorted(reach.units))
    return f"mau-nhap-lieu{units}-{month.code}.{fmt}"
