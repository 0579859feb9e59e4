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

export function WardMapView<T>(props: {
  items: T[] | undefined;
  marker: (item: T) => L.Layer;
  legend: LegendEntry[];
  legendId: string;
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
    made.overlay.clearLayers();
    for (const item of props.items ?? []) made.overlay.addLayer(props.marker(item));
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
