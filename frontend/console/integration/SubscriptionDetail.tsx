// One subscription's delivery log (each attempt: time, status code, latency, the answer's first
// bytes), newest first and paged, and its parked deliveries with a redrive.
import { useBusy } from "@shared/forms";
import { dateTime, number } from "@shared/format";
import { t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Alert, DataTable, Failed, Loading, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { type AttemptView, attempts, parked, redrive, subscription } from "./api";

export function SubscriptionDetail({ id }: { id: string }) {
  useLang();
  const sub = useAsync(() => subscription(id), [id]);
  return (
    <>
      <p>
        <Link to="integration/subscriptions">{t("int.back")}</Link>
      </p>
      <h1>{sub.data ? sub.data.url : id}</h1>
      {sub.error ? <Failed error={sub.error} retry={sub.reload} /> : null}
      {sub.data && (
        <p class="muted">
          {id} · {t(`int.status.${sub.data.status}`)}
          {sub.data.disabled_reason && ` · ${t(`int.reason.${sub.data.disabled_reason}`)}`}
        </p>
      )}
      <Parked id={id} />
      <DeliveryLog id={id} />
    </>
  );
}

function Parked({ id }: { id: string }) {
  const listed = useAsync(() => parked(id), [id]);
  const state = useBusy();
  const [told, setTold] = useState("");
  const items = listed.data?.items ?? [];
  const columns = [t("int.col.event"), t("int.col.entity"), t("int.col.attempts"), t("int.col.lastError"), t("int.col.parkedAt")];
  return (
    <section aria-labelledby="int-parked-title">
      <h2 id="int-parked-title">{t("int.parked")}</h2>
      <p class="muted">{t("int.parkedIntro")}</p>
      {listed.loading && !listed.data && <Loading />}
      {listed.error ? <Failed error={listed.error} retry={listed.reload} /> : null}
      {listed.data && items.length === 0 && <p class="muted">{t("int.parkedNone")}</p>}
      {items.length > 0 && (
        <>
          <DataTable caption={t("int.parkedCaption")} columns={columns}>
            {items.map((p) => (
              <tr key={p.event_id}>
                <th scope="row">
                  {p.event_type}
                  <div class="muted">{p.event_id}</div>
                </th>
                <td>{p.entity}</td>
                <td>{number(p.attempts)}</td>
                <td>{p.last_status ?? p.last_error ?? "—"}</td>
                <td>{dateTime(p.parked_at)}</td>
              </tr>
            ))}
          </DataTable>
          <button
            type="button"
            disabled={state.busy}
            onClick={() =>
              void state.run(async () => {
                const done = await redrive(id);
                setTold(t("int.redriven", { n: done.redriven }));
                listed.reload();
              })
            }
          >
            {t("int.redrive")}
          </button>
        </>
      )}
      {state.error && <Alert>{state.error}</Alert>}
      <p role="status">{told}</p>
    </section>
  );
}

function DeliveryLog({ id }: { id: string }) {
  const [rows, setRows] = useState<AttemptView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const first = useAsync(() => attempts(id), [id]);
  useEffect(() => {
    if (first.data) {
      setRows(first.data.items);
      setCursor(first.data.next_cursor);
    }
  }, [first.data]);
  const state = useBusy();
  const columns = [t("int.col.at"), t("int.col.event"), t("int.col.attempt"), t("int.col.code"), t("int.col.latency"), t("int.col.head"), t("int.col.outcome")];
  return (
    <section aria-labelledby="int-log-title">
      <h2 id="int-log-title">{t("int.log")}</h2>
      {first.loading && !first.data && <Loading />}
      {first.error ? <Failed error={first.error} retry={first.reload} /> : null}
      {first.data && rows.length === 0 && <p class="muted">{t("int.logNone")}</p>}
      {rows.length > 0 && (
        <DataTable caption={t("int.logCaption")} columns={columns} class="int-log">
          {rows.map((a) => (
            <tr key={`${a.event_id}-${a.attempt}-${a.at}`}>
              <th scope="row">{dateTime(a.at)}</th>
              <td>
                {a.event_type}
                <div class="muted">{a.event_id}</div>
              </td>
              <td>{a.attempt}</td>
              <td>{a.status_code ?? t("int.noAnswer")}</td>
              <td>{number(a.latency_ms)} ms</td>
              <td>
                <code class="int-head">{a.response_head || a.error || ""}</code>
              </td>
              <td>{t(`int.outcome.${a.outcome}`)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {cursor && (
        <button
          type="button"
          class="secondary"
          disabled={state.busy}
          onClick={() =>
            void state.run(async () => {
              const next = await attempts(id, cursor);
              setRows((shown) => [...shown, ...next.items]);
              setCursor(next.next_cursor);
            })
          }
        >
          {t("int.more")}
        </button>
      )}
      {state.error && <Alert>{state.error}</Alert>}
    </section>
  );
}
