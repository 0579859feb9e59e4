// The camera alert queue: most severe first, each with its evidence and the operator's actions.
import { dateTime, number } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { Alert, errorText, Failed, Loading, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { useCan } from "../shell/auth";
import { type AlertView, alerts, close, dispatch, verify } from "./api";

const FILTERS = [
  ["open", "cam.alerts.open"],
  ["closed", "cam.alerts.closed"],
  ["false_alarm", "cam.alerts.false"],
] as const;
const CHANGE_KINDS = ["dumping", "construction", "encroachment"];

export function AlertQueue() {
  const lang = useLang();
  const [status, setStatus] = useState<string>("open");
  const queue = useAsync(() => alerts(status), [status, lang]);

  useEffect(() => {
    const timer = window.setInterval(queue.reload, 10000); // new alerts arrive while the page is open
    return () => window.clearInterval(timer);
  }, [status]);

  const items = queue.data?.alerts ?? [];
  return (
    <>
      <h1>{t("cam.alerts.title")}</h1>
      <div class="cam-filter" role="group" aria-label={t("cam.alerts.title")}>
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
          {items.length ? t("cam.alerts.count", { n: number(items.length) }) : t("cam.alerts.empty")}
        </p>
      )}
      <ul class="cam-alerts">
        {items.map((a) => (
          <li key={`${a.alert_id}-${a.status}`}>
            <AlertCard alert={a} changed={queue.reload} />
          </li>
        ))}
      </ul>
    </>
  );
}

function AlertCard({ alert, changed }: { alert: AlertView; changed: () => void }) {
  const [unit, setUnit] = useState(alert.unit ?? "");
  const [note, setNote] = useState("");
  const [accept, setAccept] = useState(false);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Only operators verify, dispatch and close (the API's OPERATE); leaders and admins read.
  const operator = useCan("cameras.alerts.handle");
  const id = alert.alert_id;
  const heading = t("cam.alert.heading", { kind: t(`cam.kind.${alert.kind}`), camera: alert.camera_id });

  async function run(action: () => Promise<AlertView>) {
    setBusy(true);
    try {
      const moved = await action();
      setMessage({ kind: "success", text: t("cam.action.done", { status: t(`cam.status.${moved.status}`) }) });
      changed();
    } catch (failure) {
      setMessage({ kind: "error", text: errorText(failure) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <article class={`card cam-alert severity-${alert.severity}`} aria-labelledby={`h-${id}`}>
      <header class="cam-alert-head">
        <h2 id={`h-${id}`}>{heading}</h2>
        <span class={`badge severity-badge-${alert.severity}`}>{t(`cam.severity.${alert.severity}`)}</span>{" "}
        <span class="badge">{t(`cam.status.${alert.status}`)}</span>
      </header>
      <p class="muted">
        {t("cam.alert.raised", { at: dateTime(alert.raised_at) })} · {t("cam.alert.zone", { zone: alert.zone_id })} ·{" "}
        {t("cam.alert.confidence", { p: `${Math.round(alert.confidence * 100)} %` })}
        {alert.notified.length > 0 && <> · {t("cam.alert.paged", { who: alert.notified.join(", ") })}</>}
        {alert.unit && <> · {t("cam.alert.unit", { unit: alert.unit })}</>}
      </p>
      {alert.evidence && (
        <div class="cam-evidence">
          <figure>
            <img src={alert.evidence.annotated_url} alt={t("cam.alert.annotated")} loading="lazy" />
            <figcaption>{t("cam.alert.annotated")}</figcaption>
          </figure>
          <figure>
            <img src={alert.evidence.crop_url} alt={t("cam.alert.crop")} loading="lazy" />
            <figcaption>{t("cam.alert.crop")}</figcaption>
          </figure>
        </div>
      )}
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {operator && (alert.status === "raised" || alert.status === "verified" || alert.status === "dispatched") && (
        <div class="cam-actions">
          <div class="field">
            <label for={`note-${id}`}>{t("cam.action.note")}</label>
            <input id={`note-${id}`} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </div>
          {alert.status === "raised" && (
            <p>
              <button type="button" disabled={busy} onClick={() => run(() => verify(id, true, note || undefined))}>
                {t("cam.action.real")}
              </button>{" "}
              <button
                type="button"
                class="secondary"
                disabled={busy}
                onClick={() => run(() => verify(id, false, note || undefined))}
              >
                {t("cam.action.false")}
              </button>
            </p>
          )}
          {(alert.status === "verified" || alert.status === "dispatched") && (
            <>
              <div class="field">
                <label for={`unit-${id}`}>{t("cam.action.unit")}</label>
                <input id={`unit-${id}`} value={unit} onInput={(e) => setUnit(e.currentTarget.value)} />
              </div>
              <p>
                <button
                  type="button"
                  disabled={busy || !unit.trim()}
                  onClick={() => run(() => dispatch(id, unit.trim(), note || undefined))}
                >
                  {t("cam.action.dispatch")}
                </button>{" "}
                <button
                  type="button"
                  class="secondary"
                  disabled={busy}
                  onClick={() => run(() => close(id, accept, note || undefined))}
                >
                  {t("cam.action.close")}
                </button>
              </p>
              {CHANGE_KINDS.includes(alert.kind) && (
                <label class="check">
                  <input type="checkbox" checked={accept} onChange={(e) => setAccept(e.currentTarget.checked)} />{" "}
                  {t("cam.action.accept")}
                </label>
              )}
            </>
          )}
        </div>
      )}
    </article>
  );
}
