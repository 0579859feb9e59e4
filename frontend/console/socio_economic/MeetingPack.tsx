// The meeting pack: a period and a cut-off date, one request, a background job watched every
// two seconds, then the XLSX and the PDF to download and the content hash that freezes them.
import { download } from "@shared/api";
import { dateTime } from "@shared/format";
import { useBusy } from "@shared/forms";
import { t, useLang } from "@shared/i18n";
import { Alert, DataTable, errorText, Failed, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { type Pack, pack, packs, requestPack, XLSX_TYPE } from "./api";
import { lastMonth, periodLabel } from "./parts";

const POLL_MS = 2000;
const PDF_TYPE = "application/pdf";

/** The last day of the period's month: the usual cut-off ("YYYY-MM" → "YYYY-MM-DD"). */
function monthEnd(period: string): string {
  const [year, month] = period.split("-").map(Number);
  if (!year || !month) return "";
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, "0")}`;
}

export function MeetingPack() {
  const lang = useLang();
  const [period, setPeriod] = useState(lastMonth());
  const [cutoff, setCutoff] = useState(monthEnd(lastMonth()));
  const [watched, setWatched] = useState<Pack | null>(null);
  const [pollError, setPollError] = useState<unknown>(null);
  const form = useBusy();
  const history = useAsync(packs, [lang, watched?.status]);
  const working = !!watched && (watched.status === "queued" || watched.status === "building");
  useEffect(() => {
    if (!watched || !working) return;
    const timer = setTimeout(() => {
      pack(watched.pack_id).then(
        (next) => {
          setPollError(null);
          setWatched(next);
        },
        (error) => {
          setPollError(error);
          setWatched({ ...watched }); // try again at the next tick
        },
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [watched, working]);
  const submit = () =>
    form.run(async () => {
      setWatched(await requestPack(period, cutoff));
    });
  return (
    <>
      <h1>{t("se.pack.title")}</h1>
      <p class="muted">{t("se.pack.explain")}</p>
      <form
        class="card se-pack-form"
        aria-labelledby="se-pack-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id="se-pack-form-title">{t("se.pack.request")}</h2>
        <div class="se-form-row">
          <div class="field">
            <label for="se-pack-period">{t("se.pack.period")}</label>
            <input
              id="se-pack-period"
              type="month"
              value={period}
              required
              onInput={(e) => {
                setPeriod(e.currentTarget.value);
                setCutoff(monthEnd(e.currentTarget.value));
              }}
            />
          </div>
          <div class="field">
            <label for="se-pack-cutoff">{t("se.pack.cutoff")}</label>
            <input
              id="se-pack-cutoff"
              type="date"
              value={cutoff}
              required
              aria-describedby="se-pack-cutoff-hint"
              onInput={(e) => setCutoff(e.currentTarget.value)}
            />
            <p class="hint" id="se-pack-cutoff-hint">
              {t("se.pack.cutoffHint")}
            </p>
          </div>
        </div>
        {form.error && <Alert>{form.error}</Alert>}
        <button type="submit" disabled={form.busy || working}>
          {t("se.pack.make")}
        </button>
      </form>
      {watched && <PackStatus pack={watched} pollError={pollError} />}
      <section aria-labelledby="se-packs-title">
        <h2 id="se-packs-title">{t("se.pack.history")}</h2>
        {history.error ? <Failed error={history.error} retry={history.reload} /> : null}
        {history.data && !history.data.length && <p class="muted">{t("se.pack.none")}</p>}
        {history.data && history.data.length > 0 && (
          <DataTable caption={t("se.pack.historyCaption")} columns={["period", "status", "files", "hash"].map((c) => t(`se.pack.col.${c}`))}>
            {history.data.map((item) => (
              <tr key={item.pack_id}>
                <th scope="row">
                  {periodLabel(item.period)}
                  {item.requested_at && <span class="se-sub">{dateTime(item.requested_at)}</span>}
                </th>
                <td>{t(`se.pack.status.${item.status}`)}</td>
                <td>
                  <PackFiles pack={item} />
                </td>
                <td>
                  <code class="se-hash">{item.sha256 ?? "—"}</code>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}

function PackStatus({ pack: shown, pollError }: { pack: Pack; pollError: unknown }) {
  return (
    <section class="card se-pack-status" aria-labelledby="se-pack-status-title">
      <h2 id="se-pack-status-title">{t("se.pack.job", { period: periodLabel(shown.period) })}</h2>
      <p role="status" class={`se-job se-job-${shown.status}`}>
        {t(`se.pack.status.${shown.status}`)}
      </p>
      {pollError ? <Alert>{errorText(pollError)}</Alert> : null}
      {shown.status === "ready" && (
        <>
          <PackFiles pack={shown} />
          <p>
            {t("se.pack.hash")} <code class="se-hash">{shown.sha256}</code>
          </p>
        </>
      )}
      {shown.status === "failed" && <Alert>{t("se.pack.failed")}</Alert>}
    </section>
  );
}

/** A link the browser follows (a presigned address), or the API's own path fetched with the token. */
function FileLink({ url, label, type, name }: { url: string; label: string; type: string; name: string }) {
  const [failed, setFailed] = useState<unknown>(null);
  if (!url.startsWith("/api/"))
    return (
      <a class="button secondary" href={url} download={name}>
        {label}
      </a>
    );
  return (
    <>
      <button type="button" class="secondary" onClick={() => download(url, {}, type, name).catch(setFailed)}>
        {label}
      </button>
      {failed ? <Alert>{errorText(failed)}</Alert> : null}
    </>
  );
}

function PackFiles({ pack: shown }: { pack: Pack }) {
  if (shown.status !== "ready" || !(shown.files.xlsx || shown.files.pdf)) return <span class="muted">—</span>;
  const base = `hop-${shown.period}`;
  return (
    <span class="se-files">
      {shown.files.xlsx && (
        <FileLink url={shown.files.xlsx} label={t("se.pack.xlsx", { period: shown.period })} type={XLSX_TYPE} name={`${base}.xlsx`} />
      )}{" "}
      {shown.files.pdf && <FileLink url={shown.files.pdf} label={t("se.pack.pdf", { period: shown.period })} type={PDF_TYPE} name={`${base}.pdf`} />}
    </span>
  );
}
