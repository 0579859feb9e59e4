// The approval queue: each value waiting for a second person, with what the rules found
// (a warning needs the approver's comment), approved or sent back with a reason.
import { dateTime } from "@shared/format";
import { useBusy } from "@shared/forms";
import { pick, t, useLang } from "@shared/i18n";
import { Alert, Failed, Loading, useAsync } from "@shared/ui";
import { session } from "../shell/auth";
import { useState } from "preact/hooks";
import { type Approval, approvals, approve, catalogue, sendBack } from "./api";
import { Findings, hasWarnings } from "./Findings";
import { amount, nameOf, periodLabel, who } from "./parts";

export function Approvals() {
  const lang = useLang();
  const loaded = useAsync(() => Promise.all([approvals(), catalogue()]), [lang]);
  const [done, setDone] = useState<{ key: string; name: string } | null>(null);
  const places = (breakdown: string) => {
    if (breakdown === "city" || !loaded.data) return t("se.ind.city");
    const [kind, code] = breakdown.split(":");
    const list = kind === "ward" ? loaded.data[1].wards : loaded.data[1].sectors;
    return nameOf(list.find((p) => p.code === code)?.name) || breakdown;
  };
  return (
    <>
      <h1>{t("se.appr.title")}</h1>
      {done && <Alert kind="success">{t(done.key, { name: done.name })}</Alert>}
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {loaded.data && !loaded.data[0].length && <p class="muted">{t("se.appr.empty")}</p>}
      <div class="se-cards">
        {loaded.data?.[0].map((item) => (
          <ApprovalCard
            key={`${item.indicator}|${item.period}|${item.breakdown}|${item.version}`}
            item={item}
            place={places(item.breakdown)}
            decimals={loaded.data?.[1].indicators.find((i) => i.code === item.indicator)?.decimals}
            onDone={(key) => {
              setDone({ key, name: pick(item.name) });
              loaded.reload();
            }}
          />
        ))}
      </div>
    </>
  );
}

/** One value waiting for approval, approved or sent back here (the queue, an indicator's page). */
export function ApprovalCard(props: {
  item: Approval;
  place: string;
  decimals?: number;
  onDone: (key: string) => void;
  level?: 2 | 3;
}) {
  const { item, place, onDone } = props;
  const me = session.use();
  // The queue never lists one's own entry; an indicator's page does, and says who may approve it.
  const own = !!me && who(item.pending.by) === (me.username ?? me.subject);
  const Heading = props.level === 3 ? "h3" : "h2";
  const a = (value: number | null) => amount(value, props.decimals);
  const [comment, setComment] = useState("");
  const [reason, setReason] = useState("");
  const form = useBusy();
  const { pending } = item;
  // A warning needs an explanation: the officer's own comment, or the approver's.
  const warned = hasWarnings(pending.findings) && !pending.comment;
  const id = `se-a-${item.indicator}-${item.period}-${item.breakdown}`.replace(/[^\w-]/g, "-");
  // A ward's or a sector's figure is named with its place: the city's and theirs wait side by side.
  const named = t("se.appr.heading", { name: pick(item.name), period: periodLabel(item.period) });
  const heading = item.breakdown === "city" ? named : `${named} – ${place}`;
  return (
    <article class="card se-approval" aria-labelledby={`${id}-title`}>
      <Heading id={`${id}-title`}>{heading}</Heading>
      <p class="se-diff">
        {item.approved_value === null
          ? t("se.appr.new", { value: a(pending.value), unit: pick(item.unit), status: t(`se.status.${pending.status}`) })
          : t("se.rev.diff", {
              old: a(item.approved_value),
              new: `${a(pending.value)} (${t(`se.status.${pending.status}`)})`,
            })}
      </p>
      <p>{t("se.appr.by", { who: who(pending.by), at: dateTime(pending.at) })}</p>
      {pending.comment && <p class="note">{t("se.appr.comment", { text: pending.comment })}</p>}
      {pending.reason && <p class="note">{t("se.rev.reason", { reason: pending.reason })}</p>}
      <Findings findings={pending.findings} />
      {own && <p class="se-own">{t("se.appr.own")}</p>}
      <div class="field">
        <label for={`${id}-comment`}>{t(warned ? "se.appr.commentNeeded" : "se.appr.commentLabel")}</label>
        <textarea id={`${id}-comment`} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for={`${id}-reason`}>{t("se.appr.reasonLabel")}</label>
        <textarea id={`${id}-reason`} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      </div>
      {form.error && <Alert>{form.error}</Alert>}
      <div class="se-actions">
        <button
          type="button"
          disabled={form.busy}
          aria-label={t("se.appr.approveFor", { name: heading })}
          onClick={() =>
            form.run(async () => {
              if (warned && !comment.trim()) return form.setError(() => t("se.appr.commentFirst"));
              await approve(item, comment.trim() || null);
              onDone("se.appr.approved");
            })
          }
        >
          {t("se.appr.approve")}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={form.busy}
          aria-label={t("se.appr.rejectFor", { name: heading })}
          onClick={() =>
            form.run(async () => {
              if (!reason.trim()) return form.setError(() => t("se.appr.reasonFirst"));
              await sendBack(item, reason.trim());
              onDone("se.appr.rejected");
            })
          }
        >
          {t("se.appr.reject")}
        </button>
      </div>
    </article>
  );
}
