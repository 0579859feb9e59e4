// Reports on the city map, clustered, coloured by status, with the same filters as the queue.
import type { StatusCode } from "@shared/field_reporting";
import { number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { navigate } from "@shared/router";
import { Failed, Loading, StatusBadge, useAsync } from "@shared/ui";
import { type MapPoint, popupBox, WardMapView } from "@shared/WardMapView";
import { type Filters, type QueueItem, queue } from "./api";
import { FilterBar } from "./FilterBar";
import { useFilters } from "./Queue";

export const STATUS_COLOURS: Record<StatusCode, string> = {
  received: "#b26b00",
  verified: "#0b4f94",
  assigned: "#5b3c9e",
  in_progress: "#00736b",
  resolved: "#1b6b33",
  reopened: "#b23c00",
  rejected: "#5a6570",
  withdrawn: "#5a6570",
};

export function ReportsMap() {
  const lang = useLang();
  const [filters, setFilters] = useFilters();
  const reports = useAsync(() => everything(filters), [JSON.stringify(filters), lang]);
  const shown = reports.data?.items.length ?? 0;
  const total = reports.data?.total ?? null;
  const legend = (Object.keys(STATUS_COLOURS) as StatusCode[]).map((code) => ({
    key: code,
    colour: STATUS_COLOURS[code],
    label: <StatusBadge code={code} />,
  }));
  return (
    <>
      <h1>{t("map.title")}</h1>
      <FilterBar value={filters} onChange={setFilters} />
      {reports.error ? <Failed error={reports.error} retry={reports.reload} /> : null}
      {reports.loading && <Loading />}
      <p class="muted" role="status" id="map-count">
        {total !== null && total > shown
          ? t("map.shownOf", { n: number(shown), total: number(total) })
          : t("map.shown", { n: number(shown) })}
      </p>
      <WardMapView
        items={reports.data?.items}
        point={point}
        legend={legend}
        legendId="legend-title"
      />
    </>
  );
}

const MAP_PAGES = 20;

/** Up to 2,000 reports (pages of the queue), clustered; the page says when there are more. */
async function everything(filters: Filters): Promise<{ items: QueueItem[]; total: number | null }> {
  const items: QueueItem[] = [];
  let cursor: string | null = null;
  let total: number | null = null;
  for (let page = 0; page < MAP_PAGES; page++) {
    const reply = await queue(filters, cursor, 100);
    items.push(...reply.items);
    total ??= reply.total;
    cursor = reply.next_cursor;
    if (!cursor) break;
  }
  return { items, total };
}

function point(r: QueueItem): MapPoint {
  const title = `${r.id} · ${pick(r.service.name)}`;
  return {
    at: [r.lat, r.long],
    colour: STATUS_COLOURS[r.status.code] ?? "#333",
    label: `${title} · ${pick(r.status.label)}`,
    className: `report-dot status-dot-${r.status.code}`,
    popup: () => {
      const open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.textContent = t("map.open");
      open.addEventListener("click", () => navigate(`reports/${encodeURIComponent(r.id)}`));
      return popupBox(title, [pick(r.status.label)], open);
    },
  };
}
