// The audit log: every administrative action and every report's state change, who made it,
// when and from where. Searched by words (case and diacritics ignored), actor, target, kind
// of action and Vietnam days; newest first, fifty at a time.
import { shortDateTime } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { DataTable, errorText, Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { type AuditEntry, type AuditFilters, auditLog } from "./api";

const ACTIONS = [
  "field_reporting.report.",
  "field_reporting.report.status_changed",
  "field_reporting.routing.",
  "platform.api_key.",
  "identity.staff.",
  "cameras.camera.",
  "cameras.",
];

export function Audit() {
  const lang = useLang();
  const [filters, setFilters] = useState<AuditFilters>({});
  const first = useAsync(() => auditLog(filters), [JSON.stringify(filters), lang]);
  const [more, setMore] = useState<{ items: AuditEntry[]; next: string | null } | null>(null);
  const [status, setStatus] = useState("");
  const entries = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : first.data?.next_cursor;

  async function loadMore() {
    setStatus(t("loading"));
    try {
      const page = await auditLog(filters, next ?? null);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next_cursor });
      setStatus("");
    } catch (failure) {
      setStatus(errorText(failure));
    }
  }

  return (
    <>
      <h1>{t("audit.title")}</h1>
      <p class="muted">{t("audit.intro")}</p>
      <AuditFilterBar
        value={filters}
        onChange={(f) => {
          setMore(null);
          setStatus("");
          setFilters(f);
        }}
      />
      {first.loading && <Loading />}
      {first.error ? <Failed error={first.error} retry={first.reload} /> : null}
      {first.data && entries.length === 0 && <p class="muted">{t("audit.none")}</p>}
      {entries.length > 0 && (
        <DataTable
          caption={t("audit.caption")}
          class="audit-table"
          columns={[t("audit.when"), t("audit.who"), t("audit.what"), t("audit.target"), t("audit.where")]}
        >
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td class="nowrap">{shortDateTime(entry.datetime)}</td>
              <td>
                {entry.actor}
                {entry.role && <span class="muted"> · {entry.role}</span>}
              </td>
              <th scope="row">
                {pick(entry.summary)}
                <div class="muted small">
                  <code>{entry.action}</code>
                  {entry.route && <> · {entry.route}</>}
                </div>
              </th>
              <td>
                <code>{entry.target.id.length > 24 ? `${entry.target.id.slice(0, 10)}…` : entry.target.id}</code>
                <div class="muted small">{`${entry.target.room} / ${entry.target.kind}`}</div>
              </td>
              <td>
                {entry.ip ?? "—"}
                {entry.forwarded_for && <div class="muted small">{t("audit.forwarded", { chain: entry.forwarded_for })}</div>}
                {entry.user_agent && <div class="muted small audit-agent">{entry.user_agent}</div>}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {next && (
        <p>
          <button type="button" class="secondary" onClick={loadMore} disabled={!!status && status === t("loading")}>
            {t("audit.more")}
          </button>
        </p>
      )}
      <p role="status">{status}</p>
    </>
  );
}

function AuditFilterBar({ value, onChange }: { value: AuditFilters; onChange: (f: AuditFilters) => void }) {
  const [draft, setDraft] = useState<AuditFilters>(value);
  const set = (key: keyof AuditFilters, v: string) => setDraft({ ...draft, [key]: v.trim() ? v : undefined });
  const text = (key: keyof AuditFilters, label: string, hint?: string) => (
    <div class="field">
      <label for={`audit-${key}`}>{label}</label>
      <input
        id={`audit-${key}`}
        type="text"
        maxLength={200}
        placeholder={hint}
        value={draft[key] ?? ""}
        onInput={(e) => set(key, e.currentTarget.value)}
      />
    </div>
  );
  return (
    <form
      class="audit-filters card"
      aria-label={t("audit.filters")}
      onSubmit={(e) => {
        e.preventDefault();
        onChange(draft);
      }}
    >
      {text("q", t("audit.search"), t("audit.searchHint"))}
      {text("actor", t("audit.actor"), "quantri")}
      {text("target", t("audit.targetId"), "PT-2026-000123")}
      <div class="field">
        <label for="audit-action">{t("audit.action")}</label>
        <select id="audit-action" value={draft.action ?? ""} onChange={(e) => set("action", e.currentTarget.value)}>
          <option value="">{t("audit.anyAction")}</option>
          {ACTIONS.map((a) => (
            <option key={a} value={a}>
              {t(`audit.action.${a}`)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="audit-from">{t("audit.from")}</label>
        <input id="audit-from" type="date" value={draft.from ?? ""} onInput={(e) => set("from", e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="audit-to">{t("audit.to")}</label>
        <input id="audit-to" type="date" value={draft.to ?? ""} onInput={(e) => set("to", e.currentTarget.value)} />
      </div>
      <div class="filter-buttons">
        <button type="submit">{t("audit.apply")}</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft({});
            onChange({});
          }}
        >
          {t("audit.clear")}
        </button>
      </div>
    </form>
  );
}
