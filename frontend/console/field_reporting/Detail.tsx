// One report in full for staff: facts, photos, clocks, history, and what the signed-in role
// may do now (the API's allowed_actions; it enforces them too).
import { type CategoryView, categoryList, uploadPhoto } from "@shared/field_reporting";
import { useBusy } from "@shared/forms";
import { dateTime, percent } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Alert, Failed, Loading, OverdueBadge, Photos, StatusBadge, Timeline, useAsync } from "@shared/ui";
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { session } from "../shell/auth";
import { PlaceMap } from "./PlaceMap";
import { act, duplicates, type ReportDetail, reportDetail, units, unitStaff } from "./api";

const STAFF_ACTIONS = [
  "verify", "assign", "assign_person", "start", "resolve", "request_info", "merge", "reject", "hand_back", "note",
];
const REJECT_REASONS = ["out_of_scope", "not_competent", "duplicate", "false_report", "insufficient_info", "complaint"];

export function Detail({ id }: { id: string }) {
  const lang = useLang();
  const loaded = useAsync(() => reportDetail(id), [id, lang]);
  const catalogue = useAsync(categoryList, [lang]);
  const [done, setDone] = useState("");
  if (loaded.loading && !loaded.data)
    return (
      <>
        <h1>{t("detail.title", { id })}</h1>
        <Loading />
      </>
    );
  if (loaded.error || !loaded.data)
    return (
      <>
        <h1>{t("detail.title", { id })}</h1>
        <Failed error={loaded.error} retry={loaded.reload} />
      </>
    );
  const r = loaded.data;
  const actions = STAFF_ACTIONS.filter((action) => r.allowed_actions.includes(action));
  const contact = r.contact && [r.contact.first_name, r.contact.last_name].filter(Boolean).join(" ");
  return (
    <article class="detail">
      <p>
        <Link to="reports">{t("detail.back")}</Link>
      </p>
      <div class="page-head">
        <h1>{t("detail.title", { id: r.id })}</h1>
        <p>
          <StatusBadge code={r.status.code} label={r.status.label} /> {r.overdue && <OverdueBadge />}
        </p>
        {r.waiting_on_resident && (
          <p class="waiting-note">
            <span class="badge waiting">{t("waiting.resident")}</span>
          </p>
        )}
        <p class="no-print">
          <button type="button" class="secondary" onClick={() => window.print()}>
            {t("detail.print")}
          </button>
        </p>
      </div>
      <p class="print-only">{t("detail.printed", { at: dateTime(new Date().toISOString()) })}</p>
      {done && <Alert kind="success">{done}</Alert>}
      <div class="detail-grid">
        <section class="card" aria-label={t("detail.facts")}>
          <dl class="facts">
            <dt>{t("report.category")}</dt>
            <dd>{pick(r.service.name)}</dd>
            <dt>{t("report.ward")}</dt>
            <dd>{pick(r.ward.name)}</dd>
            <dt>{t("detail.unit")}</dt>
            <dd>{r.unit ? pick(r.unit.name) : "—"}</dd>
            <dt>{t("detail.assignee")}</dt>
            <dd id="assignee">{r.assignee ?? t("detail.nobody")}</dd>
            <dt>{t("report.requested")}</dt>
            <dd>{dateTime(r.requested_datetime)}</dd>
            <dt>{t("report.expected")}</dt>
            <dd>{dateTime(r.expected_datetime)}</dd>
            {r.address && (
              <>
                <dt>{t("detail.address")}</dt>
                <dd>{r.address}</dd>
              </>
            )}
            <dt>{t("detail.location")}</dt>
            <dd>
              {r.lat.toFixed(5)}, {r.long.toFixed(5)}
              <PlaceMap lat={r.lat} long={r.long} label={r.address ?? pick(r.ward.name)} />
            </dd>
            <dt>{t("detail.channel")}</dt>
            <dd>{channelName(r.channel)}</dd>
            {r.contact && (
              <>
                <dt>{t("detail.reporter")}</dt>
                <dd>{[contact, r.contact.phone, r.contact.email].filter(Boolean).join(" · ") || "—"}</dd>
              </>
            )}
            {r.transfers > 0 && (
              <>
                <dt>{t("detail.transfers")}</dt>
                <dd>{r.transfers}</dd>
              </>
            )}
            {r.ratings.length > 0 && (
              <>
                <dt>{t("report.rating")}</dt>
                <dd>
                  {r.ratings.map((rating) => (
                    <div key={rating.at}>
                      {t("detail.ratingGiven", { n: rating.score })}
                      {rating.comment && <q> {rating.comment}</q>}
                    </div>
                  ))}
                </dd>
              </>
            )}
          </dl>
          {r.description && (
            <>
              <h2>{t("report.description")}</h2>
              <p class="description">{r.description}</p>
            </>
          )}
          {Object.keys(r.attributes).length > 0 && (
            <>
              <h2>{t("detail.attributes")}</h2>
              <dl class="facts">
                {Object.entries(r.attributes).map(([code, value]) => {
                  const [label, shown] = answer(catalogue.data?.find((c) => c.code === r.service.code), code, value);
                  return (
                    <Fragment key={code}>
                      <dt>{label}</dt>
                      <dd>{shown}</dd>
                    </Fragment>
                  );
                })}
              </dl>
            </>
          )}
          {r.photos.length > 0 && (
            <>
              <h2>{t("report.photos")}</h2>
              <Photos photos={r.photos} />
            </>
          )}
          {(r.after_photos.length > 0 || r.resolution_note) && (
            <>
              <h2>{t("detail.resolution")}</h2>
              {r.resolution_note && <p class="description">{r.resolution_note}</p>}
              <Photos photos={r.after_photos} label={t("photo.after")} />
            </>
          )}
          {r.clocks.length > 0 && (
            <>
              <h2>{t("detail.sla")}</h2>
              <ul class="clocks">
                {r.clocks.map((clock) => (
                  <li key={clock.clock}>
                    <strong>{t(`clock.${clock.clock}`)}</strong>: {t("clock.due", { at: dateTime(clock.due_datetime) })} ·{" "}
                    {t("clock.used", { p: percent(clock.progress, 0) })}
                    {clock.paused && ` · ${t("clock.paused")}`} {clock.overdue && <OverdueBadge />}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section class="card actions" aria-labelledby="actions-title">
          <h2 id="actions-title">{t("detail.actions")}</h2>
          {actions.length === 0 ? (
            <p class="muted">{t("detail.noActions")}</p>
          ) : (
            actions.map((action) => (
              <ActionForm
                key={`${r.id}-${r.version}-${action}`}
                report={r}
                action={action}
                onDone={(updated) => {
                  setDone(t("detail.done", { status: pick(updated.status.label) }));
                  loaded.reload();
                }}
              />
            ))
          )}
        </section>
      </div>
      <Timeline items={r.history} />
    </article>
  );
}

/** A question and its answer in words, as the catalogue names them. */
function answer(service: CategoryView | undefined, code: string, value: string | string[]): [string, string] {
  const question = service?.attributes.find((a) => a.code === code);
  const name = (key: string) => question?.values.find((v) => v.key === key)?.name ?? key;
  return [question?.description ?? code, (Array.isArray(value) ? value : [value]).map(name).join(", ")];
}

/** Take the report (or give it back to the unit); name a colleague of the unit from its active
 * staff (the API refuses anyone else). */
function PersonForm({ report, onDone }: { report: ReportDetail; onDone: (r: ReportDetail) => void }) {
  const username = session.use()?.username ?? null;
  const [other, setOther] = useState("");
  const { busy, error, run } = useBusy();
  const unit = report.unit?.code ?? null;
  const staff = useAsync(() => (unit ? unitStaff(unit) : Promise.resolve([])), [unit]);
  const colleagues = (staff.data ?? []).filter((m) => m.username !== report.assignee);
  const give = (to: string | null) => void run(async () => onDone(await act(report, "assign_person", { username: to })));
  return (
    <div class="action action-assign_person">
      <h3>{t("action.assign_person")}</h3>
      {username && report.assignee !== username && staff.data?.some((m) => m.username === username) && (
        <button type="button" disabled={busy} onClick={() => give(username)}>
          {t("detail.takeIt")}
        </button>
      )}
      {report.assignee && (
        <button type="button" class="secondary" disabled={busy} onClick={() => give(null)}>
          {t("detail.release")}
        </button>
      )}
      {staff.error ? <Failed error={staff.error} retry={staff.reload} /> : null}
      {staff.data && colleagues.length === 0 && <p class="muted">{t("detail.noColleagues")}</p>}
      {colleagues.length > 0 && (
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (other) give(other);
          }}
        >
          <div class="field">
            <label for="assign-person-name">{t("detail.colleague")}</label>
            <select id="assign-person-name" value={other} onChange={(e) => setOther(e.currentTarget.value)}>
              <option value="">—</option>
              {colleagues.map((m) => (
                <option key={m.username} value={m.username}>
                  {m.name} ({m.username})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="secondary" disabled={busy || !other}>
            {t("detail.giveTo")}
          </button>
        </form>
      )}
      {error && <Alert>{error}</Alert>}
    </div>
  );
}

function ActionForm({ report, action, onDone }: { report: ReportDetail; action: string; onDone: (r: ReportDetail) => void }) {
  if (action === "assign_person") return <PersonForm report={report} onDone={onDone} />;
  return <MoveForm report={report} action={action} onDone={onDone} />;
}

function MoveForm({ report, action, onDone }: { report: ReportDetail; action: string; onDone: (r: ReportDetail) => void }) {
  const unitList = useAsync(() => (action === "assign" ? units() : Promise.resolve([])), [action]);
  // A first assignment proposes the routed unit; later ones move the work elsewhere.
  const moving = action === "assign" && (report.status.code === "assigned" || report.status.code === "in_progress");
  const [text, setText] = useState("");
  const [choice, setChoice] = useState(action === "assign" && !moving ? (report.unit?.code ?? "") : "");
  const [photo, setPhoto] = useState<File | null>(null);
  // Verify and assign in one change when the routing table already names the unit.
  const routed = action === "verify" ? report.unit : null;
  const [alsoAssign, setAlsoAssign] = useState(!!routed);
  const { busy, error, run } = useBusy();
  const id = `action-${action}`;
  const textRequired = ["resolve", "reject", "request_info", "note", "hand_back"].includes(action);
  const textLabel =
    action === "request_info"
      ? t("detail.question")
      : action === "reject" || action === "hand_back"
        ? t("detail.reason")
        : t("detail.note");
  const title = moving ? t("action.reassign") : t(`action.${action}`);

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const body: Record<string, unknown> = {};
      const words = text.trim();
      if (action === "request_info") body.question = words;
      else if (action === "hand_back") body.reason = words;
      else if (words) body.note = words;
      if (action === "assign") body.unit = choice;
      if (routed && alsoAssign) body.unit = routed.code;
      if (action === "reject") body.reason = choice;
      if (action === "merge") body.master_id = choice.trim();
      if (action === "resolve" && photo) body.after_photo = await uploadPhoto(photo);
      onDone(await act(report, action, body));
    });
  }

  return (
    <form class={`action ${id}`} onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      {action === "assign" && (
        <div class="field">
          <label for={`${id}-unit`}>{t("detail.unit")}</label>
          <select id={`${id}-unit`} required value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            <option value="">{t("detail.chooseUnit")}</option>
            {unitList.data?.map((u) => (
              <option key={u.code} value={u.code}>
                {pick(u.name)}
              </option>
            ))}
          </select>
        </div>
      )}
      {routed && (
        <label class="choice">
          <input type="checkbox" checked={alsoAssign} onChange={(e) => setAlsoAssign(e.currentTarget.checked)} />
          {t("detail.alsoAssign", { unit: pick(routed.name) })}
        </label>
      )}
      {action === "reject" && (
        <div class="field">
          <label for={`${id}-reason`}>{t("detail.rejectReason")}</label>
          <select id={`${id}-reason`} required value={choice} onChange={(e) => setChoice(e.currentTarget.value)}>
            <option value="">{t("detail.chooseReason")}</option>
            {REJECT_REASONS.map((reason) => (
              <option key={reason} value={reason}>
                {t(`reason.${reason}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {action === "merge" && <Suggestions report={report} chosen={choice} onChoose={setChoice} />}
      {action === "merge" && (
        <div class="field">
          <label for={`${id}-master`}>{t("detail.master")}</label>
          <input id={`${id}-master`} required value={choice} onInput={(e) => setChoice(e.currentTarget.value)} />
        </div>
      )}
      {action === "resolve" && (
        <div class="field">
          <label for={`${id}-photo`}>{t("detail.afterPhoto")}</label>
          <input
            id={`${id}-photo`}
            type="file"
            required
            accept="image/jpeg,image/png,image/webp,image/heic"
            onChange={(e) => setPhoto(e.currentTarget.files?.[0] ?? null)}
          />
        </div>
      )}
      {action === "note" && <p class="hint muted">{t("detail.internal")}</p>}
      <div class="field">
        <label for={`${id}-text`}>{textLabel}</label>
        <textarea id={`${id}-text`} required={textRequired} maxLength={2000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" class={action === "reject" ? "danger" : ""} disabled={busy}>
        {title}
      </button>
    </form>
  );
}

/** The API's duplicate suggestions (same category, nearby, recent): one click picks the master. */
function Suggestions({ report, chosen, onChoose }: { report: ReportDetail; chosen: string; onChoose: (id: string) => void }) {
  const found = useAsync(() => duplicates(report.id), [report.id, report.version]);
  if (found.loading && !found.data) return <Loading />;
  if (found.error || !found.data) return null;
  const items = found.data.items.filter((c) => c.id !== report.id);
  if (items.length === 0) return <p class="muted">{t("detail.noSuggestions")}</p>;
  return (
    <fieldset class="suggestions">
      <legend>{t("detail.suggestions", { m: Math.round(found.data.radius_m) })}</legend>
      <ul>
        {items.map((c) => (
          <li key={c.id}>
            <label class="choice">
              <input type="radio" name={`master-of-${report.id}`} checked={chosen === c.id} onChange={() => onChoose(c.id)} />
              <span>
                <strong>{c.id}</strong> · <StatusBadge code={c.status.code} label={c.status.label} /> ·{" "}
                {t("detail.away", { m: Math.round(c.distance_m) })} · {dateTime(c.requested_datetime)}
                {c.description && <span class="suggestion-text"> — {c.description}</span>}
              </span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** The channel in words ("ứng dụng di động"), or its code when the messages do not know it. */
function channelName(code: string): string {
  const key = `channel.${code}`;
  const named = t(key);
  return named === key ? code : named;
}
