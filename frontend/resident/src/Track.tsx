// One report as its reporter follows it. Signed in, the reporter also sees the city's answer
// and may rate it, say it is not fixed, answer a question or withdraw the report.
import { ApiError } from "@shared/api";
import { useBusy } from "@shared/forms";
import { report, type TrackingView } from "@shared/field_reporting";
import { dateTime, isOverdue } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { currentQuery, Link } from "@shared/router";
import { Alert, Failed, Loading, OverdueBadge, Photos, StarInput, StatusBadge, Timeline, useAsync } from "@shared/ui";
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { change, type MyReportDetail, myReport, session } from "./account";

type Loaded = { mine: MyReportDetail; public?: undefined } | { mine?: undefined; public: TrackingView };

async function load(id: string, signedIn: boolean): Promise<Loaded> {
  if (signedIn) {
    try {
      return { mine: await myReport(id) };
    } catch (error) {
      // Not mine (or not signed in any more): the public view is still there.
      if (!(error instanceof ApiError) || ![401, 403, 404].includes(error.status)) throw error;
    }
  }
  return { public: await report(id) };
}

export function Track({ id }: { id: string }) {
  const lang = useLang();
  const signedIn = session.use();
  const loaded = useAsync(() => load(id, !!signedIn), [id, lang, signedIn?.token]);
  const [justSent] = useState(() => currentQuery().get("sent") === "1");
  const [justFollowed] = useState(() => currentQuery().get("followed") === "1");
  const [message, setMessage] = useState<{ kind: "error" | "success"; key: string } | null>(null);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error || !loaded.data) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return missing ? <Alert>{t("track.notFound")}</Alert> : <Failed error={loaded.error} retry={loaded.reload} />;
  }
  const mine = loaded.data.mine;
  const r = mine ?? loaded.data.public;
  const open = r.status.state === "open";
  return (
    <article>
      <p>
        <Link to="">{t("track.back")}</Link>
      </p>
      {justSent && <Alert kind="success">{t("new.sent", { id: r.id })}</Alert>}
      {justFollowed && <Alert kind="success">{t("track.followed", { id: r.id })}</Alert>}
      {message && <Alert kind={message.kind}>{t(message.key)}</Alert>}
      <h1>{t("track.title", { id: r.id })}</h1>
      <p>
        <StatusBadge code={r.status.code} label={r.status.label} />{" "}
        {open && isOverdue(r.expected_datetime, null) && <OverdueBadge />}
      </p>
      {mine?.waiting_on_resident && (
        <p class="waiting-note">
          <span class="badge waiting">{t("waiting.resident")}</span>
        </p>
      )}
      <dl class="facts">
        <dt>{t("report.category")}</dt>
        <dd>{pick(r.service.name)}</dd>
        <dt>{t("report.ward")}</dt>
        <dd>{pick(r.ward.name)}</dd>
        <dt>{t("report.requested")}</dt>
        <dd>{dateTime(r.requested_datetime)}</dd>
        <dt>{t("report.expected")}</dt>
        <dd>{dateTime(r.expected_datetime)}</dd>
      </dl>
      {r.description && <p class="description">{r.description}</p>}
      {r.photos.length > 0 && (
        <>
          <h2>{t("report.photos")}</h2>
          <Photos photos={r.photos} />
        </>
      )}
      {mine && (mine.resolution_note || mine.after_photos.length > 0) && (
        <section class="card resolution" aria-labelledby="resolution-title">
          <h2 id="resolution-title">{t("track.resolution")}</h2>
          {mine.resolution_note && <p class="description">{mine.resolution_note}</p>}
          <Photos photos={mine.after_photos} label={t("photo.after")} />
        </section>
      )}
      {!mine && r.after_photos.length > 0 && (
        <section class="card resolution" aria-labelledby="resolution-title">
          <h2 id="resolution-title">{t("track.resolution")}</h2>
          <Photos photos={r.after_photos} label={t("photo.after")} />
        </section>
      )}
      {mine?.rejection_reason && <Alert kind="info">{t(`reason.${mine.rejection_reason}`)}</Alert>}
      {mine && (
        <Actions
          report={mine}
          onDone={(key) => {
            setMessage({ kind: "success", key });
            loaded.reload();
          }}
        />
      )}
      {!mine && r.status.code === "resolved" && (
        <p class="alert alert-info">
          {t("track.signinToRate")} <Link to="signin">{t("nav.signin")}</Link>
        </p>
      )}
      <Timeline items={r.history} />
    </article>
  );
}

