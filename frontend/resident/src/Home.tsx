// My reports: from my account when signed in, and those sent from this device.
import { report } from "@shared/field_reporting";
import { dateTime, isOverdue } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link, navigate } from "@shared/router";
import { Failed, Loading, OverdueBadge, StatusBadge, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { type MyReportItem, myReports, sentHere, session } from "./account";

type Listed = Pick<MyReportItem, "id" | "service" | "status" | "requested_datetime" | "expected_datetime"> & {
  closed?: boolean;
  following?: boolean;
};

async function load(signedIn: boolean): Promise<Listed[]> {
  const mine: Listed[] = signedIn ? await myReports() : [];
  const seen = new Set(mine.map((r) => r.id));
  const local = await Promise.all(
    sentHere()
      .filter((id) => !seen.has(id))
      .map((id) => report(id).catch(() => null)),
  );
  return [...mine, ...local.filter((r): r is NonNullable<typeof r> => r !== null)];
}

export function Home() {
  const lang = useLang();
  const signedIn = session.use();
  const reports = useAsync(() => load(!!signedIn), [signedIn?.token, lang]);
  const [id, setId] = useState("");
  return (
    <>
      <Link to="new" class="button wide big">
        + {t("home.new")}
      </Link>
      <h1>{t("home.title")}</h1>
      {!signedIn && (
        <p class="muted">
          {t("home.signinHint")} <Link to="signin">{t("nav.signin")}</Link>
        </p>
      )}
      {reports.loading && !reports.data && <Loading />}
      {reports.error ? <Failed error={reports.error} retry={reports.reload} /> : null}
      {reports.data && reports.data.length === 0 && <p>{t("home.empty")}</p>}
      {reports.data && reports.data.length > 0 && (
        <ul class="report-list">
          {reports.data.map((r) => (
            <li key={r.id}>
              <Link to={`reports/${encodeURIComponent(r.id)}`} class="report-card">
                <span class="report-card-top">
                  <strong>{pick(r.service.name)}</strong>
                  <StatusBadge code={r.status.code} label={r.status.label} />
                </span>
                <span class="muted">
                  {r.id} · {dateTime(r.requested_datetime)}
                  {r.following ? ` · ${t("home.following")}` : ""}
                </span>
                {r.status.state === "open" && isOverdue(r.expected_datetime, null) && <OverdueBadge />}
              </Link>
            </li>
          ))}
        </ul>
      )}
      <form
        class="track-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) navigate(`reports/${encodeURIComponent(id.trim())}`);
        }}
      >
        <h2>{t("home.track")}</h2>
        <label for="track-id">{t("home.trackId")}</label>
        <div class="row">
          <input id="track-id" value={id} onInput={(e) => setId(e.currentTarget.value)} autocomplete="off" />
          <button type="submit">{t("home.trackGo")}</button>
        </div>
      </form>
    </>
  );
}
