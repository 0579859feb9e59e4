// Cameras on the ward map (no tiles: works offline), coloured by health, with a table beside.
import { boundaries } from "@shared/field_reporting";
import { dateTime, number } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { type WardMap, wardMap } from "@shared/map";
import { Failed, Loading, useAsync } from "@shared/ui";
import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import { type CameraView, cameras } from "./api";

type Health = "live" | "silent" | "waiting" | "off";

export const HEALTH_COLOURS: Record<Health, string> = {
  live: "#1b6b33",
  silent: "#b3261e",
  waiting: "#b26b00",
  off: "#5a6570",
};

export function health(c: CameraView): Health {
  if (!c.active) return "off";
  if (c.health.silent) return "silent";
  return c.health.last_seen_at ? "live" : "waiting";
}

export function CameraMap() {
  const lang = useLang();
  const shape = useAsync(boundaries, []);
  const list = useAsync(cameras, [lang]);
  const element = useRef<HTMLDivElement>(null);
  const view = useRef<WardMap | null>(null);

  useEffect(() => {
    const timer = window.setInterval(list.reload, 15000); // health changes as snapshots arrive
    return () => window.clearInterval(timer);
  }, []);

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
    // Connected cameras are drawn last, on top of the ones not yet connected.
    const drawn = [...(list.data ?? [])].sort((a, b) => Number(a.active) - Number(b.active));
    for (const c of drawn) made.overlay.addLayer(marker(c));
  }, [list.data, shape.data, lang]);

  const all = list.data ?? [];
  const live = all.filter((c) => health(c) === "live").length;
  const silent = all.filter((c) => health(c) === "silent").length;
  return (
    <>
      <h1>{t("cam.map.title")}</h1>
      {shape.error ? <Failed error={shape.error} retry={shape.reload} /> : null}
      {list.error ? <Failed error={list.error} retry={list.reload} /> : null}
      {(shape.loading || list.loading) && !list.data && <Loading />}
      <p class="muted" role="status">
        {t("cam.map.shown", { n: number(all.length), live: number(live), silent: number(silent) })}
      </p>
      <div class="map-layout">
        <div ref={element} class="reports-map" />
        <section class="card legend" aria-labelledby="cam-legend">
          <h2 id="cam-legend">{t("map.legend")}</h2>
          <ul>
            {(Object.keys(HEALTH_COLOURS) as Health[]).map((h) => (
              <li key={h}>
                <span class="swatch" style={{ background: HEALTH_COLOURS[h] }} aria-hidden="true" />
                {t(`cam.health.${h}`)}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <div class="table-wrap card flush cam-table">
        <table>
          <caption class="visually-hidden">{t("cam.table.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cam.camera")}</th>
              <th scope="col">{t("cam.kind")}</th>
              <th scope="col">{t("cam.ward")}</th>
              <th scope="col">{t("cam.health")}</th>
              <th scope="col">{t("cam.stats.rate")}</th>
            </tr>
          </thead>
          <tbody>
            {all
              .filter((c) => c.active)
              .map((c) => (
                <tr key={c.camera_id}>
                  <th scope="row">
                    {c.camera_id} · {c.name}
                  </th>
                  <td>{t(`cam.kind.${c.kind}`)}</td>
                  <td>{c.ward_code}</td>
                  <td>
                    <span class={`health health-${health(c)}`}>{t(`cam.health.${health(c)}`)}</span>{" "}
                    {c.health.last_seen_at && (
                      <span class="muted">{t("cam.lastSeen", { at: dateTime(c.health.last_seen_at) })}</span>
                    )}
                  </td>
                  <td>{rate(c.stats.false_alarm_rate)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function rate(value: number | null): string {
  return value === null ? "—" : `${Math.round(value * 100)} %`;
}

function marker(c: CameraView): L.CircleMarker {
  const state = health(c);
  const dot = L.circleMarker([c.lat, c.lon], {
    radius: c.kind === "hd" ? 8 : 6,
    color: "#ffffff",
    weight: 1.5,
    fillColor: HEALTH_COLOURS[state],
    fillOpacity: 0.95,
  });
  const box = document.createElement("div");
  const title = document.createElement("strong");
  title.textContent = `${c.camera_id} · ${c.name}`;
  const line = document.createElement("div");
  line.textContent = t(`cam.health.${state}`);
  box.append(title, line);
  if (c.health.last_seen_at) {
    const seen = document.createElement("div");
    seen.textContent = t("cam.lastSeen", { at: dateTime(c.health.last_seen_at) });
    box.append(seen);
  }
  dot.bindPopup(box);
  dot.bindTooltip(`${c.camera_id} · ${t(`cam.health.${state}`)}`);
  return dot;
}
