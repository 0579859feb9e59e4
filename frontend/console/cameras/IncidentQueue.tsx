// The camera incident queue: one card per incident (the alerts of one camera, zone and kind),
// most severe first, with its latest evidence, a timeline that expands, and the operator's
// verify / dispatch (once) / close.
import { dateTime, number } from "@shared/format";
import { type Lang, t, useLang } from "@shared/i18n";
import { Alert, errorText, Failed, Loading, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { useCan } from "../shell/auth";
import {
  closeIncident,
  dispatchIncident,
  fileReport,
  type IncidentView,
  incidents,
  REPORTABLE,
  verifyIncident,
} from "./api";

const FILTERS = [
  ["open", "cam.inc.open"],
  ["closed", "cam.inc.closed"],
  ["false_alarm", "cam.inc.false"],
] as const;

export function IncidentQueue() {
  const lang = useLang();
  const [status, setStatus] = useState<string>("open");
  const queue = useAsync(() => incidents(status), [status, lang]);

  useEffect(() => {
    const timer = window.setInterval(queue.reload, 10000); // evidence arrives while the page is open
    return () => window.clearInterval(timer);
  }, [status]);

  const items = queue.data?.incidents ?? [];
  return (
    <>
      <h1>{t("cam.inc.title")}</h1>
      <div class="cam-filter" role="group" aria-label={t("cam.inc.title")}>
        {FILTERS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            class={value === status ? "" : "secondary"}
            aria-pressed={value === status}
            onClick={() => setStatus(value)}
          >
            {t(label)}
          </button>
        ))}
      </div>
      {queue.loading && !queue.data && <Loading />}
      {queue.error ? <Failed error={queue.error} retry={queue.reload} /> : null}
      {queue.data && (
        <p class="muted" role="status">
          {items.length ? t("cam.inc.count", { n: number(items.length) }) : t("cam.inc.empty")}
        </p>
      )}
      <ul class="cam-alerts">
        {items.map((i) => (
          <li key={`${i.incident_id}-${i.status}`}>
            <IncidentCard incident={i} lang={lang} changed={queue.reload} />
          </li>
        ))}
      </ul>
    </>
  );
}

function IncidentCard({ incident, lang, changed }: { incident: IncidentView; lang: Lang; changed: () => void }) {
  const [unit, setUnit] = useState(incident.unit ?? "");
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Only operators verify, dispatch and close (the API's OPERATE); leaders and admins read.
  const operator = useCan("cameras.alerts.handle");
  const id = incident.incident_id;
  const latest = incident.timeline[incident.timeline.length - 1];
  const heading = t("cam.alert.heading", { kind: t(`cam.kind.${incident.kind}`), camera: incident.camera_id });
  const dispatchable = incident.status === "verified" || (incident.kind === "camera_silent" && incident.status === "open");

  async function run(action: () => Promise<IncidentView>) {
    setBusy(true);
    try {
      const moved = await action();
      setMessage({ kind: "success", text: t("cam.action.done", { status: t(`cam.inc.status.${moved.status}`) }) });
      changed();
    } catch (failure) {
      setMessage({ kind: "error", text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class={`card cam-alert severity-${incident.severity}`} aria-labelledby={`h-${id}`}>
      <header class="cam-alert-head">
        <h2 id={`h-${id}`}>{heading}</h2>
        <span class={`badge severity-badge-${incident.severity}`}>{t(`cam.severity.${incident.severity}`)}</span>{" "}
        <span class="badge">{t(`cam.inc.status.${incident.status}`)}</span>
      </header>
      <p class="muted">
        {incident.camera_name} · {incident.ward.name[lang]} ·{" "}
        {t("cam.alert.zone", { zone: incident.zone.name[lang] })}
      </p>
      <p class="muted">
        {t("cam.inc.span", { from: dateTime(incident.opened_at), to: dateTime(incident.updated_at) })} ·{" "}
        {t("cam.inc.alerts", { n: number(incident.alerts) })} ·{" "}
        {t("cam.alert.confidence", { p: `${Math.round(incident.peak_confidence * 100)} %` })}
        {incident.paged.length > 0 && <> · {t("cam.alert.paged", { who: incident.paged.join(", ") })}</>}
        {incident.unit && <> · {t("cam.alert.unit", { unit: incident.unit })}</>}
        {incident.report_id && <> · {t("cam.inc.report", { id: incident.report_id })}</>}
      </p>
      {latest?.evidence && (
        <div class="cam-evidence">
          <figure>
            <img src={latest.evidence.annotated_url} alt={t("cam.alert.annotated")} loading="lazy" />
            <figcaption>{t("cam.inc.latest", { at: dateTime(latest.at) })}</figcaption>
          </figure>
          <figure>
            <img src={latest.evidence.crop_url} alt={t("cam.alert.crop")} loading="lazy" />
            <figcaption>{t("cam.alert.crop")}</figcaption>
          </figure>
        </div>
      )}
      <details class="cam-timeline">
        <summary>{t("cam.inc.timeline", { n: number(incident.timeline.length) })}</summary>
        <ol>
          {[...incident.timeline].reverse().map((entry) => (
            <li key={entry.alert_id}>
              <time dateTime={entry.at}>{dateTime(entry.at)}</time> · {t(`cam.severity.${entry.severity}`)} ·{" "}
              {t("cam.alert.confidence", { p: `${Math.round(entry.confidence * 100)} %` })}
              {entry.evidence && (
                <>
                  {" · "}
                  <a href={entry.evidence.annotated_url} target="_blank" rel="noopener noreferrer">
                    {t("cam.inc.image")}
                  </a>
                </>
              )}
            </li>
          ))}
        </ol>
      </details>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {operator && (incident.status === "open" || incident.status === "verified" || incident.status === "dispatched") && (
        <div class="cam-actions">
          <div class="field">
            <label for={`note-${id}`}>{t("cam.action.note")}</label>
            <input id={`note-${id}`} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          {incident.status === "open" && incident.kind !== "camera_silent" && (
            <p>
              <button type="button" disabled={busy} onClick={() => run(() => verifyIncident(id, true, note || undefined))}>
                {t("cam.action.real")}
              </button>{" "}
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => run(() => verifyIncident(id, false, note || undefined))}
              >
                {t("cam.action.false")}
              </button>
            </p>
          )}
          {dispatchable && (
            <>
              <div class="field">
                <label for={`unit-${id}`}>{t("cam.action.unit")}</label>
                <input id={`unit-${id}`} value={unit} onInput={(e) => setUnit(e.currentTarget.value)} />
              </div>
              <p>
                <button
                  type="button"
                  disabled={busy || !unit.trim()}
                  onClick={() => run(() => dispatchIncident(id, unit.trim(), note || undefined))}
                >
                  {t("cam.action.dispatch")}
                </button>{" "}
                {REPORTABLE.includes(incident.kind) && (
                  <button
                    type="button"
                    class="secondary"
                    disabled={busy}
                    onClick={() => run(() => fileReport(id, note || undefined))}
                  >
                    {t("cam.inc.fileReport")}
                  </button>
                )}
              </p>
            </>
          )}
          {(incident.status === "verified" || incident.status === "dispatched") && (
            <p>
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => run(() => closeIncident(id, note || undefined))}
              >
                {t("cam.inc.close")}
              </button>
            </p>
          )}
        </div>
      )}
    </article>
  );
}
