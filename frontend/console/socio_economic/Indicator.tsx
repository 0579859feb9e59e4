// One indicator's page: what it is and who owns it, its year on a chart, the forecast and what
// each remaining month must bring, its target, its values with revisions, its wards and sectors.
import { useCan } from "../shell/auth";
import { pick, t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Alert, DataTable, Failed, Loading, useAsync } from "@shared/ui";
import { useBusy } from "@shared/forms";
import { useState } from "preact/hooks";
import {
  APPROVE,
  catalogue,
  type IndicatorForecast,
  type IndicatorPage,
  indicatorPage,
  type Pending,
  SET_TARGETS,
  setTarget,
} from "./api";
import { ApprovalCard } from "./Approvals";
import { History } from "./History";
import { amount, nameOf, periodLabel, TrafficBadge } from "./parts";
import { Breakdown, Values } from "./Values";

export function IndicatorView({ code }: { code: string }) {
  const lang = useLang();
  const [breakdown, setBreakdown] = useState("city");
  // The wards and sectors to choose from are the city page's: a ward's own page has none.
  const [places, setPlaces] = useState<IndicatorPage["breakdown"]>([]);
  const loaded = useAsync(async () => {
    const both = await Promise.all([indicatorPage(code, breakdown), catalogue()]);
    if (breakdown === "city") setPlaces(both[0].breakdown);
    return both;
  }, [code, breakdown, lang]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error || !loaded.data) return <Failed error={loaded.error} retry={loaded.reload} />;
  const [page, cat] = loaded.data;
  const { indicator } = page;
  const group = cat.groups.find((g) => g.code === indicator.group);
  const owner = cat.units.find((u) => u.code === indicator.owner_unit);
  return (
    <article class="se-indicator">
      <p class="se-back">
        <Link to="indicators">{t("se.ind.back")}</Link>
      </p>
      <div class="page-head">
        <h1>{pick(indicator.name)}</h1>
        <p class="muted">{group ? pick(group.name) : indicator.group}</p>
      </div>
      <dl class="facts card">
        <dt>{t("se.ind.unit")}</dt>
        <dd>{pick(indicator.unit)}</dd>
        <dt>{t("se.ind.frequency")}</dt>
        <dd>{t(`se.freq.${indicator.frequency}`)}</dd>
        <dt>{t("se.ind.owner")}</dt>
        <dd>{indicator.owner ? pick(indicator.owner) : owner ? nameOf(owner.name) : indicator.owner_unit}</dd>
        <dt>{t("se.ind.good")}</dt>
        <dd>{t(`se.good.${indicator.good}`)}</dd>
        {indicator.formula && (
          <>
            <dt>{t("se.ind.formula")}</dt>
            <dd>
              <code>{indicator.formula}</code>
            </dd>
          </>
        )}
        {indicator.fed_by && (
          <>
            <dt>{t("se.ind.fedBy")}</dt>
            <dd>{indicator.fed_by}</dd>
          </>
        )}
      </dl>
      {places.length > 0 ? (
        <div class="field se-scope">
          <label for="se-scope">{t("se.ind.scope")}</label>
          <select id="se-scope" value={breakdown} onChange={(e) => setBreakdown(e.currentTarget.value)}>
            <option value="city">{t("se.ind.city")}</option>
            {places.map((b) => (
              <option key={b.breakdown} value={b.breakdown}>
                {nameOf(b.name)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <History page={page} />
      <Forecast forecast={page.forecast} decimals={indicator.decimals} unit={pick(indicator.unit)} />
      <Targets page={page} reload={loaded.reload} />
      <Waiting page={page} place={breakdown === "city" ? t("se.ind.city") : nameOf(places.find((b) => b.breakdown === breakdown)?.name)} reload={loaded.reload} />
      <Values page={page} />
      {breakdown === "city" && <Breakdown page={page} />}
    </article>
  );
}

function Forecast({ forecast, decimals, unit }: { forecast: IndicatorForecast | null; decimals: number; unit: string }) {
  if (!forecast)
    return (
      <section aria-labelledby="se-forecast-title">
        <h2 id="se-forecast-title">{t("se.fc.title")}</h2>
        <p class="muted">{t("se.fc.none")}</p>
      </section>
    );
  const a = (value: number | null) => amount(value, decimals);
  const heads = ["month", "needed", "ever", "best"].map((c) => t(`se.fc.col.${c}`));
  return (
    <section aria-labelledby="se-forecast-title" class="se-forecast">
      <h2 id="se-forecast-title">{t("se.fc.titleYear", { y: forecast.year })}</h2>
      <div class="card">
        <p class="se-forecast-value">
          <strong>
            {a(forecast.value)} {unit}
          </strong>{" "}
          <TrafficBadge traffic={forecast.status} />
        </p>
        <p>
          {t("se.fc.band", { low: a(forecast.low), high: a(forecast.high) })}{" "}
          {t("se.fc.through", { period: periodLabel(forecast.through) })}
        </p>
        {forecast.holt_winters !== null && <p class="muted">{t("se.fc.holtWinters", { value: a(forecast.holt_winters) })}</p>}
      </div>
      {forecast.needed.length > 0 && (
        <>
          <h3>{t("se.fc.needed")}</h3>
          <DataTable caption={t("se.fc.neededCaption")} columns={heads} class="se-stack">
            {forecast.needed.map((month) => (
              <tr key={month.month} class={month.ever_achieved ? "" : "se-never"}>
                <th scope="row">{periodLabel(month.month)}</th>
                <td data-label={heads[1]}>{a(month.needed)}</td>
                <td data-label={heads[2]}>{t(month.ever_achieved ? "se.fc.ever.yes" : "se.fc.ever.no")}</td>
                <td data-label={heads[3]}>{a(month.best_before)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </section>
  );
}

function Targets({ page, reload }: { page: IndicatorPage; reload: () => void }) {
  const canSet = useCan(SET_TARGETS);
  const year = page.forecast?.year ?? new Date().getFullYear();
  const [period, setPeriod] = useState(String(year));
  const [text, setText] = useState("");
  const [resolution, setResolution] = useState("");
  const [saved, setSaved] = useState(false);
  const form = useBusy();
  const submit = () =>
    form.run(async () => {
      setSaved(false);
      await setTarget(page.indicator.code, period.trim(), text.trim(), resolution.trim() || null);
      setSaved(true);
      setText("");
      reload();
    });
  return (
    <section aria-labelledby="se-targets-title">
      <h2 id="se-targets-title">{t("se.tg.title")}</h2>
      {page.targets.length ? (
        <ul class="se-targets">
          {page.targets.map((target) => (
            <li key={target.period ?? target.text}>
              <strong>{target.period ? periodLabel(target.period) : ""}</strong> {target.text}
              {target.resolution && <span class="se-sub">{t("se.tg.resolution", { text: target.resolution })}</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t("se.tg.none")}</p>
      )}
      {canSet && (
        <form
          class="card se-target-form"
          aria-labelledby="se-target-form-title"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <h3 id="se-target-form-title">{t("se.tg.set")}</h3>
          <div class="se-form-row">
            <div class="field">
              <label for="se-tg-period">{t("se.tg.period")}</label>
              <input id="se-tg-period" value={period} required aria-describedby="se-tg-period-hint" onInput={(e) => setPeriod(e.currentTarget.value)} />
              <p class="hint" id="se-tg-period-hint">
                {t("se.tg.periodHint")}
              </p>
            </div>
            <div class="field">
              <label for="se-tg-text">{t("se.tg.text")}</label>
              <input id="se-tg-text" value={text} required aria-describedby="se-tg-text-hint" onInput={(e) => setText(e.currentTarget.value)} />
              <p class="hint" id="se-tg-text-hint">
                {t("se.tg.textHint")}
              </p>
            </div>
            <div class="field">
              <label for="se-tg-res">{t("se.tg.resolutionLabel")}</label>
              <input id="se-tg-res" value={resolution} onInput={(e) => setResolution(e.currentTarget.value)} />
            </div>
          </div>
          {form.error && <Alert>{form.error}</Alert>}
          {saved && <Alert kind="success">{t("se.tg.saved")}</Alert>}
          <button type="submit" disabled={form.busy}>
            {t("se.tg.save")}
          </button>
        </form>
      )}
    </section>
  );
}

/** The figures of this indicator waiting for a second person, for those who approve. */
function Waiting({ page, place, reload }: { page: IndicatorPage; place: string; reload: () => void }) {
  const canApprove = useCan(APPROVE);
  const [done, setDone] = useState("");
  const waiting = page.series.filter((p): p is typeof p & { pending: Pending } => p.pending !== null);
  if (!canApprove || (!waiting.length && !done)) return null;
  const { indicator } = page;
  return (
    <section aria-labelledby="se-waiting-title">
      <h2 id="se-waiting-title">{t("se.ind.waiting")}</h2>
      {done && <Alert kind="success">{t(done, { name: pick(indicator.name) })}</Alert>}
      <div class="se-cards">
        {waiting.map((point) => (
          <ApprovalCard
            key={`${point.period}|${point.version}`}
            item={{ ...point, name: indicator.name, unit: indicator.unit, approved_value: point.value }}
            place={place}
            decimals={indicator.decimals}
            level={3}
            onDone={(key) => {
              setDone(key);
              reload();
            }}
          />
        ))}
      </div>
    </section>
  );
}
