// A report's place on the city map, small, beside its facts: staff see where it is at a glance.
import { t, useLang } from "@shared/i18n";
import { canDrawMaps, loadCityMap } from "@shared/map-setup";
import { useAsync } from "@shared/ui";
import { useEffect, useRef, useState } from "preact/hooks";

const CLOSE_ZOOM = 15;

function pin(label: string): HTMLElement {
  const element = document.createElement("div");
  element.className = "place-pin";
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", label);
  element.append(document.createElement("span"));
  return element;
}

export function PlaceMap({ lat, long, label }: { lat: number; long: number; label: string }) {
  const lang = useLang();
  const loaded = useAsync(loadCityMap, []);
  const drawable = useState(canDrawMaps)[0];
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!loaded.data || !element.current || !drawable) return;
    const { gl, shape, source } = loaded.data;
    const made = gl.wardMap(element.current, shape, source);
    made.map.jumpTo({ center: [long, lat], zoom: CLOSE_ZOOM });
    gl.placePin(made.map, pin(label), [long, lat]);
    return () => made.destroy();
  }, [loaded.data, lat, long, lang]);
  if (!drawable) return null; // the coordinates above say where it is
  return <div ref={element} class="place-map" role="region" aria-label={t("detail.placeMap", { place: label })} />;
}
