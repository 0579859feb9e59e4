// Small accessible building blocks both apps share.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "./api";
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
    return fields ? `${error.message} (${fields})` : error.message;
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

export function Timeline({ items }: { items: HistoryItem[] }) {
  useLang();
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      <ol class="timeline">
        {items.map((item, index) => (
          <li key={index}>
            <StatusBadge code={item.status} label={item.label} />{" "}
            <time dateTime={item.at}>{dateTime(item.at)}</time>
            {item.role && <span class="muted"> · {t(`role.${item.role}`)}</span>}
            {item.actor && item.role !== "resident" && <span class="muted"> ({item.actor})</span>}
            {item.unit && <span class="muted"> → {pick(item.unit.name)}</span>}
            {item.reason && <p class="note">{t(`reason.${item.reason}`)}</p>}
            {item.note && <p class="note">{item.note}</p>}
            {item.photo_url && <Photos photos={[item.photo_url]} label={t("photo.after")} />}
          </li>
        ))}
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
