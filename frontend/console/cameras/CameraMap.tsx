// Cameras on the city map, clustered, coloured by health, with a table of all
// of them beside (a page at a time), connected ones first.
import { dateTime, number } from "@shared/format";
import { type Lang, t, useLang } from "@shared/i18n";
import { Failed, Loading, useAsync } from "@shared/ui";
import { useCan } from "../shell/auth";
import { type MapPoint, popupBox, WardMapView } from "@shared/WardMapView";
import { useEffect, useMemo, useState } from "preact/hooks";
import { type CameraView, cameras } from "./api";
import { UploaderKey } from "./UploaderKey";

type Health = "live" | "silent" | "waiting" | "off";
const PAGE = 20;

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
  const [page, setPage] = useState(0);

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
  // Connected cameras first, then the ones registered and not yet connected, each by id.
  const listed = useMemo(
    () => [...all].sort((a, b) => Number(b.active) - Number(a.active) || a.camera_id.localeCompare(b.camera_id)),
    [list.data],
  );
  const pages = Math.max(1, Math.ceil(listed.length / PAGE));
  const shown = Math.min(page, pages - 1);
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
      <WardMapView items={drawn} point={point} legend={legend} legendId="cam-legend" />
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
            {listed.slice(shown * PAGE, (shown + 1) * PAGE).map((c) => (
              <tr key={c.camera_id}>
                <th scope="row">
                  {c.camera_id} · {c.name}
                </th>
                <td>{t(`cam.kind.${c.kind}`)}</td>
                <td>{wardName(c, lang)}</td>
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
      {pages > 1 && (
        <nav class="cam-pages" aria-label={t("cam.table.pages")}>
          <button type="button" class="secondary" disabled={shown === 0} onClick={() => setPage(shown - 1)}>
            {t("cam.table.prev")}
          </button>
          <span aria-live="polite">{t("cam.table.page", { page: number(shown + 1), pages: number(pages) })}</span>
          <button type="button" class="secondary" disabled={shown >= pages - 1} onClick={() => setPage(shown + 1)}>
            {t("cam.table.next")}
          </button>
        </nav>
      )}
    </>
  );
}

export function wardName(c: CameraView, lang: Lang): string {
  return c.ward?.name[lang] ?? c.ward_code;
}

export function rate(value: number | null): string {
  return value === null ? "—" : `${Math.round(value * 100)} %`;
}

function point(c: CameraView): MapPoint {
  const state = health(c);
  const seen = c.health.last_seen_at ? [t("cam.lastSeen", { at: dateTime(c.health.last_seen_at) })] : [];
  return {
    at: [c.lat, c.lon],
    colour: HEALTH_COLOURS[state],
    size: c.kind === "hd" ? 16 : 12,
    label: `${c.camera_id} · ${c.name} · ${t(`cam.health.${state}`)}`,
    className: `camera-dot health-dot-${state}`,
    popup: () => popupBox(`${c.camera_id} · ${c.name}`, [c.ward?.name.vi ?? c.ward_code, t(`cam.health.${state}`), ...seen]),
  };
}
