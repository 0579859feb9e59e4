// The first page: what waits on this phone to be sent, my reports (from my account when signed
// in: those I sent and those I follow, on any device; and those sent or followed from this
// device), look-up by id, then the city's recent ones.
import { categoryList, report } from "@shared/field_reporting";
import { dateTime, isOverdue } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { currentQuery, Link, navigate } from "@shared/router";
import { Alert, Failed, Loading, OverdueBadge, StatusBadge, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { followedHere, type MyReportItem, myFollows, myReports, sentHere, session } from "./account";
import { discard, flush, onOutbox, type Waiting, waiting } from "./outbox";
import { PublicReports } from "./PublicReports";

type Listed = Pick<MyReportItem, "id" | "service" | "status" | "requested_datetime" | "expected_datetime"> & {
  following?: boolean;
};

async function load(signedIn: boolean): Promise<Listed[]> {
  const [sent, follows] = signedIn ? await Promise.all([myReports(), myFollows()]) : [[], []];
  const sentIds = new Set(sent.map((r) => r.id));
  const mine: Listed[] = [...sent, ...follows.filter((r) => !sentIds.has(r.id))];
  const seen = new Set(mine.map((r) => r.id));
  const followed = new Set(followedHere());
  const local = await Promise.all(
    [...sentHere(), ...followed]
      .filter((id, index, all) => !seen.has(id) && all.indexOf(id) === index)
      .map((id) => report(id).then((r): Listed => ({ ...r, following: followed.has(id) }), () => null)),
  );
  return [...mine, ...local.filter((r): r is Listed => r !== null)];
}

/** What waits in the outbox, kept current as it is sent. */
function useWaiting(): Waiting[] {
  const [entries, setEntries] = useState<Waiting[]>([]);
  useEffect(() => {
    const read = () => void waiting().then(setEntries, () => setEntries([]));
    read();
    return onOutbox(read);
  }, []);
  return entries;
}

export function Home() {
  const lang = useLang();
  const signedIn = session.use();
  const pending = useWaiting();
  const reports = useAsync(() => load(!!signedIn), [signedIn?.token, lang, pending.length]);
  const [queued] = useState(() => currentQuery().get("queued") === "1");
  const [id, setId] = useState("");
  return (
    <>
      <Link to="new" class="button wide big">
        + {t("home.new")}
      </Link>
      {queued && pending.length > 0 && <Alert kind="info">{t("outbox.kept")}</Alert>}
      {pending.length > 0 && <Outbox entries={pending} />}
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
          if (id.trim()) navigate(`reports/${encodeURIComponent(id.trim().toUpperCase())}`);
        }}
      >
        <h2>{t("home.track")}</h2>
        <label for="track-id">{t("home.trackId")}</label>
        <div class="row">
          <input id="track-id" value={id} onInput={(e) => setId(e.currentTarget.value)} autocomplete="off" />
          <button type="submit">{t("home.trackGo")}</button>
        </div>
      </form>
      <PublicReports />
    </>
  );
}

function Outbox({ entries }: { entries: Waiting[] }) {
  const lang = useLang();
  const [sending, setSending] = useState(false);
  // The category in the language shown now (the name kept is the one it was written in).
  const named = useAsync(() => categoryList().catch(() => []), [lang]);
  const name = (entry: Waiting) =>
    named.data?.find((s) => s.code === entry.body.service_code)?.name ?? entry.service;
  return (
    <section class="card outbox" aria-labelledby="outbox-title">
      <h2 id="outbox-title">{t("outbox.title", { n: entries.length })}</h2>
      <p class="hint">{t("outbox.hint")}</p>
      <ul class="report-list">
        {entries.map((entry) => (
          <li key={entry.key} class="report-card">
            <span class="report-card-top">
              <strong>{name(entry)}</strong>
              <span class={`badge ${entry.error ? "status-rejected" : "waiting"}`}>
                {entry.error ? t("outbox.failed") : t("outbox.waiting")}
              </span>
            </span>
            <span class="muted">{t("outbox.written", { at: dateTime(entry.queued_at) })}</span>
            {entry.error && (
              <>
                <span class="error-text">{entry.error}</span>
                <button type="button" class="secondary" onClick={() => void discard(entry.key)}>
                  {t("outbox.discard")}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <button
        type="button"
        class="secondary"
        disabled={sending}
        onClick={() => {
          setSending(true);
          void flush().finally(() => setSending(false));
        }}
      >
        {sending ? t("new.sending") : t("outbox.sendNow")}
      </button>
    </section>
  );
}
