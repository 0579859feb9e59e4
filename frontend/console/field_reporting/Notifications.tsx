// What the workflow told people: the messages residents were sent on every status change
// (locally logged instead of sent), and the inbox of the signed-in desk (operators, a unit,
// leaders), newest first: read on open, all read at once, paged by the API's cursors.
import { number, relativeTime, shortDateTime } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { Link } from "@shared/router";
import { Alert, DataTable, Failed, Loading, useAsync } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { useCan } from "../shell/auth";
import { READERS } from "./api";
import {
  type Delivery,
  deliveryLog,
  type MarkedRead,
  markAllRead,
  markRead,
  type StaffNotification,
  staffInbox,
  useUnread,
} from "./inbox";

/** When, for people: "2 giờ trước" and "14:03, 01/12/2026" (Vietnam time); ISO for machines. */
function When({ iso }: { iso: string }) {
  const ago = relativeTime(iso);
  return (
    <time dateTime={iso}>
      {ago ? (
        <>
          {ago}
          <br />
          <span class="muted">{shortDateTime(iso)}</span>
        </>
      ) : (
        shortDateTime(iso)
      )}
    </time>
  );
}

/** The desk's unread count after the inbox's name in the navigation; nothing once all is read. */
export function UnreadBadge() {
  useLang();
  const unread = useUnread();
  if (!unread) return null;
  return (
    <span class="badge nav-count">
      <span aria-hidden="true">{number(unread)}</span>
      <span class="visually-hidden">{t("inbox.navUnread", { n: number(unread) })}</span>
    </span>
  );
}

/** Where a notification opens: its report, a directive's task board, or for a camera page the
 * incidents to verify. */
function target(n: StaffNotification): string {
  if (n.report_id) return `reports/${encodeURIComponent(n.report_id)}`;
  return n.task_id ? "tasks" : "camera-alerts";
}

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
                    <When iso={d.at} />
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

interface Listing {
  items: StaffNotification[];
  next: string | null;
  unread: number;
}

export function StaffInbox() {
  useLang();
  const reader = useCan(READERS);
  const [unreadOnly, setUnreadOnly] = useState(false);
  const first = useAsync(() => staffInbox(null, unreadOnly), [unreadOnly]);
  const [list, setList] = useState<Listing | null>(null);
  const [failed, setFailed] = useState<unknown>(null);
  const [marking, setMarking] = useState(false);
  const [done, setDone] = useState<MarkedRead | null>(null);

  useEffect(() => {
    if (first.data) setList({ items: first.data.items, next: first.data.next_cursor, unread: first.data.unread });
  }, [first.data]);

  function readHere(ids: Set<string> | "all", unread: number) {
    setList((l) => l && { ...l, unread, items: l.items.map((n) => (ids === "all" || ids.has(n.id) ? { ...n, read: true } : n)) });
  }

  async function loadMore() {
    if (!list?.next) return;
    setFailed(null);
    try {
      const page = await staffInbox(list.next, unreadOnly);
      setList({ items: [...list.items, ...page.items], next: page.next_cursor, unread: page.unread });
    } catch (error) {
      setFailed(error);
    }
  }

  async function open(note: StaffNotification) {
    if (note.read) return;
    try {
      readHere(new Set([note.id]), (await markRead(note.id)).unread);
    } catch (error) {
      setFailed(error);
    }
  }

  async function readAll() {
    setFailed(null);
    setDone(null);
    setMarking(true);
    try {
      const marked = await markAllRead();
      readHere("all", marked.unread);
      setDone(marked);
    } catch (error) {
      setFailed(error);
    } finally {
      setMarking(false);
    }
  }

  const items = list?.items ?? [];
  return (
    <>
      <div class="page-head">
        <h1>{t("inbox.title")}</h1>
        {list && (
          <button type="button" class="secondary small" onClick={readAll} disabled={marking || list.unread === 0}>
            {marking ? t("inbox.marking") : t("inbox.markAll")}
          </button>
        )}
      </div>
      <label class="choice">
        <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.currentTarget.checked)} />
        {t("inbox.unreadOnly")}
      </label>
      {first.loading && !list && <Loading />}
      {first.error ? <Failed error={first.error} retry={first.reload} /> : null}
      {done && (
        <Alert kind="success">
          {t("inbox.markedAll", { marked: number(done.marked) })}
          {done.unread > 0 ? ` ${t("inbox.arrived", { unread: number(done.unread) })}` : ""}
        </Alert>
      )}
      {list && (
        <>
          <p class="muted" role="status">
            {t("inbox.count", { n: number(items.length), unread: number(list.unread) })}
          </p>
          {items.length === 0 ? (
            <p>{unreadOnly ? t("inbox.emptyUnread") : t("inbox.empty")}</p>
          ) : (
            <DataTable
              class="notes-table"
              caption={t("inbox.caption")}
              columns={[t("notes.when"), t("inbox.message"), t("inbox.readColumn")]}
            >
              {items.map((n) => (
                <tr key={n.id} class={n.read ? "" : "unread"}>
                  <td>
                    <When iso={n.created_datetime} />
                    {!n.read && <span class="badge unread-badge">{t("inbox.unread")}</span>}
                  </td>
                  <th scope="row" class="note-text">
                    {reader ? (
                      // Opening the report reads the notification (a click or Enter on the link).
                      <span onClick={() => void open(n)}>
                        <Link to={target(n)}>{pick(n.title)}</Link>
                      </span>
                    ) : (
                      <strong>{pick(n.title)}</strong>
                    )}
                    {n.body && (
                      <>
                        <br />
                        {pick(n.body)}
                      </>
                    )}
                    {n.due_datetime && (
                      <>
                        <br />
                        {t("inbox.due", { when: shortDateTime(n.due_datetime) })}
                      </>
                    )}
                  </th>
                  <td>
                    {n.read ? (
                      <span class="muted">{t("inbox.read")}</span>
                    ) : (
                      <button
                        type="button"
                        class="secondary small"
                        onClick={() => void open(n)}
                        aria-label={t("inbox.markOneOf", { title: pick(n.title) })}
                      >
                        {t("inbox.markOne")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
          {failed ? <Failed error={failed} /> : null}
          {list.next && (
            <p>
              <button type="button" class="secondary" onClick={loadMore}>
                {t("inbox.more")}
              </button>
            </p>
          )}
        </>
      )}
    </>
  );
}
