// Where the problem is: tap the map (or press Enter on it for its centre), use the phone's
// position, or type coordinates.
import type { BoundaryCollection } from "@shared/field_reporting";
import { getLang, t, useLang } from "@shared/i18n";
import type { WardMap } from "@shared/map";
import { canDrawMaps, loadCityMap, wardAt } from "@shared/map-setup";
import { Failed, useAsync } from "@shared/ui";
import type { Marker } from "maplibre-gl";
import { useEffect, useRef, useState } from "preact/hooks";

export interface Point {
  lat: number;
  long: number;
}

function pin(): HTMLElement {
  const element = document.createElement("div");
  element.className = "pin";
  element.setAttribute("aria-hidden", "true"); // the ward hint and the coordinates say where it is
  element.append(document.createElement("span"));
  return element;
}

export function LocationPicker({ value, onChange }: { value: Point | null; onChange: (p: Point) => void }) {
  useLang();
  const loaded = useAsync(loadCityMap, []);
  const drawable = useState(canDrawMaps)[0];
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<WardMap | null>(null);
  const marker = useRef<Marker | null>(null);
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState("");

  useEffect(() => {
    if (!loaded.data || !element.current || !drawable) return;
    const made = loaded.data.gl.wardMap(element.current, loaded.data.shape, loaded.data.source);
    made.map.on("click", (event) => onChange({ lat: round(event.lngLat.lat), long: round(event.lngLat.lng) }));
    // The keyboard's tap: Enter on the map marks its centre (the arrow keys move the map).
    made.map.getCanvas().addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      const centre = made.map.getCenter();
      onChange({ lat: round(centre.lat), long: round(centre.lng) });
    });
    view.current = made;
    return () => {
      made.destroy();
      view.current = null;
      marker.current = null;
    };
  }, [loaded.data]);

  useEffect(() => {
    const made = view.current;
    if (!made || !value || !loaded.data) return;
    const at: [number, number] = [value.long, value.lat];
    if (!marker.current) {
      marker.current = loaded.data.gl.placePin(made.map, pin(), at);
    } else marker.current.setLngLat(at);
  }, [value, loaded.data]);

  function locate() {
    if (!navigator.geolocation) return setProblem(t("new.locationDenied"));
    setLocating(true);
    setProblem("");
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        const point = { lat: round(position.coords.latitude), long: round(position.coords.longitude) };
        onChange(point);
        view.current?.map.jumpTo({ center: [point.long, point.lat], zoom: 15 });
      },
      () => {
        setLocating(false);
        setProblem(t("new.locationDenied"));
      },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  }

  const ward = value && loaded.data ? wardName(loaded.data.shape, value) : null;
  return (
    <fieldset class="location">
      <legend>
        {t("new.location")} <span class="muted">{t("new.required")}</span>
      </legend>
      <p class="hint" id="location-hint">
        {t("new.locationHint")}
      </p>
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {drawable ? (
        <div ref={element} class="picker-map" aria-describedby="location-hint" />
      ) : (
        <p class="notice">{t("map.noWebgl")}</p>
      )}
      <div class="row">
        <button type="button" class="secondary" onClick={locate} disabled={locating}>
          {locating ? t("new.locating") : t("new.useMyLocation")}
        </button>
        <output class="ward-hint" aria-live="polite">
          {value ? (ward ? t("new.inWard", { ward }) : t("new.outside")) : ""}
        </output>
      </div>
      {problem && <p class="error-text">{problem}</p>}
      <details>
        <summary>{t("new.coordinates")}</summary>
        <div class="row">
          <div class="field">
            <label for="lat">{t("new.lat")}</label>
            <input
              id="lat"
              type="number"
              step="any"
              inputMode="decimal"
              value={value?.lat ?? ""}
              onChange={(e) => onChange({ lat: Number(e.currentTarget.value), long: value?.long ?? 0 })}
            />
          </div>
          <div class="field">
            <label for="long">{t("new.long")}</label>
            <input
              id="long"
              type="number"
              step="any"
              inputMode="decimal"
              value={value?.long ?? ""}
              onChange={(e) => onChange({ lat: value?.lat ?? 0, long: Number(e.currentTarget.value) })}
            />
          </div>
        </div>
      </details>
    </fieldset>
  );
}

function wardName(collection: BoundaryCollection, point: Point): string | null {
  const code = wardAt(collection, point.lat, point.long);
  const feature = collection.features.find((f) => f.properties.code === code);
  if (!feature) return null;
  return getLang() === "vi" ? feature.properties.name_vi : feature.properties.name_en;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
