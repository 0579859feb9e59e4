// The queue: every report the signed-in role may see, filtered and searched, newest first; how
// many match, sortable columns, saved filters, several reports verified or assigned at once,
// exports, and a notice when new reports arrive.
import { ApiError } from "@shared/api";
import { useBusy } from "@shared/forms";
import { dateTime, number } from "@shared/format";
import { getLang, pick, t, useLang } from "@shared/i18n";
import { currentQuery, Link, setQuery } from "@shared/router";
import { Alert, errorText, Failed, Loading, OverdueBadge, StatusBadge, TableDownloads, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { session, useCan } from "../shell/auth";
import {
  actOnEach,
  exportQueue,
  type Filters,
  filtersFrom,
  filtersTo,
  forgetFilter,
  type QueueItem,
  queue,
  type SavedFilter,
  saveFilter,
  savedFilters,
  units,
} from "./api";
import { FilterBar } from "./FilterBar";

const TRIAGE = "field_reporting.reports.triage";
// Who keeps saved filters (the people who work the queue; not the provincial system's reader).
const KEEP_FILTERS = "field_reporting.saved_filters.keep";
const POLL_MS = 30_000;

export function useFilters(): [Filters, (f: Filters) => void] {
  const [filters, setFilters] = useState<Filters>(() => filtersFrom(currentQuery()));
  return [
    filters,
    (next) => {
      setQuery(filtersTo(next));
      setFilters(next);
    },
  ];
}

type SortKey = "id" | "category" | "ward" | "status" | "unit" | "submitted" | "due";
const SORT_VALUE: Record<SortKey, (r: QueueItem) => string> = {
  id: (r) => r.id,
  category: (r) => pick(r.service.name),
  ward: (r) => pick(r.ward.name),
  status: (r) => pick(r.status.label),
  unit: (r) => (r.unit ? pick(r.unit.name) : ""),
  submitted: (r) => r.requested_datetime,
  due: (r) => r.expected_datetime ?? "9999",
};

function sorted(items: QueueItem[], sort: { key: SortKey; up: boolean } | null): QueueItem[] {
  if (!sort) return items;
  const value = SORT_VALUE[sort.key];
  const collator = new Intl.Collator(getLang(), { numeric: true });
  const out = [...items].sort((a, b) => collator.compare(value(a), value(b)));
  return sort.up ? out : out.reverse();
}

// Saved filters belong to the person signed in and live on the server (they follow the person
// from computer to computer). Those an older console kept in this browser are sent up once.
const legacyKey = () => `ioc.console.filters.${session.get()?.subject ?? "anonymous"}`;
const moving = new Map<string, Promise<number>>();

/** Upload the browser's old saved filters once per person, then forget the local copy; how
 * many went up. Kept locally when the server could not be reached (next time tries again). */
function moveLegacy(): Promise<number> {
  const key = legacyKey();
  let pending = moving.get(key);
  if (!pending) {
    pending = (async () => {
      let local: SavedFilter[] = [];
      try {
        local = JSON.parse(localStorage.getItem(key) ?? "[]") as SavedFilter[];
      } catch {
        localStorage.removeItem(key); // unreadable: nothing to keep
        return 0;
      }
      let moved = 0;
      for (const item of Array.isArray(local) ? local : []) {
        try {
          await saveFilter(String(item.name), item.filters ?? {});
          moved += 1;
        } catch (error) {
          // The server refused it (a bad name, bad values, the limit): it can never go up.
          if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) throw error;
        }
      }
      localStorage.removeItem(key);
      return moved;
    })();
    pending.catch(() => moving.delete(key));
    moving.set(key, pending);
  }
  return pending;
}

async function loadSaved(): Promise<{ saved: SavedFilter[]; moved: number }> {
  const moved = localStorage.getItem(legacyKey()) === null ? 0 : await moveLegacy();
  return { saved: await savedFilters(), moved };
}

