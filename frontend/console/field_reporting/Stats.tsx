// Published figures: the city, each ward, unit and category, and their course month by month.
import { get } from "@shared/api";
import type { Names } from "@shared/field_reporting";
import { number, percent } from "@shared/format";
import { locale, pick, t, useLang } from "@shared/i18n";
import { Failed, Loading, useAsync } from "@shared/ui";
import { ChartFigure, type Series } from "./Chart";

const STATS = "/api/v1/stats/field-reporting";

export interface Figures {
  total: number;
  open: number;
  resolved: number;
  rejected: number;
  withdrawn: number;
  resolved_on_time: number;
  on_time_rate: number | null;
  resolution_rate: number | null;
  ratings: number;
  positive_ratings: number;
  satisfaction_rate: number | null;
  transfers: number;
  reopened: number;
  escalations: number;
}

interface Row {
  code: string;
  name: Names;
  figures: Figures;
}

interface Month {
  month: string;
  submitted: number;
  resolved: number;
  resolved_on_time: number;
  on_time_rate: number | null;
  ratings: number;
  positive_ratings: number;
  satisfaction_rate: number | null;
  reopened: number;
}

const breakdown = (by: "city" | "ward" | "unit" | "category") =>
  get<{ by: string; rows: Row[] }>(`${STATS}/breakdown`, { by }).then((reply) => reply.rows);

async function load() {
  const [city, byWard, byCategory, byUnit, monthly] = await Promise.all([
    breakdown("city"),
    breakdown("ward"),
    breakdown("category"),
    breakdown("unit"),
    get<{ months: Month[] }>(`${STATS}/monthly`, { months: 12 }),
  ]);
  return { city: city[0]?.figures, byWard, byCategory, byUnit, months: monthly.months };
}

const asPercent = (value: number | null) => percent(value);
const asNumber = (value: number | null) => number(value);

export function Stats() {
  const lang = useLang();
  const loaded = useAsync(load, [lang]);
  // The title at once: five figures' requests may take a moment while events are catching up.
  if (loaded.loading && !loaded.data)
    return (
      <>
        <h1>{t("stats.title")}</h1>
        <Loading />
      </>
    );
  if (loaded.error || !loaded.data?.city)
    return (
      <>
        <h1>{t("stats.title")}</h1>
        <Failed error={loaded.error} retry={loaded.reload} />
      </>
    );
  const { city, byWard, byCategory, byUnit, months } = loaded.data;
  const busiest = (rows: Row[]) => [...rows].filter((r) => r.figures.total > 0).sort((a, b) => b.figures.total - a.figures.total);
  const categories = busiest(byCategory);
  const unitRows = busiest(byUnit);
  return (
    <>
      <div class="page-head">
        <h1>{t("stats.title")}</h1>
        <p class="muted">{t("stats.updated")}</p>
      </div>
      <ul class="kpis" aria-label={t("stats.title")}>
        <Kpi id="kpi-total" label={t("stats.total")} value={number(city.total)} note={t("stats.open", { n: number(city.open) })} />
        <Kpi
          id="kpi-resolved"
          label={t("stats.resolved")}
          value={number(city.resolved)}
          note={t("stats.ofTotal", { p: percent(city.resolution_rate) })}
        />
        <Kpi
          id="kpi-on-time"
          label={t("stats.onTime")}
          value={percent(city.on_time_rate)}
          note={t("stats.onTimeCount", { n: number(city.resolved_on_time) })}
        />
        <Kpi
          id="kpi-satisfaction"
          label={t("stats.satisfaction")}
          value={percent(city.satisfaction_rate)}
          note={t("stats.ratings", { n: number(city.ratings) })}
        />
        <Kpi id="kpi-reopened" label={t("stats.reopened")} value={number(city.reopened)} note={t("stats.transfers", { n: number(city.transfers) })} />
      </ul>
      <div class="charts">
        <ChartFigure
          id="over-time"
          title={t("stats.overTime")}
          labels={months.map((m) => monthName(m.month))}
          series={monthSeries(months)}
        />
        <ChartFigure id="by-ward" title={t("stats.byWard")} labels={byWard.map((r) => pick(r.name))} series={rowSeries(byWard)} />
        <Ranking id="by-category" title={t("stats.byCategory")} rows={categories} />
        <Ranking id="by-unit" title={t("stats.byUnit")} rows={unitRows} />
      </div>
    </>
  );
}

/** Rows side by side as horizontal bars, tall enough for every name. */
function Ranking({ id, title, rows }: { id: string; title: string; rows: Row[] }) {
  return (
    <ChartFigure
      id={id}
      title={title}
      labels={rows.map((r) => pick(r.name))}
      series={rowSeries(rows)}
      horizontal
      height={Math.max(320, rows.length * 34)}
    />
  );
}

function Kpi({ id, label, value, note }: { id: string; label: string; value: string; note?: string }) {
  return (
    <li class="kpi card" id={id}>
      <span class="kpi-label">{label}</span>
      <span class="kpi-value">{value}</span>
      {note && <span class="kpi-note">{note}</span>}
    </li>
  );
}

function monthName(month: string): string {
  const [year, index] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { month: "short", year: "numeric", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, index - 1, 1)),
  );
}

function rates(
  resolution: (number | null)[],
  onTime: (number | null)[],
  satisfaction: (number | null)[],
): Series[] {
  return [
    { label: t("stats.resolutionRate"), values: resolution, kind: "line", axis: "rate", format: asPercent },
    { label: t("stats.onTimeRate"), values: onTime, kind: "line", axis: "rate", format: asPercent },
    { label: t("stats.satisfactionRate"), values: satisfaction, kind: "line", axis: "rate", format: asPercent },
  ];
}

function rowSeries(rows: Row[]): Series[] {
  return [
    { label: t("stats.reports"), values: rows.map((r) => r.figures.total), format: asNumber },
    ...rates(
      rows.map((r) => r.figures.resolution_rate),
      rows.map((r) => r.figures.on_time_rate),
      rows.map((r) => r.figures.satisfaction_rate),
    ),
  ];
}

function monthSeries(months: Month[]): Series[] {
  return [
    { label: t("stats.submitted"), values: months.map((m) => m.submitted), format: asNumber },
    { label: t("stats.resolvedInMonth"), values: months.map((m) => m.resolved), format: asNumber },
    // Resolved ÷ submitted within one month is no rate (older reports close too): bars only.
    { label: t("stats.onTimeRate"), values: months.map((m) => m.on_time_rate), kind: "line", axis: "rate", format: asPercent },
    {
      label: t("stats.satisfactionRate"),
      values: months.map((m) => m.satisfaction_rate),
      kind: "line",
      axis: "rate",
      format: asPercent,
    },
  ];
}
