// The items of a map page over the city map: MapLibre's GeoJSON source clusters them, and
// what it shows now is drawn as HTML buttons (focusable, named for screen readers, a popup each).
import type { Point } from "geojson";
import { type GeoJSONSource, type Map as GlMap, Marker, Popup } from "maplibre-gl";
import { number } from "./format";
import { t } from "./i18n";
import { ITEMS_SOURCE as SOURCE } from "./map-setup";

/** One item as the map draws it. */
export interface MapPoint {
  /** [lat, lon] */
  at: [number, number];
  colour: string;
  /** What a screen reader and the tooltip say. */
  label: string;
  className?: string;
  size?: number;
  popup?: () => HTMLElement;
}

/** The HTML markers of what the clustered source shows now: a button per cluster and per item
 * left alone, kept in step with the source as the map moves or the data changes. */
export class ItemMarkers {
  private shown = new Map<string, Marker>();
  private popup: Popup | null = null;
  private readonly sync = () => this.update();
  private readonly onData = (event: { sourceId?: string; isSourceLoaded?: boolean }) => {
    if (event.sourceId === SOURCE && event.isSourceLoaded) this.update();
  };

  constructor(
    private readonly map: GlMap,
    private readonly points: MapPoint[],
  ) {
    map.on("sourcedata", this.onData);
    map.on("moveend", this.sync);
    map.on("idle", this.sync);
  }

  remove(): void {
    this.map.off("sourcedata", this.onData);
    this.map.off("moveend", this.sync);
    this.map.off("idle", this.sync);
    this.popup?.remove();
    for (const marker of this.shown.values()) marker.remove();
    this.shown.clear();
  }

  private update(): void {
    const wanted = new Map<string, () => Marker>();
    for (const feature of this.map.querySourceFeatures(SOURCE)) {
      const props = feature.properties ?? {};
      if (props.cluster) {
        const id = Number(props.cluster_id);
        const [lon, lat] = (feature.geometry as Point).coordinates;
        wanted.set(`c${id}`, () => this.cluster(id, Number(props.point_count), [lon, lat]));
      } else {
        const index = Number(props.index);
        wanted.set(`p${index}`, () => this.item(this.points[index]));
      }
    }
    for (const [key, marker] of this.shown) {
      if (!wanted.has(key)) {
        marker.remove();
        this.shown.delete(key);
      }
    }
    for (const [key, make] of wanted) {
      if (!this.shown.has(key)) this.shown.set(key, make().addTo(this.map));
    }
  }

  private cluster(id: number, count: number, at: [number, number]): Marker {
    const size = count < 10 ? 30 : count < 100 ? 38 : 46;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "map-cluster";
    button.style.width = button.style.height = `${size}px`;
    const label = t("map.cluster", { n: number(count) });
    button.setAttribute("aria-label", label);
    button.title = label;
    const shown = document.createElement("span");
    shown.setAttribute("aria-hidden", "true");
    shown.textContent = number(count);
    button.append(shown);
    button.addEventListener("click", async () => {
      const source = this.map.getSource(SOURCE) as GeoJSONSource;
      const zoom = await source.getClusterExpansionZoom(id);
      this.map.jumpTo({ center: at, zoom: Math.min(zoom, this.map.getMaxZoom()) });
      this.map.getCanvas().focus(); // the button is gone with its cluster; the map keeps the focus
    });
    return new Marker({ element: button }).setLngLat(at);
  }

  private item(point: MapPoint): Marker {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `map-dot ${point.className ?? ""}`.trim();
    const size = point.size ?? 14;
    button.style.width = button.style.height = `${size}px`;
    button.style.background = point.colour;
    button.setAttribute("aria-label", point.label);
    button.title = point.label;
    const at: [number, number] = [point.at[1], point.at[0]];
    if (point.popup) {
      const content = point.popup;
      button.addEventListener("click", (event) => {
        event.stopPropagation(); // a click on the map closes popups: not this one's own click
        this.popup?.remove();
        this.popup = new Popup({ maxWidth: "18rem", offset: size / 2 + 4 })
          .setLngLat(at)
          .setDOMContent(content())
          .addTo(this.map);
      });
    }
    return new Marker({ element: button }).setLngLat(at);
  }
}

