// Published figures: the city, each ward, unit and category, and their course month by month.
import { get } from "@shared/api";
import { ChartFigure, type Series } from "@shared/Chart";
import type { Names } from "@shared/field_reporting";
import { number, percent } from "@shared/format";
import { locale, pick, t, useLang } from "@shared/i18n";
import { Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";

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

type ScopeKind = "city" | "ward" | "unit" | "category";
const PERIODS = [12, 24, 36] as const;

const breakdown = (by: ScopeKind) =>
  get<{ by: string; rows: Row[] }>(`${STATS}/breakdown`, { by }).then((reply) => reply.rows);

async function loadRows() {
  const [city, byWard, byCategory, byUnit] = await Promise.all([
    breakdown("city"),
    breakdown("ward"),
    breakdown("category"),
    breakdown("unit"),
  ]);
  return { city: city[0]?.figures, byWard, byCategory, byUnit };
}

const monthly = (months: number, kind: ScopeKind, code: string) =>
  get<{ months: Month[] }>(`${STATS}/monthly`, { months, ...(kind !== "city" && code ? { [kind]: code } : {}) }).then(
    (reply) => reply.months,
  );

const asPercent = (value: number | null) => percent(value);
const asNumber = (value: number | null) => number(value);
const sum = (months: Month[], pick: (m: Month) => number) => months.reduce((total, m) => total + pick(m), 0);

export function Stats() {
  const lang = useLang();
  const loaded = useAsync(loadRows, [lang]);
  const [period, setPeriod] = useState<number>(24);
  const [kind, setKind] = useState<ScopeKind>("city");
  const [code, setCode] = useState("");
  const course = useAsync(() => monthly(period, kind, code), [period, kind, code, lang]);
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
  const { byWard, byCategory, byUnit } = loaded.data;
  const choices: Record<Exclude<ScopeKind, "city">, Row[]> = { ward: byWard, unit: byUnit, category: byCategory };
  const scoped = kind === "city" ? null : choices[kind].find((r) => r.code === code);
  const shown = scoped?.figures ?? loaded.data.city;
  const scopeName = scoped ? pick(scoped.name) : t("stats.scope.city");
  const busiest = (rows: Row[]) => [...rows].filter((r) => r.figures.total > 0).sort((a, b) => b.figures.total - a.figures.total);
  const categories = busiest(byCategory);
  const unitRows = busiest(byUnit);
  const months = course.data ?? [];
  return (
    <>
      <div class="page-head">
        <h1>{t("stats.title")}</h1>
        <p class="muted">{t("stats.updated")}</p>
      </div>
      <form class="filters card stats-filters" aria-label={t("stats.filters")} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="s-period">{t("stats.period")}</label>
          <select id="s-period" value={String(period)} onChange={(e) => setPeriod(Number(e.currentTarget.value))}>
            {PERIODS.map((n) => (
              <option key={n} value={n}>
                {t("stats.months", { n })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="s-kind">{t("stats.scope")}</label>
          <select
            id="s-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value as ScopeKind);
              setCode("");
            }}
          >
            {(["city", "ward", "unit", "category"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`stats.scope.${k}`)}
              </option>
            ))}
          </select>
        </div>
        {kind !== "city" && (
          <div class="field">
            <label for="s-code">{t(`stats.scope.${kind}`)}</label>
            <select id="s-code" value={code} onChange={(e) => setCode(e.currentTarget.value)}>
              <option value="">{t("stats.choose")}</option>
              {choices[kind].map((r) => (
                <option key={r.code} value={r.code}>
                  {pick(r.name)}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>
      <h2 class="kpi-scope">{t("stats.allTime", { scope: scopeName })}</h2>
      <ul class="kpis" aria-label={t("stats.allTime", { scope: scopeName })}>
        <Kpi
          id="kpi-total"
          label={t("stats.total")}
          value={number(shown.total)}
          note={t("stats.open", { n: number(shown.open) })}
        />
        <Kpi
          id="kpi-resolved"
          label={t("stats.resolved")}
          value={number(shown.resolved)}
          note={t("stats.ofTotal", { p: percent(shown.resolution_rate) })}
        />
        <Kpi
          id="kpi-on-time"
          label={t("stats.onTime")}
          value={percent(shown.on_time_rate)}
          note={t("stats.onTimeCount", { n: number(shown.resolved_on_time) })}
        />
        <Kpi
          id="kpi-satisfaction"
          label={t("stats.satisfaction")}
          value={percent(shown.satisfaction_rate)}
          note={t("stats.ratings", { n: number(shown.ratings) })}
        />
        <Kpi id="kpi-reopened" label={t("stats.reopened")} value={number(shown.reopened)} note={t("stats.reopenedNote")} />
        <Kpi id="kpi-transfers" label={t("stats.transfersTitle")} value={number(shown.transfers)} note={t("stats.transfersNote")} />
      </ul>
      {course.data && (
        <>
          <h2 class="kpi-scope">{t("stats.inPeriod", { n: period, scope: scopeName })}</h2>
          <ul class="kpis" aria-label={t("stats.inPeriod", { n: period, scope: scopeName })}>
            <Kpi id="kpi-period-submitted" label={t("stats.periodSubmitted")} value={number(sum(months, (m) => m.submitted))} />
            <Kpi id="kpi-period-resolved" label={t("stats.periodResolved")} value={number(sum(months, (m) => m.resolved))} />
            <Kpi
              id="kpi-period-on-time"
              label={t("stats.periodOnTime")}
              value={number(sum(months, (m) => m.resolved_on_time))}
            />
            <Kpi id="kpi-period-ratings" label={t("stats.periodRatings")} value={number(sum(months, (m) => m.ratings))} />
          </ul>
        </>
      )}
      {course.error ? <Failed error={course.error} retry={course.reload} /> : null}
      <div class="charts">
        <ChartFigure
          id="over-time"
          title={t("stats.overTime", { scope: scopeName, n: period })}
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
