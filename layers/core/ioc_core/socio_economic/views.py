"""What the console, the overview tile and the meeting pack show of each indicator: its
figure for the period with the four comparisons of the statistics office's reports (previous
period, same period last year, year to date, % of the annual plan), its target as a range,
the traffic colour, and for a monthly indicator with a target the year-end forecast and what
is still needed each remaining month."""

from __future__ import annotations

from typing import Any

from ioc_core.socio_economic.catalogue import CITY, Indicator
from ioc_core.socio_economic.engine import Figures, change_pct
from ioc_core.socio_economic.models import Target
from ioc_core.socio_economic.periods import Period

TRAFFIC = ("on_track", "at_risk", "off_track", "no_target")


def _target_range(target: Target | None) -> Any:
    if target is None:
        return None
    from ioc_core.socio_economic.targets import TargetRange

    return TargetRange(low=target.low, high=target.high, text=target.text)


def _aggregation(indicator: Indicator) -> str:
    if indicator.time_aggregation in ("sum", "last"):
        return indicator.time_aggregation
    return "average"


def _own_period(indicator: Indicator, month: Period, figures: Figures) -> Period:
    """The indicator's latest period up to the month: a month, a quarter or a year."""
    if indicator.frequency == "monthly":
        return month
    stored = [
        Period.parse(p)
        for p, v in figures.values.get((indicator.code, CITY), {}).items()
        if v.approved is not None and Period.parse(p).year <= month.year and Period.parse(p).last <= 12
    ]
    stored = [p for p in stored if (p.year, p.last) <= (month.year, month.last)]
    if indicator.derived and indicator.frequency == "yearly":
        return Period(month.year - 1, 1, 12) if month.last < 12 else Period(month.year, 1, 12)
    if indicator.derived:
        formula = figures.catalogue.formula(indicator.code)
        first = next((r for r in formula.refs if r.kind != "plan"), None) if formula else None
        if first is not None:
            return _own_period(figures.catalogue.get(first.code), month, figures)
    return max(stored) if stored else Period(month.year - 1, 1, 12)


def _forecastable(indicator: Indicator, figures: Figures, month: Period, target: Target | None) -> bool:
    if indicator.frequency != "monthly" or target is None:
        return False
    history = figures.months(indicator.code)
    return sum(1 for m in history if m.startswith(f"{month.year - 1}-")) >= 12


def forecast(indicator: Indicator, figures: Figures, month: Period, target: Target | None) -> Any:
    if not _forecastable(indicator, figures, month, target):
        return None
    from ioc_core.socio_economic.forecast import forecast_year_end

    try:
        return forecast_year_end(
            figures.months(indicator.code),
            month.year,
            month.first,
            aggregation=_aggregation(indicator),  # type: ignore[arg-type]
            target=_target_range(target),
            good=indicator.good,
        )
    except ValueError:  # too little history: no forecast rather than a guess
        return None


def _through(indicator: Indicator, figures: Figures, period: Period) -> Period:
    """A month still waiting for approval: the forecast stands on the months approved so far."""
    value = figures.value(indicator.code, period)
    return period if value is not None or period.first == 1 else Period.month(period.year, period.first - 1)


def forecasts(figures: Figures, indicators: list[Indicator], month: Period) -> dict[str, Any]:
    """The row forecasts of many indicators, one ``forecast_many`` per cut-off (the dashboard's
    sixty at once cost what a few one at a time did); the same as ``forecast`` one by one."""
    from ioc_core.socio_economic.forecast import forecast_many

    asked: dict[Period, dict[str, tuple[Indicator, Target]]] = {}
    for indicator in indicators:
        period = _own_period(indicator, month, figures)
        if period.kind != "month":
            continue
        through = _through(indicator, figures, period)
        target = figures.target(indicator.code, Period(period.year, 1, 12))
        if target is not None and _forecastable(indicator, figures, through, target):
            asked.setdefault(through, {})[indicator.code] = (indicator, target)
    found: dict[str, Any] = {}
    for through, members in asked.items():
        try:
            result = forecast_many(
                {code: figures.months(code) for code in members},
                through.year,
                through.first,
                aggregations={code: _aggregation(i) for code, (i, _) in members.items()},  # type: ignore[misc]
                targets={code: _target_range(t) for code, (_, t) in members.items()},
                goods={code: i.good for code, (i, _) in members.items()},
            )
        except ValueError:  # one history the batch cannot take: each on its own, as before
            found |= {code: forecast(i, figures, through, t) for code, (i, t) in members.items()}
            continue
        found |= {code: result.forecasts.get(code) for code in members}
    return found


def forecast_doc(projected: Any) -> dict[str, Any] | None:
    if projected is None:
        return None
    return {
        "year": projected.year,
        "through": projected.through,
        "method": projected.method,
        "value": projected.value,
        "low": projected.low,
        "high": projected.high,
        "holt_winters": projected.holt_winters.value if projected.holt_winters else None,
        "status": projected.status,
        "needed_total": projected.needed_total,
        "needed_per_month": projected.needed_flat,
        "needed": [
            {
                "month": n.period,
                "needed": n.amount,
                "ever_achieved": n.achieved_before,
                "best_before": n.best_past,
                "best_year": n.best_past_year,
            }
            for n in projected.needed
        ],
    }


