// Ward boundaries over a plain background: no tile server, so the map works with no internet.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import type { BoundaryCollection } from "./field_reporting";
import { getLang, t } from "./i18n";

export const CITY_CENTRE: L.LatLngExpression = [10.93, 108.12];

// Okabe–Ito inspired fills, light enough for dark labels and markers on top.
const WARD_FILLS = ["#cfe3f5", "#f6dfc0", "#d5ecd4", "#ead7f0", "#f3d3d3", "#d9e8e6", "#f1ecc7", "#dcdcf2"];

export interface WardMap {
  map: L.Map;
  wards: L.GeoJSON;
  overlay: L.LayerGroup;
  destroy(): void;
}

export function wardMap(element: HTMLElement, collection: BoundaryCollection): WardMap {
  const map = L.map(element, {
    center: CITY_CENTRE,
    zoom: 11,
    minZoom: 9,
    maxZoom: 18,
    zoomSnap: 0.25,
    attributionControl: true,
  });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(t("map.attribution"));
  const wards = L.geoJSON(collection as GeoJSON.FeatureCollection, {
    // The wards are the background: clicks go through to the map (and its markers).
    interactive: false,
    style: (feature) => ({
      color: "#1f3b57",
      weight: 1.5,
      fillColor: WARD_FILLS[(feature?.properties?.code?.charCodeAt(4) ?? 0) % WARD_FILLS.length],
      fillOpacity: 0.85,
    }),
    onEachFeature: (feature, layer) => {
      const props = feature.properties as BoundaryCollection["features"][0]["properties"];
      const name = getLang() === "vi" ? props.name_vi : props.name_en;
      layer.bindTooltip(name, { permanent: true, direction: "center", className: "ward-label" });
    },
  }).addTo(map);
  const bounds = wards.getBounds();
  // Not animated: a page left during the zoom animation would have Leaflet step a removed map.
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], animate: false });
  const overlay = L.layerGroup().addTo(map);
  // Leaflet measures its box once; a box that grows later (flex layout) needs a nudge.
  const resize = new ResizeObserver(() => map.invalidateSize());
  resize.observe(element);
  element.setAttribute("role", "region");
  element.setAttribute("aria-label", t("map.label"));
  return {
    map,
    wards,
    overlay,
    destroy() {
      resize.disconnect();
      map.stop();
      map.remove();
    },
  };
}

/** Which ward (by code) holds a point: the same point-in-polygon the API does, for a hint. */
export function wardAt(collection: BoundaryCollection, lat: number, lon: number): string | null {
  for (const feature of collection.features) {
    const polygons = (
      feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates
    ) as number[][][][];
    if (polygons.some((rings) => inRings(rings, lon, lat))) return feature.properties.code;
  }
  return null;
}

function inRings(rings: number[][][], x: number, y: number): boolean {
  const [outer, ...holes] = rings;
  return inRing(outer, x, y) && !holes.some((hole) => inRing(hole, x, y));
}

function inRing(ring: number[][], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
