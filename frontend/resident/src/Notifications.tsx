// The resident's inbox: a notification for every change of the reports they sent or follow.
// Opening one marks it read; "mark all read" empties the badge.
import { dateTime } from "@shared/format";
import { pick, t, useLang } from "@shared/i18n";
import { href, Link, navigate } from "@shared/router";
import { Alert, type Told, toldText, Failed, Loading, useAsync } from "@shared/ui";
import { useState } from "preact/hooks";
import { markAllRead, markRead, type NotificationItem, notifications, session, setUnread } from "./account";

export function Notifications() {
  const lang = useLang();
  const signedIn = session.use();
  const [cursor, setCursor] = useState<string | null>(null);
  const [earlier, setEarlier] = useState<NotificationItem[]>([]);
  const [error, setError] = useState<Told>(null);
  const inbox = useAsync(async () => {
    if (!signedIn) return null;
    const page = await notifications(cursor);
    setUnread(page.unread);
    return page;
  }, [signedIn?.token, lang, cursor]);

  if (!signedIn) {
    return (
      <>
        <h1>{t("inbox.title")}</h1>
        <p>
          {t("inbox.signin")} <Link to="signin">{t("nav.signin")}</Link>
        </p>
      </>
    );
  }
  const items = [...earlier, ...(inbox.data?.items ?? [])];
  const unread = inbox.data?.unread ?? 0;

  async function open(item: NotificationItem) {
    if (!item.read) {
      try {
        setUnread((await markRead(item.id)).unread);
      } catch {
        // Reading the report matters more than the badge: open it anyway.
      }
    }
    navigate(`reports/${encodeURIComponent(item.report_id)}`);
  }

  async function readAll() {
    setError(null);
    try {
      setUnread((await markAllRead()).unread);
      setEarlier([]);
      setCursor(null);
      inbox.reload();
    } catch (failure) {
      setError({ failure });
    }
  }

  return (
    <>
      <h1>{t("inbox.title")}</h1>
      <div class="row inbox-head">
        <p class="muted" role="status">
          {unread ? t("inbox.unread", { n: unread }) : t("inbox.allRead")}
        </p>
        {unread > 0 && (
          <button type="button" class="secondary" onClick={readAll}>
            {t("inbox.readAll")}
          </button>
        )}
      </div>
      {error && <Alert>{toldText(error)}</Alert>}
      {inbox.loading && !inbox.data && <Loading />}
      {inbox.error ? <Failed error={inbox.error} retry={inbox.reload} /> : null}
      {inbox.data && items.length === 0 && <p>{t("inbox.empty")}</p>}
      {items.length > 0 && (
        <ul class="report-list inbox">
          {items.map((item) => (
            <li key={item.id}>
              <a
                href={href(`reports/${encodeURIComponent(item.report_id)}`)}
                class={`report-card${item.read ? "" : " unread"}`}
                onClick={(event) => {
                  event.preventDefault();
                  void open(item);
                }}
              >
                <span class="report-card-top">
                  <strong>{pick(item.title)}</strong>
                  {!item.read && <span class="badge unread-badge">{t("inbox.new")}</span>}
                </span>
                {item.body && <span>{pick(item.body)}</span>}
                <time class="muted" dateTime={item.created_datetime}>
                  {dateTime(item.created_datetime)}
                </time>
              </a>
            </li>
          ))}
        </ul>
      )}
      {inbox.data?.next_cursor && (
        <button
          type="button"
          class="secondary wide"
          onClick={() => {
            setEarlier(items);
            setCursor(inbox.data?.next_cursor ?? null);
          }}
        >
          {t("inbox.more")}
        </button>
      )}
    </>
  );
}
