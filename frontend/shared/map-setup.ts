// What the maps need before MapLibre loads (it is a chunk of its own, fetched with the first
// map): the deployment's map source, whether the browser can draw, which ward holds a point.
import { type BoundaryCollection, boundaries } from "./field_reporting";

/** What /map/config.json says (ioc_core/platform/map_style.py, BrowserMap). */
export interface MapSetup {
  kind: "wards" | "style" | "pmtiles";
  style_url?: string;
  pmtiles_url?: string;
  glyphs_url?: string;
  attribution?: string;
}

/** The map's clustered GeoJSON source of a page's items (map-items.ts draws it). */
export const ITEMS_SOURCE = "items";

const WARDS_ONLY: MapSetup = { kind: "wards" };
let setup: Promise<MapSetup> | null = null;

/** The deployment's map source, read once; unreadable (offline, old deployment): the plain wards. */
export function mapSetup(): Promise<MapSetup> {
  setup ??= fetch("/map/config.json", { headers: { Accept: "application/json" } })
    .then((reply) => (reply.ok ? (reply.json() as Promise<MapSetup>) : WARDS_ONLY))
    .catch(() => WARDS_ONLY);
  return setup;
}

/** MapLibre draws with WebGL; a browser without it gets the page without the map. */
export function canDrawMaps(): boolean {
  const canvas = document.createElement("canvas");
  return Boolean(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
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

/** What a map of the city needs: the wards, the deployment's map source, and MapLibre itself
 * (``gl``: a chunk of its own, fetched with the first map). */
export async function loadCityMap() {
  const [shape, source, gl] = await Promise.all([boundaries(), mapSetup(), import("./map")]);
  return { shape, source, gl };
}