def row(
    indicator: Indicator, figures: Figures, month: Period, projections: dict[str, Any] | None = None
) -> dict[str, Any]:
    """One indicator's row; ``projections``: the forecasts ``forecasts`` made for many rows."""
    period = _own_period(indicator, month, figures)
    value = figures.value(indicator.code, period)
    stored = figures.stored(indicator.code, period.code)
    ytd_period = period.year_to_date()
    ytd = figures.value(indicator.code, ytd_period) if indicator.frequency == "monthly" else value
    ytd_last = (
        figures.value(indicator.code, ytd_period.same_period_last_year())
        if indicator.frequency == "monthly"
        else None
    )
    target = figures.target(indicator.code, Period(period.year, 1, 12))
    plan = figures.plan(indicator.code, period.year)
    basis = ytd if indicator.time_aggregation == "sum" else value
    projected = None
    if period.kind == "month":
        if projections is not None:
            projected = projections.get(indicator.code)
        else:
            projected = forecast(indicator, figures, _through(indicator, figures, period), target)
    traffic = "no_target"
    if target is not None:
        from ioc_core.socio_economic.targets import status

        estimate = projected.value if projected is not None else value
        traffic = (
            status(estimate, _target_range(target), indicator.good) if estimate is not None else "no_target"
        )
    previous = figures.value(indicator.code, period.previous())
    last_year = figures.value(indicator.code, period.same_period_last_year())
    return {
        "code": indicator.code,
        "group": indicator.group,
        "name": indicator.name.model_dump(),
        "unit": indicator.unit.model_dump(),
        "decimals": indicator.decimals,
        "good": indicator.good,
        "owner_unit": indicator.owner_unit,
        "period": period.code,
        "period_label": {"vi": period.label("vi"), "en": period.label("en")},
        "value": value,
        "status": stored.approved.status if stored and stored.approved else None,
        "state": "derived" if indicator.derived else (stored.state if stored else "empty"),
        "previous": previous,
        "same_period_last_year": last_year,
        "change_previous_pct": change_pct(value, previous),
        "yoy_pct": change_pct(ytd, ytd_last)
        if indicator.frequency == "monthly"
        else change_pct(value, last_year),
        "ytd": ytd,
        "pct_of_plan": (basis / plan * 100) if basis is not None and plan else None,
        "target": None
        if target is None
        else {
            "period": target.period,
            "text": target.text,
            "low": target.low,
            "high": target.high,
            "resolution": target.resolution,
        },
        "traffic": traffic,
        "forecast": forecast_doc(projected),
        "needed_per_month": projected.needed_flat if projected is not None else None,
    }


def dashboard(figures: Figures, month: Period, group: str | None = None) -> dict[str, Any]:
    catalogue = figures.catalogue
    groups = []
    counts = dict.fromkeys(TRAFFIC, 0)
    shown = [g for g in catalogue.groups if not group or g.code == group]
    projections = forecasts(figures, [i for g in shown for i in catalogue.in_group(g.code)], month)
    for g in shown:
        rows = [row(i, figures, month, projections) for i in catalogue.in_group(g.code)]
        for r in rows:
            counts[r["traffic"]] += 1
        groups.append({"code": g.code, "name": g.name.model_dump(), "rows": rows})
    return {
        "period": month.code,
        "label": {"vi": month.label("vi"), "en": month.label("en")},
        "counts": counts,
        "groups": groups,
    }


def _entry(entry: Any) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {
        "value": entry.value,
        "status": entry.status,
        "by": entry.by,
        "at": entry.at.isoformat(),
        "comment": entry.comment,
        "reason": entry.reason,
        "source": entry.source,
        "source_url": entry.source_url,
        "findings": [f.model_dump() for f in entry.findings],
    }


def series_doc(value: Any) -> dict[str, Any]:
    return {
        "indicator": value.indicator,
        "breakdown": value.breakdown,
        "period": value.period,
        "version": value.version,
        "state": value.state,
        "value": value.value,
        "status": value.approved.status if value.approved else None,
        "source": value.approved.source if value.approved else None,
        "source_url": value.approved.source_url if value.approved else None,
        "entered_by": value.approved.by if value.approved else None,
        "approved_by": value.approved_by,
        "approved_at": value.approved_at.isoformat() if value.approved_at else None,
        "pending": _entry(value.pending),
        "revisions": [r.model_dump(mode="json") for r in value.revisions],
    }


def indicator_page(
    figures: Figures,
    indicator: Indicator,
    history: list[Any],
    month: Period,
    members: list[tuple[str, dict[str, str]]],
) -> dict[str, Any]:
    year = month.year
    chart_months = [f"{year}-{m:02d}" for m in range(1, 13)]
    monthly = figures.months(indicator.code) if indicator.frequency == "monthly" else {}
    target = figures.target(indicator.code, Period(year, 1, 12))
    own = _own_period(indicator, month, figures)
    through = own if own.kind == "month" else month
    projected = forecast(indicator, figures, through, target) if indicator.frequency == "monthly" else None
    targets = sorted(
        (t for (code, _), t in figures.targets.items() if code == indicator.code), key=lambda t: t.period
    )
    return {
        "indicator": indicator.model_dump(exclude={"demo"}) | {"derived": indicator.derived},
        "owner": figures.catalogue.unit_name(indicator.owner_unit).model_dump(),
        "period": own.code,
        "row": row(indicator, figures, month),
        "series": [series_doc(v) for v in sorted(history, key=lambda v: Period.parse(v.period))],
        "chart": {
            "months": chart_months,
            "values": [monthly.get(m) for m in chart_months],
            "last_year": [monthly.get(f"{year - 1}-{m[5:]}") for m in chart_months],
            "target": None
            if target is None
            else {"low": target.low, "high": target.high, "text": target.text},
        },
        "targets": [
            {"period": t.period, "text": t.text, "low": t.low, "high": t.high, "resolution": t.resolution}
            for t in targets
        ],
        "forecast": forecast_doc(projected),
        "breakdown": [
            {"breakdown": key, "name": name, "value": figures.value(indicator.code, own, key)}
            for key, name in members
        ],
    }
