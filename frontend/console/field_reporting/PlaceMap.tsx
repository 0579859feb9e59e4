// A report's place on the ward map, small, beside its facts: staff see where it is at a glance.
import { boundaries } from "@shared/field_reporting";
import { t, useLang } from "@shared/i18n";
import { type WardMap, wardMap } from "@shared/map";
import { useAsync } from "@shared/ui";
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";

const CLOSE_ZOOM = 15;

export function PlaceMap({ lat, long, label }: { lat: number; long: number; label: string }) {
  const lang = useLang();
  const shape = useAsync(boundaries, []);
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<WardMap | null>(null);
  useEffect(() => {
    if (!shape.data || !element.current) return;
    const made = wardMap(element.current, shape.data);
    made.map.setView([lat, long], CLOSE_ZOOM, { animate: false });
    L.circleMarker([lat, long], { radius: 9, color: "#ffffff", weight: 2, fillColor: "#a4161a", fillOpacity: 1 })
      .bindTooltip(label)
      .addTo(made.overlay);
    element.current.setAttribute("aria-label", t("detail.placeMap", { place: label }));
    view.current = made;
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, [shape.data, lat, long, lang]);
  return <div ref={element} class="place-map" />;
}
