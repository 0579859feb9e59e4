// Entering figures: one value in a form (a revision of an approved one needs its reason), or
// a CSV/XLSX file all at once: all of it or nothing, with the rows at fault named. The entry
// template is that file for a month, the unit's indicators listed and their values blank.
import { ApiError, type TableFormat } from "@shared/api";
import { useBusy } from "@shared/forms";
import { getLang, pick, t, useLang } from "@shared/i18n";
import { Alert, DataTable, Failed, Loading, TableDownloads, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import {
  type Catalogue,
  catalogue,
  entryTemplate,
  enterValue,
  type ImportError,
  type ImportResult,
  importValues,
  type Indicator,
  indicatorPage,
  type SeriesPoint,
  type ValueStatus,
  XLSX_TYPE,
} from "./api";
import { Findings } from "./Findings";
import { amount, lastMonth, nameOf, parseNumber, periodLabel } from "./parts";

const STATUSES: ValueStatus[] = ["estimate", "preliminary", "official"];
const PERIOD_HINT: Record<Indicator["frequency"], string> = {
  monthly: "YYYY-MM",
  quarterly: "YYYY-Qn",
  six_monthly: "YYYY-Hn",
  yearly: "YYYY",
};

export function Entry() {
  const lang = useLang();
  const loaded = useAsync(catalogue, [lang]);
  return (
    <>
      <h1>{t("se.entry.title")}</h1>
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {loaded.data && (
        <div class="se-entry-grid">
          <EntryForm cat={loaded.data} />
          <ImportForm />
        </div>
      )}
    </>
  );
}

/** Figures a person enters: not the derived ones, nor those another room feeds. */
function enterable(cat: Catalogue) {
  return cat.groups
    .map((g) => ({ group: g, indicators: cat.indicators.filter((i) => i.group === g.code && !i.derived && !i.fed_by) }))
    .filter((g) => g.indicators.length);
}

function breakdownChoices(cat: Catalogue, indicator: Indicator | undefined) {
  const choices = [{ code: "city", name: t("se.ind.city") }];
  if (indicator?.breakdowns.includes("ward")) choices.push(...cat.wards.map((w) => ({ code: `ward:${w.code}`, name: nameOf(w.name) })));
  if (indicator?.breakdowns.includes("sector"))
    choices.push(...cat.sectors.map((s) => ({ code: `sector:${s.code}`, name: nameOf(s.name) })));
  return choices;
}

function EntryForm({ cat }: { cat: Catalogue }) {
  const groups = enterable(cat);
  const [code, setCode] = useState(groups[0]?.indicators[0]?.code ?? "");
  const indicator = cat.indicators.find((i) => i.code === code);
  const [period, setPeriod] = useState(lastMonth());
  const [breakdown, setBreakdown] = useState("city");
  const [value, setValue] = useState("");
  const [status, setStatus] = useState<ValueStatus>("estimate");
  const [comment, setComment] = useState("");
  const [reason, setReason] = useState("");
  const [done, setDone] = useState<{ changed: boolean; point: SeriesPoint } | null>(null);
  const form = useBusy();
  // What is held for the period already: an approved value is revised, with a reason.
  const held = useAsync(() => (code ? indicatorPage(code, breakdown) : Promise.resolve(null)), [code, breakdown, done]);
  const current = held.data?.series.find((p) => p.period === period.trim());
  const revising = current?.state === "approved" && current.value !== null;
  const monthly = indicator?.frequency === "monthly";
  const submit = () =>
    form.run(async () => {
      setDone(null);
      const number = parseNumber(value);
      if (number === null) return form.setError(() => t("se.entry.notNumber"));
      if (revising && !reason.trim()) return form.setError(() => t("se.entry.reasonNeeded"));
      const answer = await enterValue({
        indicator: code,
        period: period.trim(),
        breakdown,
        value: number,
        status,
        comment: comment.trim() || null,
        reason: revising ? reason.trim() : null,
      });
      setDone(answer);
      if (answer.changed) {
        setValue("");
        setComment("");
        setReason("");
      }
    });
  return (
    <form
      class="card se-entry"
      aria-labelledby="se-entry-form-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="se-entry-form-title">{t("se.entry.one")}</h2>
      <div class="field">
        <label for="se-e-indicator">{t("se.entry.indicator")}</label>
        <select
          id="se-e-indicator"
          value={code}
          onChange={(e) => {
            setCode(e.currentTarget.value);
            setBreakdown("city");
            setDone(null);
          }}
        >
          {groups.map(({ group, indicators }) => (
            <optgroup key={group.code} label={pick(group.name)}>
              {indicators.map((i) => (
                <option key={i.code} value={i.code}>
                  {pick(i.name)} ({pick(i.unit)})
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div class="se-form-row">
        <div class="field">
          <label for="se-e-period">{t("se.entry.period")}</label>
          {monthly ? (
            <input id="se-e-period" type="month" value={period} required aria-describedby="se-e-period-hint" onInput={(e) => setPeriod(e.currentTarget.value)} />
          ) : (
            <input id="se-e-period" value={period} required aria-describedby="se-e-period-hint" onInput={(e) => setPeriod(e.currentTarget.value)} />
          )}
          <p class="hint" id="se-e-period-hint">
            {t("se.entry.periodHint", { form: indicator ? PERIOD_HINT[indicator.frequency] : "YYYY-MM" })}
          </p>
        </div>
        <div class="field">
          <label for="se-e-breakdown">{t("se.entry.breakdown")}</label>
          <select id="se-e-breakdown" value={breakdown} onChange={(e) => setBreakdown(e.currentTarget.value)}>
            {breakdownChoices(cat, indicator).map((b) => (
              <option key={b.code} value={b.code}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="se-form-row">
        <div class="field">
          <label for="se-e-value">{t("se.entry.value", { unit: indicator ? pick(indicator.unit) : "" })}</label>
          <input id="se-e-value" inputMode="decimal" value={value} required aria-describedby="se-e-value-hint" onInput={(e) => setValue(e.currentTarget.value)} />
          <p class="hint" id="se-e-value-hint">
            {current && current.value !== null
              ? t("se.entry.held", { value: amount(current.value, indicator?.decimals), state: t(`se.state.${current.state}`) })
              : t("se.entry.valueHint")}
          </p>
        </div>
        <div class="field">
          <label for="se-e-status">{t("se.entry.status")}</label>
          <select id="se-e-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as ValueStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`se.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="field">
        <label for="se-e-comment">{t("se.entry.comment")}</label>
        <textarea id="se-e-comment" value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      {revising && (
        <div class="field">
          <label for="se-e-reason">{t("se.entry.reason")}</label>
          <textarea id="se-e-reason" value={reason} required onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
      )}
      {form.error && <Alert>{form.error}</Alert>}
      {done && (
        <Alert kind={done.changed ? "success" : "info"}>
          {t(done.changed ? "se.entry.sent" : "se.entry.unchanged", { period: periodLabel(done.point.period ?? period) })}
        </Alert>
      )}
      {done?.point.pending?.findings.length ? <Findings findings={done.point.pending.findings} /> : null}
      <button type="submit" disabled={form.busy || !code}>
        {t("se.entry.submit")}
      </button>
    </form>
  );
}

function ImportForm() {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [rows, setRows] = useState<ImportError[]>([]);
  const form = useBusy();
  const submit = () =>
    form.run(async () => {
      setResult(null);
      setRows([]);
      if (!file) return form.setError(() => t("se.import.choose"));
      try {
        setResult(await importValues(file));
      } catch (failure) {
        // The rows at fault are the table below; the problem's own text would repeat them.
        const listed = failure instanceof ApiError ? (failure.problem.rows as ImportError[] | undefined) : undefined;
        if (!listed?.length) throw failure;
        setRows(listed);
      }
    });
  return (
    <form
      class="card se-import"
      aria-labelledby="se-import-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="se-import-title">{t("se.import.title")}</h2>
      <p class="muted">{t("se.import.explain")}</p>
      <EntryTemplate />
      <div class="field">
        <label for="se-import-file">{t("se.import.file")}</label>
        <input
          id="se-import-file"
          type="file"
          accept={`.csv,.xlsx,text/csv,${XLSX_TYPE}`}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </div>
      {form.error && <Alert>{form.error}</Alert>}
      {rows.length > 0 && (
        <>
          <Alert>{t("se.import.nothing")}</Alert>
          <DataTable caption={t("se.import.caption")} columns={["row", "column", "message"].map((c) => t(`se.import.${c}`))} class="se-import-errors">
            {rows.map((row, index) => (
              <tr key={index}>
                <th scope="row">{row.row}</th>
                <td>{row.column}</td>
                <td>{getLang() === "vi" ? row.message_vi : row.message_en}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      {result && (
        <Alert kind="success">
          {t("se.import.done", { rows: result.rows, changed: result.changed, unchanged: result.unchanged })}
          {result.skipped > 0 && ` ${t("se.import.skipped", { skipped: result.skipped, list: result.skipped_rows.join(", ") })}`}
        </Alert>
      )}
      <button type="submit" disabled={form.busy}>
        {t("se.import.submit")}
      </button>
    </form>
  );
}

/** The template for a month: the signed-in unit's indicators due then, ready to fill in. */
function EntryTemplate() {
  const [month, setMonth] = useState(lastMonth());
  async function save(format: TableFormat): Promise<string | void> {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month.trim())) return t("se.template.badMonth");
    await entryTemplate(month.trim(), format);
  }
  return (
    <div class="se-template" role="group" aria-labelledby="se-template-title">
      <h3 id="se-template-title">{t("se.template.title")}</h3>
      <p class="muted">{t("se.template.explain")}</p>
      <div class="field">
        <label for="se-template-month">{t("se.template.month")}</label>
        <input
          id="se-template-month"
          value={month}
          inputMode="numeric"
          placeholder="YYYY-MM"
          aria-describedby="se-template-month-hint"
          onInput={(e) => setMonth(e.currentTarget.value)}
        />
        <small id="se-template-month-hint" class="muted">
          {t("se.entry.periodHint", { form: "YYYY-MM" })}
        </small>
      </div>
      <TableDownloads
        save={save}
        labels={{ xlsx: t("se.template.xlsx"), csv: t("se.template.csv") }}
        working={t("se.template.saving")}
        buttonClass="link"
      />
    </div>
  );
}
