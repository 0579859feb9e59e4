// The indicator dashboard: a period, how many indicators are on track, at risk or off track,
// and a row per indicator by group (value, status, % of plan, year on year, target, forecast).
import { pick, t, useLang } from "@shared/i18n";
import { currentQuery, Link, setQuery } from "@shared/router";
import { Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { type DashboardRow, dashboard, type Traffic } from "./api";
import { amount, pct, TrafficBadge, ValueBadge } from "./parts";

const COUNTED: Traffic[] = ["on_track", "at_risk", "off_track", "no_target"];

export function Dashboard() {
  const lang = useLang();
  // The choice is the page's state, kept in the address too (a link or a reload keeps it).
  const [period, setPeriod] = useState(() => currentQuery().get("period") ?? "");
  const [group, setGroup] = useState(() => currentQuery().get("group") ?? "");
  const loaded = useAsync(() => dashboard(period || undefined), [period, lang]);
  const change = (key: "period" | "group", value: string) => {
    (key === "period" ? setPeriod : setGroup)(value);
    const next = currentQuery();
    if (value) next.set(key, value);
    else next.delete(key);
    setQuery(next);
  };
  const data = loaded.data;
  const groups = data ? data.groups.filter((g) => !group || g.code === group) : [];
  return (
    <>
      <div class="page-head">
        <h1>{t("se.dash.title")}</h1>
        {data && <p class="muted">{t("se.dash.period", { label: pick(data.label) })}</p>}
      </div>
      <form class="filters card" aria-label={t("se.dash.filters")} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="se-period">{t("se.dash.periodPick")}</label>
          <input
            id="se-period"
            type="month"
            value={period || data?.period || ""}
            onChange={(e) => change("period", e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="se-group">{t("se.dash.group")}</label>
          <select id="se-group" value={group} onChange={(e) => change("group", e.currentTarget.value)}>
            <option value="">{t("se.dash.allGroups")}</option>
            {data?.groups.map((g) => (
              <option key={g.code} value={g.code}>
                {pick(g.name)}
              </option>
            ))}
          </select>
        </div>
      </form>
      {loaded.loading && !data && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {data && (
        <>
          <ul class="kpis se-counts" aria-label={t("se.dash.counts")}>
            {COUNTED.map((traffic) => (
              <li key={traffic} class={`kpi card se-count se-${traffic}`} id={`se-count-${traffic}`}>
                <span class="kpi-label">
                  <TrafficBadge traffic={traffic} />
                </span>
                <span class="kpi-value">{data.counts[traffic] ?? 0}</span>
              </li>
            ))}
          </ul>
          {groups.map((g) => (
            <section key={g.code} aria-labelledby={`se-group-${g.code}`}>
              <h2 id={`se-group-${g.code}`}>{pick(g.name)}</h2>
              <GroupTable caption={pick(g.name)} rows={g.rows} period={data.period} />
            </section>
          ))}
        </>
      )}
    </>
  );
}

const COLUMNS = ["name", "value", "status", "plan", "yoy", "traffic", "target", "forecast"] as const;

function GroupTable({ caption, rows, period }: { caption: string; rows: DashboardRow[]; period: string }) {
  const heads = COLUMNS.map((c) => t(`se.col.${c}`));
  return (
    <div class="table-wrap card flush">
      <table class="se-dash se-stack">
        <caption class="visually-hidden">{t("se.dash.caption", { group: caption })}</caption>
        <thead>
          <tr>
            {heads.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.code} class={`se-row se-${row.traffic}`}>
              <th scope="row" data-label={heads[0]}>
                <Link to={`indicators/${encodeURIComponent(row.code)}`}>{pick(row.name)}</Link>
              </th>
              <td data-label={heads[1]}>
                {row.state === "empty" ? (
                  "—"
                ) : (
                  <>
                    <strong>{amount(row.value, row.decimals)}</strong> {pick(row.unit)}
                    {row.period !== period && <span class="se-sub">{pick(row.period_label)}</span>}
                  </>
                )}
              </td>
              <td data-label={heads[2]}>
                <ValueBadge status={row.status} state={row.state} />
              </td>
              <td data-label={heads[3]}>{pct(row.pct_of_plan)}</td>
              <td data-label={heads[4]}>{pct(row.yoy_pct, true)}</td>
              <td data-label={heads[5]}>
                <TrafficBadge traffic={row.traffic} />
              </td>
              <td data-label={heads[6]}>{row.target?.text ?? "—"}</td>
              <td data-label={heads[7]}>
                {row.forecast ? (
                  <>
                    {amount(row.forecast.value, row.decimals)}
                    <span class="se-sub">
                      {t("se.band", { low: amount(row.forecast.low, row.decimals), high: amount(row.forecast.high, row.decimals) })}
                    </span>
                  </>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
