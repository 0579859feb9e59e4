// The queue: every report the signed-in role may see, filtered, newest first.
import { dateTime, number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { currentQuery, Link, setQuery } from "@shared/router";
import { errorText, Failed, Loading, OverdueBadge, StatusBadge, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { type Filters, filtersFrom, filtersTo, type QueueItem, queue } from "./api";
import { FilterBar } from "./FilterBar";

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

export function Queue() {
  const lang = useLang();
  const [filters, setFilters] = useFilters();
  const first = useAsync(() => queue(filters), [JSON.stringify(filters), lang]);
  const [more, setMore] = useState<{ items: QueueItem[]; next: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState("");
  const reports = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : first.data?.next_cursor;

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

  return (
    <>
      <h1>{t("queue.title")}</h1>
      <FilterBar
        value={filters}
        onChange={(f) => {
          setMore(null);
          setFilters(f);
        }}
      />
      {first.loading && !first.data && <Loading />}
      {first.error ? <Failed error={first.error} retry={first.reload} /> : null}
      {first.data && (
        <>
          <p class="muted" role="status">
            {t(next ? "queue.countMore" : "queue.count", { n: number(reports.length) })}
          </p>
          {reports.length === 0 ? (
            <p>{t("queue.empty")}</p>
          ) : (
            <div class="table-wrap card flush">
              <table class="queue">
                <caption class="visually-hidden">{t("queue.caption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("queue.id")}</th>
                    <th scope="col">{t("report.category")}</th>
                    <th scope="col">{t("report.ward")}</th>
                    <th scope="col">{t("report.status")}</th>
                    <th scope="col">{t("queue.unit")}</th>
                    <th scope="col">{t("queue.submitted")}</th>
                    <th scope="col">{t("queue.due")}</th>
                  </tr>
                </thead>
                <tbody>
                  {reports.map((r) => (
                    <tr key={r.id}>
                      <th scope="row">
                        <Link to={`reports/${encodeURIComponent(r.id)}`}>{r.id}</Link>
                      </th>
                      <td>{pick(r.service.name)}</td>
                      <td>{pick(r.ward.name)}</td>
                      <td>
                        <StatusBadge code={r.status.code} label={r.status.label} />
                      </td>
                      <td>{r.unit ? pick(r.unit.name) : "—"}</td>
                      <td>{dateTime(r.requested_datetime)}</td>
                      <td>
                        {dateTime(r.expected_datetime)}{" "}
                        {r.overdue && <OverdueBadge />}
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
