// Before sending: open reports of the same category near the chosen place, recently. The
// resident may follow one of them instead of sending the same problem again.
import { ApiError } from "@shared/api";
import { type NearbyItem, nearbyReports } from "@shared/field_reporting";
import { dateTime } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link, navigate } from "@shared/router";
import { Alert, type Told, toldText, StatusBadge, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { follow, session } from "./account";
import type { Point } from "./LocationPicker";

const SHOWN = 5;

/** The nearby reports (none until both category and place are chosen, or offline). */
export function useNearby(code: string, point: Point | null) {
  return useAsync(async () => {
    if (!code || !point || !navigator.onLine) return [];
    try {
      return (await nearbyReports(code, point.lat, point.long)).items;
    } catch (error) {
      // A hint, not a step: a place outside the city or a lost connection shows nothing.
      if (error instanceof ApiError) return [];
      throw error;
    }
  }, [code, point?.lat, point?.long]);
}

export function Nearby({ items }: { items: NearbyItem[] }) {
  useLang();
  const signedIn = session.use();
  const [busy, setBusy] = useState("");
  const [error, setError] = useState<Told>(null);
  if (!items.length) return null;

  async function followOne(id: string) {
    setBusy(id);
    setError(null);
    try {
      await follow(id);
      navigate(`reports/${encodeURIComponent(id)}?followed=1`);
    } catch (failure) {
      setError({ failure });
      setBusy("");
    }
  }

  return (
    <section class="card nearby" aria-labelledby="nearby-title">
      <h2 id="nearby-title">{t("nearby.title", { n: items.length })}</h2>
      <p class="hint">{t("nearby.hint")}</p>
      <ul class="report-list">
        {items.slice(0, SHOWN).map((item) => (
          <li key={item.id} class="report-card">
            <span class="report-card-top">
              <strong>{pick(item.service.name)}</strong>
              <StatusBadge code={item.status.code} label={item.status.label} />
            </span>
            <span class="muted">
              {t("nearby.distance", { m: Math.round(item.distance_m) })} · {pick(item.ward.name)} ·{" "}
              {dateTime(item.requested_datetime)}
            </span>
            {item.description && <span>{item.description}</span>}
            <span class="row">
              {signedIn ? (
                <button type="button" class="secondary" disabled={!!busy} onClick={() => followOne(item.id)}>
                  {busy === item.id ? t("nearby.following") : t("nearby.follow", { id: item.id })}
                </button>
              ) : (
                <Link to={`reports/${encodeURIComponent(item.id)}`}>{t("nearby.open", { id: item.id })}</Link>
              )}
            </span>
          </li>
        ))}
      </ul>
      {!signedIn && (
        <p class="hint">
          {t("nearby.signinToFollow")} <Link to="signin">{t("nav.signin")}</Link>
        </p>
      )}
      {error && <Alert>{toldText(error)}</Alert>}
    </section>
  );
}
