// What the workflow told people: the messages residents were sent on every status change
// (locally logged instead of sent), and the inbox of the signed-in desk (operators, a unit,
// leaders), newest first.
import { dateTime, number } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Alert, DataTable, Failed, Loading, StatusBadge, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { useCan } from "../shell/auth";
import { type Delivery, deliveryLog, READERS, type StaffNotification, staffInbox } from "./api";

/** A report's id, as a link for the roles that may open it (administrators may not). */
function ReportRef({ id }: { id: string }) {
  const reader = useCan(READERS);
  return reader ? <Link to={`reports/${encodeURIComponent(id)}`}>{id}</Link> : <>{id}</>;
}

export function DeliveryLog() {
  useLang();
  const log = useAsync(deliveryLog, []);
  const items: Delivery[] = log.data ?? [];
  const logged = items.some((d) => d.channel === "log");
  return (
    <>
      <div class="page-head">
        <h1>{t("log.title")}</h1>
        <button type="button" class="secondary small" onClick={log.reload} disabled={log.loading}>
          {t("notes.reload")}
        </button>
      </div>
      <p class="muted">{t("log.intro")}</p>
      {log.loading && !log.data && <Loading />}
      {log.error ? <Failed error={log.error} retry={log.reload} /> : null}
      {logged && <Alert kind="info">{t("log.local")}</Alert>}
      {log.data && (
        <>
          <p class="muted" role="status">
            {t("log.count", { n: number(items.length) })}
          </p>
          {items.length === 0 ? (
            <p>{t("log.empty")}</p>
          ) : (
            <DataTable
              class="notes-table"
              caption={t("log.caption")}
              columns={[t("notes.when"), t("notes.report"), t("log.channel"), t("log.to"), t("log.text")]}
            >
              {items.map((d, index) => (
                <tr key={`${d.at}-${index}`}>
                  <td>
                    <time dateTime={d.at}>{dateTime(d.at)}</time>
                  </td>
                  <th scope="row">
                    <ReportRef id={d.report_id} />
                  </th>
                  <td>{t(`log.channel.${d.channel}`)}</td>
                  <td>{d.to}</td>
                  <td class="note-text">{d.text}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </>
  );
}

export function StaffInbox() {
  const lang = useLang();
  const first = useAsync(() => staffInbox(), [lang]);
  const [more, setMore] = useState<{ items: StaffNotification[]; next: string | null } | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const next = more ? more.next : first.data?.next_cursor;

  async function loadMore() {
    setFailed(null);
    try {
      const page = await staffInbox(next);
      setMore({ items: [...(more?.items ?? []), ...page.items], next: page.next_cursor });
    } catch (error) {
      setFailed(error);
    }
  }

  return (
    <>
      <h1>{t("inbox.title")}</h1>
      {first.loading && !first.data && <Loading />}
      {first.error ? <Failed error={first.error} retry={first.reload} /> : null}
      {first.data && (
        <>
          <p class="muted" role="status">
            {t("inbox.count", { n: number(items.length), unread: number(first.data.unread) })}
          </p>
          {items.length === 0 ? (
            <p>{t("inbox.empty")}</p>
          ) : (
            <DataTable
              class="notes-table"
              caption={t("inbox.caption")}
              columns={[t("notes.when"), t("notes.report"), t("inbox.message"), t("report.status")]}
            >
              {items.map((n) => (
                <tr key={n.id} class={n.read ? "" : "unread"}>
                  <td>
                    <time dateTime={n.created_datetime}>{dateTime(n.created_datetime)}</time>
                    {!n.read && <span class="badge unread-badge">{t("inbox.unread")}</span>}
                  </td>
                  <th scope="row">
                    <ReportRef id={n.report_id} />
                  </th>
                  <td class="note-text">
                    <strong>{pick(n.title)}</strong>
                    <br />
                    {pick(n.body)}
                  </td>
                  <td>{n.status ? <StatusBadge code={n.status} /> : "—"}</td>
                </tr>
              ))}
            </DataTable>
          )}
          {failed ? <Failed error={failed} retry={loadMore} /> : null}
          {next && (
            <p>
              <button type="button" class="secondary" onClick={loadMore}>
                {t("queue.more")}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
