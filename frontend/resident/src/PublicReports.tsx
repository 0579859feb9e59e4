// The city's recent reports, as anyone may see them (FixMyStreet's first page): a map and a
// list, without personal data (the API masks the words and never says who sent a report).
import { type PublicReportItem, publicReports } from "@shared/field_reporting";
import { dateTime, number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link, navigate } from "@shared/router";
import { Failed, Loading, StatusBadge, useAsync } from "@shared/ui";
import { type MapPoint, popupBox, WardMapView } from "@shared/WardMapView";
import { useState } from "preact/hooks";

// The map draws at most this many (the API's page); the list starts shorter and grows.
const ON_MAP = 100;
const LISTED = 10;
const COLOURS = { open: "#b26b00", resolved: "#1b6b33" };

function colour(r: PublicReportItem): string {
  return r.status.state === "open" ? COLOURS.open : COLOURS.resolved;
}

function point(r: PublicReportItem): MapPoint {
  const title = `${r.id} · ${pick(r.service.name)}`;
  return {
    at: [r.lat, r.long],
    colour: colour(r),
    label: `${title} · ${pick(r.status.label)}`,
    className: "report-dot",
    popup: () => {
      const open = document.createElement("button");
      open.type = "button";
      open.className = "link";
      open.textContent = t("public.open");
      open.addEventListener("click", () => navigate(`reports/${encodeURIComponent(r.id)}`));
      return popupBox(title, [pick(r.status.label)], open);
    },
  };
}

export function PublicReports() {
  const lang = useLang();
  const recent = useAsync(() => publicReports(ON_MAP), [lang]);
  const [listed, setListed] = useState(LISTED);
  const page = recent.data;
  const legend = [
    { key: "open", colour: COLOURS.open, label: t("public.legendOpen") },
    { key: "resolved", colour: COLOURS.resolved, label: t("public.legendResolved") },
  ];
  return (
    <section class="public-reports" aria-labelledby="public-title">
      <h2 id="public-title">{t("public.title")}</h2>
      {recent.loading && !page && <Loading />}
      {recent.error ? <Failed error={recent.error} retry={recent.reload} /> : null}
      {page && (
        <p class="muted" role="status">
          {t("public.shown", { n: number(page.items.length), total: number(page.total), days: page.days })}
        </p>
      )}
      <WardMapView items={page?.items} point={point} legend={legend} legendId="public-legend" />
      {page && page.items.length > 0 && (
        <ul class="report-list public-list">
          {page.items.slice(0, listed).map((r) => (
            <li key={r.id}>
              <Link to={`reports/${encodeURIComponent(r.id)}`} class="report-card">
                <span class="report-card-top">
                  <strong>{pick(r.service.name)}</strong>
                  <StatusBadge code={r.status.code} label={r.status.label} />
                </span>
                <span class="muted">
                  {r.id} · {pick(r.ward.name)} · {dateTime(r.requested_datetime)}
                </span>
                {r.description && <span class="summary">{r.description}</span>}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {page && listed < page.items.length && (
        <button type="button" class="secondary wide" onClick={() => setListed((n) => n + LISTED)}>
          {t("public.more")}
        </button>
      )}
    </section>
  );
}
