// Cameras on the ward map (no tiles: works offline), coloured by health, with a table beside.
import { dateTime, number } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { Failed, Loading, useAsync } from "@shared/ui";
import { useCan } from "../shell/auth";
import { popupBox, WardMapView } from "@shared/WardMapView";
import L from "leaflet";
import { useEffect, useMemo } from "preact/hooks";
import { type CameraView, cameras } from "./api";
import { UploaderKey } from "./UploaderKey";

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
  const list = useAsync(cameras, [lang]);
  const admin = useCan("cameras.cameras.manage");

  useEffect(() => {
    const timer = window.setInterval(list.reload, 15000); // health changes as snapshots arrive
    return () => window.clearInterval(timer);
  }, []);

  // Connected cameras are drawn last, on top of the ones not yet connected.
  const drawn = useMemo(
    () => list.data && [...list.data].sort((a, b) => Number(a.active) - Number(b.active)),
    [list.data],
  );
  const all = list.data ?? [];
  const live = all.filter((c) => health(c) === "live").length;
  const silent = all.filter((c) => health(c) === "silent").length;
  const legend = (Object.keys(HEALTH_COLOURS) as Health[]).map((h) => ({
    key: h,
    colour: HEALTH_COLOURS[h],
    label: t(`cam.health.${h}`),
  }));
  return (
    <>
      <h1>{t("cam.map.title")}</h1>
      {list.error ? <Failed error={list.error} retry={list.reload} /> : null}
      {list.loading && !list.data && <Loading />}
      <p class="muted" role="status">
        {t("cam.map.shown", { n: number(all.length), live: number(live), silent: number(silent) })}
      </p>
      <WardMapView items={drawn} marker={marker} legend={legend} legendId="cam-legend" />
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
              {admin && <th scope="col">{t("cam.key.column")}</th>}
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
                  {admin && (
                    <td>
                      <UploaderKey camera={c} />
                    </td>
                  )}
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
  const seen = c.health.last_seen_at ? [t("cam.lastSeen", { at: dateTime(c.health.last_seen_at) })] : [];
  dot.bindPopup(popupBox(`${c.camera_id} · ${c.name}`, [t(`cam.health.${state}`), ...seen]));
  dot.bindTooltip(`${c.camera_id} · ${t(`cam.health.${state}`)}`);
  return dot;
}
