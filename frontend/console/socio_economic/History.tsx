// One indicator's year on a chart: this year against last year, month by month or added up
// from January, with the year's target band and the forecast's band toward December.
import { type Band, ChartFigure, COLOURS, type Series } from "@shared/Chart";
import { t } from "@shared/i18n";
import { useState } from "preact/hooks";
import type { Indicator, IndicatorForecast, IndicatorPage, Target } from "./api";
import { amount, monthShort } from "./parts";

type View = "running" | "monthly";

/** How months make the year so far: a total, an average, or the latest level. */
function running(values: (number | null)[], how: Indicator["time_aggregation"]): (number | null)[] {
  let total = 0;
  let count = 0;
  let last: number | null = null;
  return values.map((value) => {
    if (value === null) return null;
    total += value;
    count += 1;
    last = value;
    if (how === "average" || how === "ratio") return total / count;
    return how === "last" ? last : total;
  });
}

/** The months of the forecast's year (or of the latest year shown), January to December. */
function yearMonths(chart: IndicatorPage["chart"], year: number) {
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
  const at = (list: (number | null)[]) => months.map((m) => list[chart.months.indexOf(m)] ?? null);
  return { months, values: at(chart.values), lastYear: at(chart.last_year) };
}

function yearTarget(targets: Target[], year: number): Target | undefined {
  return targets.find((target) => target.period === String(year)) ?? targets.find((target) => !target.period);
}

function forecastBand(forecast: IndicatorForecast | null, path: (number | null)[], months: string[]): Band | null {
  if (!forecast) return null;
  const from = months.indexOf(forecast.through);
  if (from < 0) return null;
  const start = path[from] ?? null;
  // From the last month known to December: a straight path to each end of the band.
  const toward = (end: number) =>
    months.map((_, i) => {
      if (i < from || start === null) return null;
      return start + ((end - start) * (i - from)) / Math.max(1, months.length - 1 - from);
    });
  return { label: t("se.chart.forecastBand"), low: toward(forecast.low), high: toward(forecast.high), colour: COLOURS[1] };
}

export function History({ page }: { page: IndicatorPage }) {
  const [view, setView] = useState<View>("running");
  const { indicator, chart, forecast } = page;
  const latest = chart.months.filter((_, i) => chart.values[i] !== null).pop() ?? chart.months.at(-1) ?? "";
  const year = forecast?.year ?? Number(latest.slice(0, 4));
  if (!year) return <p class="muted">{t("se.chart.none")}</p>;
  const { months, values, lastYear } = yearMonths(chart, year);
  const how = indicator.time_aggregation;
  const format = (value: number | null) => amount(value, indicator.decimals);
  const shown = view === "running" ? [running(values, how), running(lastYear, how)] : [values, lastYear];
  const series: Series[] = [
    { label: t("se.chart.thisYear", { y: year }), values: shown[0], kind: "line", format, colour: COLOURS[0] },
    { label: t("se.chart.lastYear", { y: year - 1 }), values: shown[1], kind: "line", format, dashed: true, colour: "#4a5866" },
  ];
  const bands: Band[] = [];
  // The target and the forecast are the year's: they compare with the year so far, not a month.
  if (view === "running") {
    const target = chart.target ?? yearTarget(page.targets, year);
    if (target && (target.low !== null || target.high !== null)) {
      const low = target.low ?? target.high;
      const high = target.high ?? target.low;
      bands.push({ label: t("se.chart.targetBand", { text: target.text }), low: months.map(() => low), high: months.map(() => high), colour: COLOURS[2], format });
    }
    const band = forecastBand(forecast, shown[0], months);
    if (band) bands.push({ ...band, format });
  }
  const title = t(view === "running" ? "se.chart.titleRunning" : "se.chart.titleMonthly", { y: year });
  return (
    <section aria-labelledby="se-history-title">
      <h2 id="se-history-title">{t("se.chart.heading")}</h2>
      <fieldset class="se-view">
        <legend>{t("se.chart.view")}</legend>
        {(["running", "monthly"] as const).map((v) => (
          <label class="choice" key={v}>
            <input type="radio" name="se-view" value={v} checked={view === v} onChange={() => setView(v)} />
            {t(`se.chart.view.${v}`)}
          </label>
        ))}
      </fieldset>
      <ChartFigure id="se-history" heading={3} title={title} labels={months.map(monthShort)} series={series} bands={bands} fromZero={false} />
    </section>
  );
}