export function Queue() {
  const lang = useLang();
  const [filters, setFilters] = useFilters();
  const first = useAsync(() => queue(filters), [JSON.stringify(filters), lang]);
  const [more, setMore] = useState<{ items: QueueItem[]; next: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState("");
  const [sort, setSort] = useState<{ key: SortKey; up: boolean } | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [fresh, setFresh] = useState(false);
  const reports = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : first.data?.next_cursor;
  const total = first.data?.total ?? null;
  const canTriage = useCan(TRIAGE);
  const canKeepFilters = useCan(KEEP_FILTERS);

  // New reports: the first page is asked for again every 30 s while the tab is in view; a
  // change shows a notice rather than moving rows under the reader's pointer.
  useEffect(() => {
    const shown = first.data;
    if (!shown) return;
    const timer = setInterval(async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const now = await queue(filters, null, 1);
        if (now.total !== shown.total || (now.items[0]?.id ?? null) !== (shown.items[0]?.id ?? null)) setFresh(true);
      } catch {
        // the next round tries again; the page keeps what it shows
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [first.data, JSON.stringify(filters)]);

  function apply(f: Filters) {
    setMore(null);
    setSelected(new Set());
    setFresh(false);
    setFilters(f);
  }

  function reload() {
    setMore(null);
    setSelected(new Set());
    setFresh(false);
    first.reload();
  }

  async function loadMore() {
    setLoadingMore(t("loading"));
    try {
      const page = await queue(filters, next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next_cursor });
      setLoadingMore("");
    } catch (failure) {
      setLoadingMore(errorText(failure));
    }
  }

  const header = (key: SortKey, label: string) => {
    const on = sort?.key === key;
    return (
      <th scope="col" aria-sort={on ? (sort.up ? "ascending" : "descending") : "none"}>
        <button
          type="button"
          class="sort"
          onClick={() => setSort(on && sort.up ? { key, up: false } : on ? null : { key, up: true })}
        >
          {label}
          <span aria-hidden="true">{on ? (sort.up ? " ▲" : " ▼") : ""}</span>
        </button>
      </th>
    );
  };
  const shown = sorted(reports, sort);
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };

  return (
    <>
      <h1>{t("queue.title")}</h1>
      <FilterBar value={filters} onChange={apply} />
      {canKeepFilters && <SavedFilters current={filters} onPick={apply} />}
      <ExportButtons filters={filters} />
      {fresh && (
        <div class="card fresh" role="status">
          {t("queue.fresh")}{" "}
          <button type="button" onClick={reload}>
            {t("queue.showFresh")}
          </button>
        </div>
      )}
      {first.loading && !first.data && <Loading />}
      {first.error ? <Failed error={first.error} retry={first.reload} /> : null}
      {first.data && (
        <>
          <p class="muted" role="status" id="queue-count">
            {total === null
              ? t(next ? "queue.countMore" : "queue.count", { n: number(reports.length) })
              : t("queue.total", { n: number(reports.length), total: number(total) })}
          </p>
          {canTriage && selected.size > 0 && (
            <BulkBar
              chosen={reports.filter((r) => selected.has(r.id))}
              onDone={reload}
            />
          )}
          {reports.length === 0 ? (
            <p>{t("queue.empty")}</p>
          ) : (
            <div class="table-wrap card flush">
              <table class="queue">
                <caption class="visually-hidden">{t("queue.caption")}</caption>
                <thead>
                  <tr>
                    {canTriage && (
                      <th scope="col" class="pick">
                        <input
                          type="checkbox"
                          aria-label={t("queue.pickAll")}
                          checked={selected.size > 0 && selected.size === reports.length}
                          onChange={(e) =>
                            setSelected(e.currentTarget.checked ? new Set(reports.map((r) => r.id)) : new Set())
                          }
                        />
                      </th>
                    )}
                    {header("id", t("queue.id"))}
                    {header("category", t("report.category"))}
                    {header("ward", t("report.ward"))}
                    {header("status", t("report.status"))}
                    {header("unit", t("queue.unit"))}
                    {header("submitted", t("queue.submitted"))}
                    {header("due", t("queue.due"))}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((r) => (
                    <tr key={r.id} class={selected.has(r.id) ? "picked" : undefined}>
                      {canTriage && (
                        <td class="pick">
                          <input
                            type="checkbox"
                            aria-label={t("queue.pick", { id: r.id })}
                            checked={selected.has(r.id)}
                            onChange={() => toggle(r.id)}
                          />
                        </td>
                      )}
                      <th scope="row">
                        <Link to={`reports/${encodeURIComponent(r.id)}`}>{r.id}</Link>
                      </th>
                      <td>{pick(r.service.name)}</td>
                      <td>{pick(r.ward.name)}</td>
                      <td>
                        <StatusBadge code={r.status.code} label={r.status.label} />
                        {r.waiting_on_resident && <span class="badge waiting">{t("queue.waiting")}</span>}
                      </td>
                      <td>{r.unit ? pick(r.unit.name) : "—"}</td>
                      <td>{dateTime(r.requested_datetime)}</td>
                      <td>
                        {dateTime(r.expected_datetime)} {r.overdue && <OverdueBadge />}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next && (
            <p>
              <button type="button" class="secondary" onClick={loadMore} disabled={!!loadingMore}>
                {t("queue.more")}
              </button>{" "}
              <span role="status">{loadingMore}</span>
            </p>
          )}
        </>
      )}
    </>
  );
}

/** Verify, or assign to one unit, every selected report; says which ones could not be. */
function BulkBar({ chosen, onDone }: { chosen: QueueItem[]; onDone: () => void }) {
  const [unit, setUnit] = useState("");
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ done: string[]; failed: { id: string; error: unknown }[] } | null>(null);
  const listed = useAsync(units, []);

  async function run(action: "verify" | "assign") {
    setBusy(true);
    setOutcome(null);
    const body = action === "assign" ? { unit } : {};
    const result = await actOnEach(chosen, action, body);
    setBusy(false);
    setOutcome(result);
    if (result.done.length) setTimeout(onDone, result.failed.length ? 4000 : 800);
  }

  return (
    <section class="card bulk" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t("queue.bulk", { n: number(chosen.length) })}</h2>
      <div class="bulk-actions">
        <button type="button" disabled={busy} onClick={() => run("verify")}>
          {t("queue.bulkVerify")}
        </button>
        <label for="bulk-unit">{t("queue.bulkUnit")}</label>
        <select id="bulk-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
          <option value="">—</option>
          {listed.data?.map((u) => (
            <option key={u.code} value={u.code}>
              {pick(u.name)}
            </option>
          ))}
        </select>
        <button type="button" disabled={busy || !unit} onClick={() => run("assign")}>
          {t("queue.bulkAssign")}
        </button>
      </div>
      {busy && <p role="status">{t("loading")}</p>}
      {outcome && (
        <Alert kind={outcome.failed.length ? "error" : "success"}>
          {t("queue.bulkDone", { n: number(outcome.done.length) })}
          {outcome.failed.length > 0 && (
            <ul>
              {outcome.failed.map((f) => (
                <li key={f.id}>
                  {f.id}: {errorText(f.error)}
                </li>
              ))}
            </ul>
          )}
        </Alert>
      )}
    </section>
  );
}

function ExportButtons({ filters }: { filters: Filters }) {
  return (
    <TableDownloads
      save={(format) => exportQueue(filters, format, getLang())}
      labels={{ xlsx: t("queue.exportXlsx"), csv: t("queue.exportCsv") }}
      working={t("queue.exporting")}
      buttonClass="secondary"
    />
  );
}

function SavedFilters({ current, onPick }: { current: Filters; onPick: (f: Filters) => void }) {
  const listed = useAsync(loadSaved, []);
  const [name, setName] = useState("");
  const state = useBusy();
  const saved = listed.data?.saved ?? [];
  const empty = !Object.values(current).some((v) => v);

  const change = (work: () => Promise<unknown>) =>
    state.run(async () => {
      await work();
      listed.reload();
    });

  return (
    <div class="saved-filters">
      {listed.error ? <Failed error={listed.error} retry={listed.reload} /> : null}
      {listed.data && listed.data.moved > 0 && (
        <p class="muted" role="status">
          {t("queue.savedMoved", { n: number(listed.data.moved) })}
        </p>
      )}
      {saved.length > 0 && (
        <ul class="saved-list" aria-label={t("queue.saved")}>
          {saved.map((s) => (
            <li key={s.name}>
              <button type="button" class="chip" onClick={() => onPick(s.filters)}>
                {s.name}
              </button>
              <button
                type="button"
                class="chip-remove"
                disabled={state.busy}
                aria-label={t("queue.forget", { name: s.name })}
                onClick={() => change(() => forgetFilter(s.name))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {!empty && (
        <form
          class="save-filter"
          onSubmit={(e) => {
            e.preventDefault();
            const label = name.trim();
            if (!label) return;
            void change(async () => {
              await saveFilter(label, current);
              setName("");
            });
          }}
        >
          <label for="save-name">{t("queue.saveName")}</label>
          <input id="save-name" value={name} maxLength={60} onInput={(e) => setName(e.currentTarget.value)} />
          <button type="submit" class="secondary" disabled={state.busy}>
            {t("queue.save")}
          </button>
        </form>
      )}
      {state.error && <Alert>{state.error}</Alert>}
    </div>
  );
}
