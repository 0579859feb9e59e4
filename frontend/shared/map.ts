// The city's map: MapLibre GL, with the ward boundaries drawn over whatever the deployment's
// /map/config.json names (Amazon Location's streets, any style, a PMTiles extract), or over a
// plain background when it names nothing: then no tile is fetched and the map works offline.
import "maplibre-gl/dist/maplibre-gl.css";
import { layers as protomapsLayers, namedFlavor } from "@protomaps/basemaps";
import {
  addProtocol,
  type LayerSpecification,
  LngLatBounds,
  Map as GlMap,
  Marker,
  NavigationControl,
  prewarm,
  setWorkerUrl,
  type StyleSpecification,
} from "maplibre-gl";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?url";
import type { Feature, FeatureCollection } from "geojson";
import { Protocol } from "pmtiles";
import type { BoundaryCollection } from "./field_reporting";
import { getLang, t } from "./i18n";
import type { MapSetup } from "./map-setup";

export const CITY_CENTRE: [number, number] = [108.12, 10.93]; // [lon, lat], as GeoJSON

// Okabe–Ito inspired fills, light enough for dark labels and markers on top.
const WARD_FILLS = ["#cfe3f5", "#f6dfc0", "#d5ecd4", "#ead7f0", "#f3d3d3", "#d9e8e6", "#f1ecc7", "#dcdcf2"];
const PLAIN_BACKGROUND = "#b7d3ea";

let prepared = false;
function prepare(): void {
  if (prepared) return;
  prepared = true;
  // The worker is a file of the build (not a blob), so the CSP's script-src 'self' holds.
  setWorkerUrl(workerUrl);
  // Workers kept between maps: the next page's map needs no new fetch (none at all offline).
  prewarm();
  addProtocol("pmtiles", new Protocol().tile);
}

export interface WardMap {
  map: GlMap;
  /** Resolves once the style and the ward layers are on the map. */
  ready: Promise<void>;
  destroy(): void;
}

export function wardMap(element: HTMLElement, collection: BoundaryCollection, source: MapSetup): WardMap {
  prepare();
  const wards = colouredWards(collection);
  const bounds = boundsOf(collection);
  const map = new GlMap({
    container: element,
    style: baseStyle(source),
    center: CITY_CENTRE,
    zoom: 11,
    minZoom: 9,
    maxZoom: 18,
    ...(bounds ? { bounds, fitBoundsOptions: { padding: 8 } } : {}),
    attributionControl: {
      compact: false,
      customAttribution: [t("map.attribution"), source.attribution ?? ""].filter(Boolean),
    },
    dragRotate: false,
    pitchWithRotate: false,
    locale: uiStrings(),
    // Loading the wards is the map's one fetch when no basemap is set: none from MapLibre itself.
    maplibreLogo: false,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new NavigationControl({ showCompass: false }), "top-right");
  const ready = new Promise<void>((resolve) => {
    map.once("load", () => {
      addWardLayers(map, wards, source.kind === "wards" ? 0.85 : 0.18);
      resolve();
    });
  });
  const labels = wardLabels(collection).map((label) => label.addTo(map));
  // MapLibre follows the window's size; a box that grows later (flex layout) needs telling.
  const resize = new ResizeObserver(() => map.resize());
  resize.observe(element);
  return {
    map,
    ready,
    destroy() {
      resize.disconnect();
      for (const label of labels) label.remove();
      map.remove();
    },
  };
}

/** The resident's pin where the problem is (the picker's only marker). */
export function placePin(map: GlMap, element: HTMLElement, at: [number, number]): Marker {
  return new Marker({ element, anchor: "bottom" }).setLngLat(at).addTo(map);
}

function baseStyle(source: MapSetup): StyleSpecification | string {
  if (source.kind === "style" && source.style_url) return source.style_url;
  if (source.kind === "pmtiles" && source.pmtiles_url) {
    const url = new URL(source.pmtiles_url, window.location.href).href;
    // Without fonts the street names cannot be drawn: the streets are, unlabelled.
    const drawn = protomapsLayers("basemap", namedFlavor("light"), { lang: getLang() }).filter(
      (layer) => source.glyphs_url || layer.type !== "symbol",
    );
    return {
      version: 8,
      ...(source.glyphs_url ? { glyphs: source.glyphs_url } : {}),
      sources: { basemap: { type: "vector", url: `pmtiles://${url}`, attribution: source.attribution } },
      layers: drawn,
    };
  }
  return {
    version: 8,
    sources: {},
    layers: [{ id: "background", type: "background", paint: { "background-color": PLAIN_BACKGROUND } }],
  };
}

function colouredWards(collection: BoundaryCollection): FeatureCollection {
  return {
    type: "FeatureCollection",
    features: collection.features.map((feature) => ({
      ...(feature as Feature),
      properties: {
        ...feature.properties,
        fill: WARD_FILLS[(feature.properties.code?.charCodeAt(4) ?? 0) % WARD_FILLS.length],
      },
    })),
  };
}

function addWardLayers(map: GlMap, wards: FeatureCollection, opacity: number): void {
  map.addSource("wards", { type: "geojson", data: wards });
  const layers: LayerSpecification[] = [
    {
      id: "ward-fill",
      type: "fill",
      source: "wards",
      paint: { "fill-color": ["get", "fill"], "fill-opacity": opacity },
    },
    { id: "ward-line", type: "line", source: "wards", paint: { "line-color": "#1f3b57", "line-width": 1.5 } },
  ];
  for (const layer of layers) map.addLayer(layer);
}

/** Ward names as HTML over the map: readable without map fonts, and by screen readers. */
function wardLabels(collection: BoundaryCollection): Marker[] {
  return collection.features.map((feature) => {
    const label = document.createElement("div");
    label.className = "ward-label";
    label.textContent = getLang() === "vi" ? feature.properties.name_vi : feature.properties.name_en;
    return new Marker({ element: label, anchor: "center" }).setLngLat(centreOf(feature.geometry));
  });
}

function outerRings(geometry: BoundaryCollection["features"][0]["geometry"]): number[][][] {
  const polygons = (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  return polygons.map((rings) => rings[0]);
}

/** The centroid of the ward's largest polygon (where Leaflet put its label). */
function centreOf(geometry: BoundaryCollection["features"][0]["geometry"]): [number, number] {
  let best: { area: number; x: number; y: number } = { area: -1, x: CITY_CENTRE[0], y: CITY_CENTRE[1] };
  for (const ring of outerRings(geometry)) {
    let area = 0;
    let x = 0;
    let y = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += cross;
      x += (ring[j][0] + ring[i][0]) * cross;
      y += (ring[j][1] + ring[i][1]) * cross;
    }
    if (area !== 0 && Math.abs(area) > best.area) best = { area: Math.abs(area), x: x / (3 * area), y: y / (3 * area) };
  }
  return [best.x, best.y];
}

function boundsOf(collection: BoundaryCollection): LngLatBounds | null {
  const bounds = new LngLatBounds();
  for (const feature of collection.features) {
    for (const ring of outerRings(feature.geometry)) for (const [x, y] of ring) bounds.extend([x, y]);
  }
  return bounds.isEmpty() ? null : bounds;
}

function uiStrings(): Record<string, string> {
  return {
    "Map.Title": t("map.label"),
    "NavigationControl.ZoomIn": t("map.zoomIn"),
    "NavigationControl.ZoomOut": t("map.zoomOut"),
    "Popup.Close": t("map.closePopup"),
    "AttributionControl.ToggleAttribution": t("map.toggleAttribution"),
  };
}
