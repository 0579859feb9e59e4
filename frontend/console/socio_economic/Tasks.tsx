// The task board: overdue and at-risk tasks first, % done against % of time elapsed as two
// bars, the projected finish; the owner unit (or a co-operating one) reports its progress.
import { session } from "../shell/auth";
import { date, dateTime } from "@shared/format";
import { useBusy } from "@shared/forms";
import { getLang, t, useLang } from "@shared/i18n";
import { Alert, Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import {
  acknowledge,
  catalogue,
  EVIDENCE_TYPES,
  evidenceType,
  MAX_EVIDENCE,
  MAX_EVIDENCE_MB,
  REPORT_TASKS,
  reportProgress,
  type Task,
  type TaskStatus,
  task,
  tasks,
  uploadEvidence,
} from "./api";
import { nameOf, who } from "./parts";

const STATUSES: TaskStatus[] = ["open", "done", "cancelled"];

/** Overdue, then at risk, then the rest; each by its deadline. */
function rank(a: Task, b: Task): number {
  const weight = (x: Task) => (x.standing.overdue ? 0 : x.standing.at_risk ? 1 : 2);
  return weight(a) - weight(b) || a.deadline.localeCompare(b.deadline);
}

export function TaskBoard() {
  const lang = useLang();
  const [unit, setUnit] = useState("");
  const [status, setStatus] = useState<TaskStatus>("open");
  const [atRisk, setAtRisk] = useState(false);
  const units = useAsync(() => catalogue().then((c) => c.units), [lang]);
  const loaded = useAsync(() => tasks({ owner_unit: unit || undefined, status, at_risk: atRisk }), [unit, status, atRisk, lang]);
  const unitName = (code: string) => nameOf(units.data?.find((u) => u.code === code)?.name) || code;
  const shown = [...(loaded.data?.tasks ?? [])].sort(rank);
  return (
    <>
      <h1>{t("se.tasks.title")}</h1>
      <form class="filters card" aria-label={t("se.tasks.filters")} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="se-t-unit">{t("se.tasks.unit")}</label>
          <select id="se-t-unit" value={unit} onChange={(e) => setUnit(e.currentTarget.value)}>
            <option value="">{t("se.tasks.allUnits")}</option>
            {units.data?.map((u) => (
              <option key={u.code} value={u.code}>
                {nameOf(u.name)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="se-t-status">{t("se.tasks.statusFilter")}</label>
          <select id="se-t-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as TaskStatus)}>
            {STATUSES.map((code) => (
              <option key={code} value={code}>
                {t(`se.tasks.status.${code}`)}
              </option>
            ))}
          </select>
        </div>
        <label class="choice se-risk-filter">
          <input type="checkbox" checked={atRisk} onChange={(e) => setAtRisk(e.currentTarget.checked)} />
          {t("se.tasks.onlyAtRisk")}
        </label>
      </form>
      {loaded.loading && !loaded.data && <Loading />}
      {loaded.error ? <Failed error={loaded.error} retry={loaded.reload} /> : null}
      {loaded.data && !shown.length && <p class="muted">{t("se.tasks.empty")}</p>}
      {loaded.data && shown.length > 0 && (
        <p class="muted" role="status">
          {t("se.tasks.count", { n: shown.length, risk: loaded.data.at_risk, late: loaded.data.overdue })}
        </p>
      )}
      <div class="se-cards">
        {shown.map((item) => (
          <TaskCard key={item.task_id} item={item} unitName={unitName} reload={loaded.reload} />
        ))}
      </div>
    </>
  );
}

/** The register's status in words; one it does not know yet, as the API says it. */
function statusText(status: string): string {
  const key = `se.tasks.status.${status}`;
  const text = t(key);
  return text === key ? status : text;
}

function Bar({ label, value, kind }: { label: string; value: number; kind: string }) {
  const clamped = Math.max(0, Math.min(100, value));
  return (
    <div class="se-bar-row">
      <span class="se-bar-label">{t(label, { p: Math.round(value) })}</span>
      <span class={`se-bar se-bar-${kind}`} aria-hidden="true">
        <span style={{ width: `${clamped}%` }} />
      </span>
    </div>
  );
}

function TaskCard({ item, unitName: listed, reload }: { item: Task; unitName: (code: string) => string; reload: () => void }) {
  const me = session.use();
  const unitName = (code: string) => nameOf(item.unit_names?.[code]) || listed(code);
  const { standing } = item;
  const mine =
    item.status === "open" &&
    (me?.permissions ?? []).includes(REPORT_TASKS) &&
    !!me?.unit &&
    (me.unit === item.owner_unit || item.co_units.includes(me.unit));
  const owner = mine && me?.unit === item.owner_unit;
  const ack = useBusy();
  const id = `se-task-${item.task_id}`.replace(/[^\w-]/g, "-");
  const title = getLang() === "en" && item.title_en ? item.title_en : item.title;
  return (
    <article class={`card se-task${standing.overdue ? " se-overdue" : standing.at_risk ? " se-at-risk" : ""}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p class="se-task-flags">
        {standing.overdue && <span class="badge overdue">{t("se.tasks.overdue")}</span>}{" "}
        {standing.at_risk && <span class="badge se-traffic se-at_risk">{t("se.tasks.atRisk")}</span>}{" "}
        <span class="badge se-state">{statusText(item.status)}</span>{" "}
        {item.status === "open" && !item.acknowledged_at && <span class="badge">{t("se.tasks.unacknowledged")}</span>}
      </p>
      <dl class="facts">
        <dt>{t("se.tasks.id")}</dt>
        <dd>
          {item.task_id}
          {item.source_ref && <span class="se-sub">{item.source_ref}</span>}
        </dd>
        <dt>{t("se.tasks.owner")}</dt>
        <dd>{unitName(item.owner_unit)}</dd>
        {item.co_units.length > 0 && (
          <>
            <dt>{t("se.tasks.co")}</dt>
            <dd>{item.co_units.map(unitName).join(", ")}</dd>
          </>
        )}
        <dt>{t("se.tasks.deadline")}</dt>
        <dd>{date(item.deadline)}</dd>
        {item.acknowledged_at && (
          <>
            <dt>{t("se.tasks.acknowledged")}</dt>
            <dd>{dateTime(item.acknowledged_at)}</dd>
          </>
        )}
        <dt>{t("se.tasks.projected")}</dt>
        <dd>
          {standing.projected_finish ? date(standing.projected_finish) : t("se.tasks.noProjection")}
          {standing.late_by_days ? ` ${t("se.tasks.late", { n: standing.late_by_days })}` : ""}
        </dd>
      </dl>
      {owner && !item.acknowledged_at && (
        <p>
          <button type="button" disabled={ack.busy} onClick={() => ack.run(async () => void (await acknowledge(item), reload()))}>
            {t("se.tasks.acknowledge")}
          </button>
          {ack.error && <Alert>{ack.error}</Alert>}
        </p>
      )}
      <div class="se-bars">
        <Bar label="se.tasks.done" value={item.percent} kind="done" />
        <Bar label="se.tasks.time" value={standing.elapsed_pct} kind="time" />
      </div>
      <details class="se-task-more">
        <summary>{t(mine ? "se.tasks.progressAndReport" : "se.tasks.progress")}</summary>
        <TaskProgress id={item.task_id} mine={mine} done={item.percent} reload={reload} />
      </details>
    </article>
  );
}

function TaskProgress({ id, mine, done, reload }: { id: string; mine: boolean; done: number; reload: () => void }) {
  const detail = useAsync(() => task(id), [id]);
  const [percent, setPercent] = useState(String(done));
  const [note, setNote] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [sending, setSending] = useState("");
  const [saved, setSaved] = useState(false);
  const form = useBusy();
  const field = `se-p-${id}`.replace(/[^\w-]/g, "-");
  return (
    <div class="se-progress">
      {detail.loading && !detail.data && <Loading />}
      {detail.error ? <Failed error={detail.error} retry={detail.reload} /> : null}
      {detail.data?.expected_output && <p>{t("se.tasks.output", { text: detail.data.expected_output })}</p>}
      {detail.data && (
        <ol class="se-progress-list">
          {detail.data.progress.map((step, index) => (
            <li key={index}>
              <strong>{step.percent} %</strong> · {who(step.by)} · {dateTime(step.at)}
              {step.note && <span class="se-sub">{step.note}</span>}
              {step.evidence.length > 0 && (
                <ul class="se-evidence">
                  {step.evidence.map((file) => (
                    <li key={file.key}>
                      <a href={file.url} target="_blank" rel="noopener">
                        {file.key.split("/").pop()}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
          {!detail.data.progress.length && <li class="muted">{t("se.tasks.noProgress")}</li>}
        </ol>
      )}
      {mine && (
        <form
          class="se-progress-form"
          onSubmit={(e) => {
            e.preventDefault();
            void form.run(async () => {
              setSaved(false);
              const value = Number(percent);
              if (!Number.isInteger(value) || value < 0 || value > 100) return form.setError(() => t("se.tasks.percentRange"));
              if (!note.trim()) return form.setError(() => t("se.tasks.noteNeeded"));
              if (!detail.data) return;
              if (files.length > MAX_EVIDENCE) return form.setError(() => t("se.tasks.tooManyFiles", { n: MAX_EVIDENCE }));
              const typed: [File, string][] = [];
              for (const file of files) {
                const type = evidenceType(file);
                if (!type) return form.setError(() => t("se.tasks.fileType", { name: file.name }));
                if (file.size > MAX_EVIDENCE_MB << 20) return form.setError(() => t("se.tasks.fileTooLarge", { name: file.name, mb: MAX_EVIDENCE_MB }));
                typed.push([file, type]);
              }
              const keys: string[] = [];
              try {
                for (const [n, [file, type]] of typed.entries()) {
                  setSending(t("se.tasks.uploading", { n: n + 1, total: typed.length, name: file.name }));
                  keys.push(await uploadEvidence(detail.data, file, type, t("se.tasks.uploadFailed", { name: file.name })));
                }
                await reportProgress(detail.data, value, note.trim(), keys);
              } finally {
                setSending("");
              }
              setSaved(true);
              setNote("");
              setFiles([]);
              detail.reload();
              reload();
            });
          }}
        >
          <div class="se-form-row">
            <div class="field">
              <label for={`${field}-percent`}>{t("se.tasks.percent")}</label>
              <input id={`${field}-percent`} type="number" min={0} max={100} step={1} value={percent} required onInput={(e) => setPercent(e.currentTarget.value)} />
            </div>
            <div class="field">
              <label for={`${field}-note`}>{t("se.tasks.note")}</label>
              <textarea id={`${field}-note`} value={note} required onInput={(e) => setNote(e.currentTarget.value)} />
            </div>
          </div>
          <div class="field">
            <label for={`${field}-files`}>{t("se.tasks.files")}</label>
            <input
              id={`${field}-files`}
              type="file"
              multiple
              accept={[...new Set([...Object.keys(EVIDENCE_TYPES).map((e) => `.${e}`), ...Object.values(EVIDENCE_TYPES)])].join(",")}
              aria-describedby={`${field}-files-hint`}
              onChange={(e) => setFiles([...(e.currentTarget.files ?? [])])}
            />
            <p class="hint" id={`${field}-files-hint`}>
              {t("se.tasks.filesHint", { n: MAX_EVIDENCE, mb: MAX_EVIDENCE_MB })}
            </p>
          </div>
          {sending && (
            <p class="muted" role="status">
              {sending}
            </p>
          )}
          {form.error && <Alert>{form.error}</Alert>}
          {saved && <Alert kind="success">{t("se.tasks.saved")}</Alert>}
          <button type="submit" disabled={form.busy}>
            {t("se.tasks.report")}
          </button>
        </form>
      )}
    </div>
  );
}
