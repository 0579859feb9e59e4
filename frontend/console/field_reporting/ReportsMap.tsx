// Reports on the ward map (no tiles: works offline), coloured by status, same filters as the queue.
import type { StatusCode } from "@shared/field_reporting";
import { number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { navigate } from "@shared/router";
import { Failed, Loading, StatusBadge, useAsync } from "@shared/ui";
import { popupBox, WardMapView } from "@shared/WardMapView";
import L from "leaflet";
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
        marker={marker}
        position={(r) => [r.lat, r.long]}
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

function marker(r: QueueItem): L.CircleMarker {
  const dot = L.circleMarker([r.lat, r.long], {
    radius: 7,
    color: "#ffffff",
    weight: 1.5,
    fillColor: STATUS_COLOURS[r.status.code] ?? "#333",
    fillOpacity: 0.95,
    className: `report-dot status-dot-${r.status.code}`,
  });
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link";
  open.textContent = t("map.open");
  open.addEventListener("click", () => navigate(`reports/${encodeURIComponent(r.id)}`));
  dot.bindPopup(popupBox(`${r.id} · ${pick(r.service.name)}`, [pick(r.status.label)], open));
  dot.bindTooltip(`${r.id} · ${pick(r.service.name)}`);
  return dot;
}
