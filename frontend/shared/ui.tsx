// Small accessible building blocks both apps share.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, type TableFormat } from "./api";
import { type HistoryItem, photoSrc, type StatusCode } from "./field_reporting";
import { dateTime } from "./format";
import { LANGS, type Lang, pick, setLang, t, useLang } from "./i18n";

export function LangSwitch() {
  const lang = useLang();
  return (
    <div class="lang-switch" role="group" aria-label={t("lang.label")}>
      {LANGS.map((code: Lang) => (
        <button
          type="button"
          key={code}
          lang={code}
          aria-pressed={lang === code}
          onClick={() => setLang(code)}
        >
          {t(`lang.${code}`)}
        </button>
      ))}
    </div>
  );
}

export function StatusBadge({ code, label }: { code: StatusCode; label?: { vi: string; en: string } }) {
  useLang();
  return <span class={`badge status-${code}`}>{label ? pick(label) : t(`status.${code}`)}</span>;
}

export function OverdueBadge() {
  return <span class="badge overdue">{t("overdue")}</span>;
}

/** Announced to screen readers when it appears. */
export function Alert({ kind = "error", children }: { kind?: "error" | "success" | "info"; children: ComponentChildren }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    const said = error.status === 0 ? t("error.network") : error.said;
    return fields ? `${said} (${fields})` : said;
  }
  return error instanceof Error ? error.message : t("error.generic");
}

/** A table of rows under named columns, its caption for screen readers, scrolling when wide. */
export function DataTable(props: { caption: string; columns: string[]; class?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap card flush">
      <table class={props.class}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t("loading")}
    </p>
  );
}

/** Load once per change of `deps`; the state a page needs to show loading, data or error. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let alive = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => alive && setState({ data, loading: false }),
      (error) => alive && setState({ error, loading: false }),
    );
    return () => {
      alive = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, nonce]);
  return { ...state, reload: () => setNonce((n) => n + 1) };
}

export function Failed({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <Alert>
      {errorText(error)}{" "}
      {retry && (
        <button type="button" class="link" onClick={retry}>
          {t("retry")}
        </button>
      )}
    </Alert>
  );
}

/** Who took a step, for people: "Điều hành viên dieuhanh", "Người dân", "Thành phố". The API
 * gives staff the actor ("operator:dieuhanh") and residents only the role. */
function who(item: HistoryItem): string {
  const [kind, name] = (item.actor ?? "").split(":", 2);
  if (item.role === "resident" || kind === "resident") return t("role.resident");
  const role = item.role ?? (kind && kind !== "channel" ? kind : "");
  const title = role ? t(`role.${role}`) : t("story.city");
  return name && kind !== "channel" ? `${title} ${name}` : title;
}

/** One step of a report's history as a sentence. */
export function sentence(item: HistoryItem, first: boolean): string {
  const params = {
    who: who(item),
    unit: item.unit ? pick(item.unit.name) : "",
    status: pick(item.label),
    assignee: item.assignee ?? "",
  };
  if (first) {
    const channel = (item.actor ?? "").startsWith("channel:") ? (item.actor ?? "").slice(8) : "";
    if (channel === "camera") return t("story.submittedCamera"); // filed by a camera incident
    const via = channel ? t(`channel.${channel}`) : "";
    return via && via !== `channel.${channel}` ? t("story.submittedVia", { via }) : t("story.submitted");
  }
  const self = item.assignee && (item.actor ?? "").endsWith(`:${item.assignee}`);
  const variant = item.action === "assign_person" ? (!item.assignee ? "None" : self ? "Self" : "") : "";
  const key = `story.${item.action ?? "status"}${variant}`;
  const text = t(key, params);
  return text === key ? t("story.status", params) : text;
}

export function Timeline({ items }: { items: HistoryItem[] }) {
  useLang();
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      <ol class="timeline">
        {items.map((item, index) => {
          // A note step (a question, an answer) keeps the status: its badge is not repeated.
          const changed = index === 0 || items[index - 1].status !== item.status;
          return (
            <li key={index}>
              <p class="step">
                {changed && (
                  <>
                    <StatusBadge code={item.status} label={item.label} />{" "}
                  </>
                )}
                <span class="step-text">{sentence(item, index === 0)}</span>
              </p>
              <time class="muted" dateTime={item.at}>
                {dateTime(item.at)}
              </time>
              {item.reason && <p class="note">{t(`reason.${item.reason}`)}</p>}
              {item.note && <p class="note">{item.note}</p>}
              {item.photo_url && <Photos photos={[item.photo_url]} label={t("photo.after")} />}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

export function Photos({ photos, label }: { photos: string[]; label?: string }) {
  if (!photos.length) return null;
  return (
    <ul class="photos">
      {photos.map((photo, index) => (
        <li key={photo}>
          <a href={photoSrc(photo)} target="_blank" rel="noopener">
            <img src={photoSrc(photo)} alt={label ?? t("photo.alt", { n: index + 1 })} loading="lazy" />
          </a>
        </li>
      ))}
    </ul>
  );
}

/** 1–5 stars as radio buttons: keyboard and screen-reader friendly. */
export function StarInput({ value, onChange, name }: { value: number; onChange: (n: number) => void; name: string }) {
  return (
    <div class="stars" role="radiogroup" aria-label={t("report.rating")}>
      {[1, 2, 3, 4, 5].map((n) => (
        <label key={n} class={n <= value ? "on" : ""}>
          <input
            type="radio"
            name={name}
            value={n}
            checked={value === n}
            onChange={() => onChange(n)}
            class="visually-hidden"
          />
          <span aria-hidden="true">★</span>
          <span class="visually-hidden">{t("stars", { n })}</span>
        </label>
      ))}
    </div>
  );
}

/** What to tell, worded when shown (so in the language shown then): a message key with its
 * parameters, or a failure (an API's problem says both languages). */
export type Told = { key: string; params?: Record<string, string | number> } | { failure: unknown } | null;

export function toldText(told: Told): string {
  if (!told) return "";
  return "key" in told ? t(told.key, told.params) : errorText(told.failure);
}

/** Copy to the clipboard (a key, a temporary password); what happened, in the language shown
 * now: ``[outcome, copy, forget]`` where ``done`` and ``failed`` are message keys. */
export function useCopy(done: string, failed: string): [string, (text: string) => Promise<void>, () => void] {
  const [outcome, setOutcome] = useState<"" | "done" | "failed">("");
  async function copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      setOutcome("done");
    } catch {
      setOutcome("failed");
    }
  }
  return [outcome ? t(outcome === "done" ? done : failed) : "", copy, () => setOutcome("")];
}

/** The Excel and CSV buttons of a table file the API makes, and how the last one went.
 * ``save`` fetches it (or throws); it may answer a message instead, which is shown. */
export function TableDownloads(props: {
  save: (format: TableFormat) => Promise<string | void>;
  labels: Record<TableFormat, string>;
  working: string;
  buttonClass: string;
}) {
  const [state, setState] = useState("");
  async function save(format: TableFormat) {
    setState(props.working);
    try {
      setState((await props.save(format)) || "");
    } catch (failure) {
      setState(errorText(failure));
    }
  }
  return (
    <p class="exports">
      <button type="button" class={props.buttonClass} onClick={() => save("xlsx")}>
        {props.labels.xlsx}
      </button>{" "}
      <button type="button" class={props.buttonClass} onClick={() => save("csv")}>
        {props.labels.csv}
      </button>{" "}
      <span role="status">{state}</span>
    </p>
  );
}
