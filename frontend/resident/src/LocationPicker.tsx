// Where the problem is: tap the map, use the phone's position, or type coordinates.
import { type BoundaryCollection, boundaries } from "@shared/field_reporting";
import { getLang, t, useLang } from "@shared/i18n";
import { type WardMap, wardAt, wardMap } from "@shared/map";
import { Failed, useAsync } from "@shared/ui";
import L from "leaflet";
import { useEffect, useRef, useState } from "preact/hooks";

export interface Point {
  lat: number;
  long: number;
}

const PIN = L.divIcon({ className: "pin", html: "<span></span>", iconSize: [28, 28], iconAnchor: [14, 28] });

export function LocationPicker({ value, onChange }: { value: Point | null; onChange: (p: Point) => void }) {
  useLang();
  const loaded = useAsync(boundaries, []);
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<WardMap | null>(null);
  const marker = useRef<L.Marker | null>(null);
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState("");

  useEffect(() => {
    if (!loaded.data || !element.current) return;
    const made = wardMap(element.current, loaded.data);
    made.map.on("click", (event: L.LeafletMouseEvent) =>
      onChange({ lat: round(event.latlng.lat), long: round(event.latlng.lng) }),
    );
    view.current = made;
    return () => {
      made.destroy();
      view.current = null;
      marker.current = null;
    };
  }, [loaded.data]);

  useEffect(() => {
    const made = view.current;
    if (!made || !value) return;
    const at: L.LatLngExpression = [value.lat, value.long];
    if (!marker.current) {
      marker.current = L.marker(at, { icon: PIN, keyboard: false, interactive: false }).addTo(made.overlay);
    } else marker.current.setLatLng(at);
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
        view.current?.map.setView([point.lat, point.long], 15);
      },
      () => {
        setLocating(false);
        setProblem(t("new.locationDenied"));
      },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  }

  const ward = value && loaded.data ? wardName(loaded.data, value) : null;
  return (
    <fieldset class="location">
      <legend>
        {t("new.location")} <span class="muted">{t("new.required")}</span>
      </legend>
      <p class="hint" id="location-hint">
        {t("new.locationHint")}
      </p>
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      <div ref={element} class="picker-map" />
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
