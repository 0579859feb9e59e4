// Reports on the ward map (no tiles: works offline), coloured by status, same filters as the queue.
import { boundaries, type StatusCode } from "@shared/field_reporting";
import { number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { type WardMap, wardMap } from "@shared/map";
import { navigate } from "@shared/router";
import { Failed, Loading, StatusBadge, useAsync } from "@shared/ui";
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
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
  const shape = useAsync(boundaries, []);
  const reports = useAsync(() => everything(filters), [JSON.stringify(filters), lang]);
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<WardMap | null>(null);

  useEffect(() => {
    if (!shape.data || !element.current) return;
    view.current = wardMap(element.current, shape.data);
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, [shape.data, lang]);

  useEffect(() => {
    const made = view.current;
    if (!made) return;
    made.overlay.clearLayers();
    for (const r of reports.data ?? []) made.overlay.addLayer(marker(r));
  }, [reports.data, shape.data, lang]);

  const shown = reports.data?.length ?? 0;
  return (
    <>
      <h1>{t("map.title")}</h1>
      <FilterBar value={filters} onChange={setFilters} />
      {shape.error ? <Failed error={shape.error} retry={shape.reload} /> : null}
      {reports.error ? <Failed error={reports.error} retry={reports.reload} /> : null}
      {(shape.loading || reports.loading) && <Loading />}
      <p class="muted" role="status">
        {t("map.shown", { n: number(shown) })}
      </p>
      <div class="map-layout">
        <div ref={element} class="reports-map" />
        <section class="card legend" aria-labelledby="legend-title">
          <h2 id="legend-title">{t("map.legend")}</h2>
          <ul>
            {(Object.keys(STATUS_COLOURS) as StatusCode[]).map((code) => (
              <li key={code}>
                <span class="swatch" style={{ background: STATUS_COLOURS[code] }} aria-hidden="true" />
                <StatusBadge code={code} />
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}

const MAP_PAGES = 5;

/** The map shows up to 500 reports: a few pages of the queue. */
async function everything(filters: Filters): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAP_PAGES; page++) {
    const reply = await queue(filters, cursor, 100);
    items.push(...reply.items);
    cursor = reply.next_cursor;
    if (!cursor) break;
  }
  return items;
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
  const box = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = `${r.id} · ${pick(r.service.name)}`;
  const status = document.createElement("div");
  status.textContent = pick(r.status.label);
  const open = document.createElement("button");
  open.type = "button";
  open.className = "link";
  open.textContent = t("map.open");
  open.addEventListener("click", () => navigate(`reports/${encodeURIComponent(r.id)}`));
  box.append(title, status, open);
  dot.bindPopup(box);
  dot.bindTooltip(`${r.id} · ${pick(r.service.name)}`);
  return dot;
}