function Actions({ report: r, onDone }: { report: MyReportDetail; onDone: (key: string) => void }) {
  const can = (action: string) => r.allowed_actions.includes(action);
  return (
    <>
      {r.my_rating && (
        <ActionBox id="my-rating-title" title={t("track.yourRatingTitle")}>
          <p>{t("track.yourRating", { n: r.my_rating.score })}</p>
          {r.my_rating.comment && <p class="description">{r.my_rating.comment}</p>}
          {can("rate") && (
            <details class="dispute">
              <summary>{t("track.changeRating")}</summary>
              <RateForm report={r} onDone={() => onDone("track.rerated")} />
            </details>
          )}
        </ActionBox>
      )}
      {can("reply") && r.question && (
        <ActionBox id="question-title" title={t("track.question")}>
          <TextAction report={r} action="reply" field="message" label={t("track.answer")} button={t("track.sendAnswer")} hint={r.question} onDone={() => onDone("track.answered")} />
        </ActionBox>
      )}
      {can("rate") && !r.my_rating && (
        <ActionBox id="rate-title" title={t("track.rate")}>
          <RateForm report={r} onDone={() => onDone("track.rated")} />
        </ActionBox>
      )}
      {can("dispute") && (
        <details class="card dispute">
          <summary>{t("track.dispute")}</summary>
          <TextAction
            report={r}
            action="dispute"
            field="comment"
            label={t("track.disputeReason")}
            button={t("track.sendDispute")}
            hint={t("track.disputeHint")}
            onDone={() => onDone("track.disputed")}
          />
        </details>
      )}
      {can("withdraw") && (
        <details class="card dispute">
          <summary>{t("track.withdraw")}</summary>
          <WithdrawForm report={r} onDone={() => onDone("track.withdrawn")} />
        </details>
      )}
    </>
  );
}

function ActionBox({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section class="feedback" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** One action of the reporter's, sent with the version it was based on; then `onDone`. */
function useAction(report: MyReportDetail, action: string, onDone: () => void) {
  const { busy, error, setError, run } = useBusy();
  const send = (body: Record<string, unknown>) =>
    run(async () => {
      await change(report, action, body);
      onDone();
    });
  return { busy, error, setError, send };
}

function RateForm({ report: r, onDone }: { report: MyReportDetail; onDone: () => void }) {
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState("");
  const { busy, error, setError, send } = useAction(r, "rate", onDone);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!score) return setError(() => t("track.chooseStars"));
        void send({ score, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      }}
    >
      <p class="hint">
        {r.my_rating ? t("track.replacesRating", { n: r.my_rating.score }) : t("track.rateHint")}
      </p>
      <StarInput name="score" value={score} onChange={setScore} />
      <div class="field">
        <label for="rating-comment">{t("track.comment")}</label>
        <textarea id="rating-comment" maxLength={2000} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" disabled={busy}>
        {t("track.sendRating")}
      </button>
    </form>
  );
}

function TextAction(props: {
  report: MyReportDetail;
  action: string;
  field: string;
  label: string;
  button: string;
  hint: string;
  onDone: () => void;
}) {
  const [text, setText] = useState("");
  const { busy, error, send } = useAction(props.report, props.action, props.onDone);
  const id = `${props.action}-text`;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send({ [props.field]: text.trim() });
      }}
    >
      <p class="hint">{props.hint}</p>
      <div class="field">
        <label for={id}>{props.label}</label>
        <textarea id={id} required maxLength={2000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" class="secondary" disabled={busy}>
        {props.button}
      </button>
    </form>
  );
}

function WithdrawForm({ report: r, onDone }: { report: MyReportDetail; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const { busy, error, send } = useAction(r, "withdraw", onDone);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void send({ reason });
      }}
    >
      <div class="field">
        <label for="withdraw-reason">{t("track.withdrawReason")}</label>
        <select id="withdraw-reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          <option value="">{t("new.chooseOne")}</option>
          {["fixed_already", "reported_by_mistake", "other"].map((code) => (
            <option key={code} value={code}>
              {t(`reason.${code}`)}
            </option>
          ))}
        </select>
      </div>
      {error && <Alert>{error}</Alert>}
      <button type="submit" class="secondary" disabled={busy}>
        {t("track.withdraw")}
      </button>
    </form>
  );
}
