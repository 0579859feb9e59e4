// False-alarm rates per camera: what operators' verdicts say about each camera.
import { number } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { Failed, Loading, useAsync } from "@shared/ui";
import { stats } from "./api";
import { rate } from "./CameraMap";

export function CameraStats() {
  const lang = useLang();
  const figures = useAsync(stats, [lang]);
  const rows = (figures.data?.cameras ?? []).filter((c) => c.alerts > 0 || c.quarantined > 0);
  return (
    <>
      <h1>{t("cam.stats.title")}</h1>
      {figures.loading && !figures.data && <Loading />}
      {figures.error ? <Failed error={figures.error} retry={figures.reload} /> : null}
      {figures.data && (
        <div class="table-wrap card flush">
          <table>
            <caption class="visually-hidden">{t("cam.stats.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("cam.camera")}</th>
                <th scope="col">{t("cam.stats.alerts")}</th>
                <th scope="col">{t("cam.stats.verified")}</th>
                <th scope="col">{t("cam.stats.false")}</th>
                <th scope="col">{t("cam.stats.rate")}</th>
                <th scope="col">{t("cam.stats.quarantined")}</th>
              </tr>
            </thead>
            <tbody>
              <tr class="total">
                <th scope="row">{t("cam.stats.city")}</th>
                <td>{number(figures.data.all.alerts)}</td>
                <td>{number(figures.data.all.verified)}</td>
                <td>{number(figures.data.all.false_alarms)}</td>
                <td>{rate(figures.data.all.false_alarm_rate)}</td>
                <td>{number(figures.data.all.quarantined)}</td>
              </tr>
              {rows.map((c) => (
                <tr key={c.camera_id}>
                  <th scope="row">{c.camera_id}</th>
                  <td>{number(c.alerts)}</td>
                  <td>{number(c.verified)}</td>
                  <td>{number(c.false_alarms)}</td>
                  <td>{rate(c.false_alarm_rate)}</td>
                  <td>{number(c.quarantined)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
