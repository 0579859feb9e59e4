// A map page's map: the city (streets where the deployment has a basemap, the wards always),
// its items clustered by MapLibre's GeoJSON source and drawn as buttons (focusable, named for
// screen readers, a popup each), and a legend beside it. The reports, camera and public maps use it.
import "./ward-map.css";
import type { ComponentChildren } from "preact";
import type { GeoJSONSource } from "maplibre-gl";
import { useEffect, useRef, useState } from "preact/hooks";
import { boundaries } from "./field_reporting";
import { t, useLang } from "./i18n";
import type { WardMap } from "./map";
import type { MapPoint } from "./map-items";
import { canDrawMaps, ITEMS_SOURCE as SOURCE, mapSetup } from "./map-setup";
import { Failed, Loading, useAsync } from "./ui";

export interface LegendEntry {
  key: string;
  colour: string;
  label: ComponentChildren;
}

export type { MapPoint } from "./map-items";

const CLUSTER_RADIUS_PX = 48; // markers closer than this on screen join one cluster

/** The wards, the deployment's map source, and MapLibre (a chunk of its own, loaded here). */
async function loadMap() {
  const [shape, source, gl, items] = await Promise.all([
    boundaries(),
    mapSetup(),
    import("./map"),
    import("./map-items"),
  ]);
  return { shape, source, wardMap: gl.wardMap, ItemMarkers: items.ItemMarkers };
}

export function WardMapView<T>(props: {
  items: T[] | undefined;
  point: (item: T) => MapPoint;
  legend: LegendEntry[];
  legendId: string;
}) {
  const lang = useLang();
  const loaded = useAsync(loadMap, []);
  const element = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<WardMap | null>(null);
  const [ready, setReady] = useState(false);
  const drawable = useState(canDrawMaps)[0];

  useEffect(() => {
    if (!loaded.data || !element.current || !drawable) return;
    const made = loaded.data.wardMap(element.current, loaded.data.shape, loaded.data.source);
    setView(made);
    let live = true;
    void made.ready.then(() => {
      if (!live) return;
      made.map.addSource(SOURCE, {
        type: "geojson",
        data: { type: "FeatureCollection", features: [] },
        cluster: true,
        clusterRadius: CLUSTER_RADIUS_PX,
        clusterMaxZoom: 17,
      });
      // MapLibre loads a source's tiles only for a layer that draws it: this one draws nothing
      // (the items are HTML buttons), so querySourceFeatures has what the map shows.
      made.map.addLayer({
        id: `${SOURCE}-tiles`,
        type: "circle",
        source: SOURCE,
        paint: { "circle-radius": 1, "circle-opacity": 0, "circle-stroke-opacity": 0 },
      });
      setReady(true);
    });
    return () => {
      live = false;
      setReady(false);
      setView(null);
      made.destroy();
    };
  }, [loaded.data, lang]);

  useEffect(() => {
    if (!view || !ready || !loaded.data) return;
    const points = (props.items ?? []).map(props.point);
    const markers = new loaded.data.ItemMarkers(view.map, points);
    const source = view.map.getSource(SOURCE) as GeoJSONSource;
    void source.setData({
      type: "FeatureCollection",
      features: points.map((p, index) => ({
        type: "Feature",
        properties: { index },
        geometry: { type: "Point", coordinates: [p.at[1], p.at[0]] },
      })),
    });
    return () => markers.remove();
  }, [props.items, view, ready]);

  return (
    <>
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {loaded.loading && !loaded.data && <Loading />}
      {!drawable && <p class="notice">{t("map.noWebgl")}</p>}
      <div class="map-layout">
        <div ref={element} class="reports-map" hidden={!drawable} />
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

/** A marker's popup: a bold title, a line each, then any controls. */
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
