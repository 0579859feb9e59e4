// A map page's map: the ward boundaries (no tiles: works offline), one marker per item drawn
// on top, and a legend beside it. The reports map and the camera map both use it.
import "./ward-map.css";
import type { ComponentChildren } from "preact";
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import { boundaries } from "./field_reporting";
import { t, useLang } from "./i18n";
import { type WardMap, wardMap } from "./map";
import { Failed, Loading, useAsync } from "./ui";

export interface LegendEntry {
  key: string;
  colour: string;
  label: ComponentChildren;
}

const CELL_PX = 56; // markers closer than this on screen join one cluster

/** Items near each other at the map's zoom, grouped on a screen grid (no library needed for
 * a city's few thousand points); a group of one is drawn as its own marker. */
export function clusters<T>(map: L.Map, items: T[], at: (item: T) => [number, number]): T[][] {
  const cells = new Map<string, T[]>();
  for (const item of items) {
    const point = map.project(at(item), map.getZoom());
    const key = `${Math.floor(point.x / CELL_PX)}:${Math.floor(point.y / CELL_PX)}`;
    const cell = cells.get(key);
    if (cell) cell.push(item);
    else cells.set(key, [item]);
  }
  return [...cells.values()];
}

function clusterMarker<T>(map: L.Map, group: T[], at: (item: T) => [number, number]): L.Marker {
  const bounds = L.latLngBounds(group.map(at));
  const size = group.length < 10 ? 30 : group.length < 100 ? 38 : 46;
  const label = t("map.cluster", { n: group.length });
  const marker = L.marker(bounds.getCenter(), {
    icon: L.divIcon({
      className: "map-cluster",
      html: `<span aria-hidden="true">${group.length}</span>`,
      iconSize: [size, size],
    }),
    title: label,
    alt: label,
    keyboard: true,
  });
  marker.on("click", () => map.fitBounds(bounds.pad(0.3), { maxZoom: map.getMaxZoom(), animate: false }));
  return marker;
}

export function WardMapView<T>(props: {
  items: T[] | undefined;
  marker: (item: T) => L.Layer;
  legend: LegendEntry[];
  legendId: string;
  /** With a position, nearby items join numbered clusters that open on a click. */
  position?: (item: T) => [number, number];
}) {
  const lang = useLang();
  const shape = useAsync(boundaries, []);
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
    const at = props.position;
    const draw = () => {
      made.overlay.clearLayers();
      const items = props.items ?? [];
      if (!at) {
        for (const item of items) made.overlay.addLayer(props.marker(item));
        return;
      }
      for (const group of clusters(made.map, items, at)) {
        made.overlay.addLayer(group.length === 1 ? props.marker(group[0]) : clusterMarker(made.map, group, at));
      }
    };
    draw();
    if (!at) return;
    made.map.on("zoomend", draw);
    return () => void made.map.off("zoomend", draw);
  }, [props.items, shape.data, lang]);

  return (
    <>
      {shape.error ? <Failed error={shape.error} retry={shape.reload} /> : null}
      {shape.loading && !shape.data && <Loading />}
      <div class="map-layout">
        <div ref={element} class="reports-map" />
        <section class="card legend" aria-labelledby={props.legendId}>
          <h2 id={props.legendId}>{t("map.legend")}</h2>
          <ul>
            {props.legend.map((entry) => (
              <li key={entry.key}>
                <span class="swatch" style={{ background: entry.colour }} aria-hidden="true" />
                {entry.label}
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}

/** A marker's popup: a bold title, a line each, then any controls (built as DOM for Leaflet). */
export function popupBox(title: string, lines: string[], ...extra: HTMLElement[]): HTMLElement {
  const box = document.createElement("div");
  const heading = document.createElement("strong");
  heading.textContent = title;
  box.append(heading);
  for (const text of lines) {
    const line = document.createElement("div");
    line.textContent = text;
    box.append(line);
  }
  box.append(...extra);
  return box;
}
