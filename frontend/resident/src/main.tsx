// The resident web app (/app/): mobile first, Vietnamese first.
import "@shared/base.css";
import "@shared/messages";
import "./messages";
import "./styles.css";
import { SkipLink, startApp, useMainFocus } from "@shared/app";
import { t, useLang } from "@shared/i18n";
import { Link, match, useRoute } from "@shared/router";
import { LangSwitch } from "@shared/ui";
import { useEffect, useState } from "preact/hooks";
import { onUnread, refreshUnread, session } from "./account";
import { Home } from "./Home";
import { NewReport } from "./NewReport";
import { Notifications } from "./Notifications";
import { flush } from "./outbox";
import { SignIn } from "./SignIn";
import { Track } from "./Track";

const UNREAD_EVERY_MS = 60_000;

function Page({ path }: { path: string }) {
  if (path === "new") return <NewReport />;
  if (path === "signin") return <SignIn />;
  if (path === "notifications") return <Notifications />;
  const tracked = match("reports/:id", path);
  if (tracked) return <Track key={tracked.id} id={tracked.id} />;
  return <Home />;
}

function App() {
  useLang();
  const path = useRoute();
  const signedIn = session.use();
  // On a phone the new page starts at its top, not where the last one was scrolled to.
  const main = useMainFocus(path, { scrollTop: true });
  const [unread, setUnread] = useState(0);
  useEffect(() => onUnread(setUnread), []);
  useEffect(() => void refreshUnread(), [path, signedIn?.token]);
  useEffect(() => {
    const timer = setInterval(() => void refreshUnread(), UNREAD_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <SkipLink />
      <header class="topbar">
        <Link to="" class="brand">
          <span class="brand-name">{t("app.name")}</span>
          <span class="brand-tagline">{t("app.tagline")}</span>
        </Link>
        <LangSwitch />
      </header>
      <nav class="tabs" aria-label={t("app.name")}>
        <Link to="" aria-current={path === "" ? "page" : undefined}>
          {t("nav.home")}
        </Link>
        <Link to="new" aria-current={path === "new" ? "page" : undefined}>
          {t("nav.new")}
        </Link>
        {signedIn && (
          <Link to="notifications" aria-current={path === "notifications" ? "page" : undefined}>
            {t("nav.inbox")}
            {unread > 0 && (
              <span class="count-badge">
                <span aria-hidden="true">{unread > 99 ? "99+" : unread}</span>
                <span class="visually-hidden">{t("nav.unread", { n: unread })}</span>
              </span>
            )}
          </Link>
        )}
        {signedIn ? (
          <button type="button" class="link" onClick={() => session.set(null)}>
            {t("signout")}
          </button>
        ) : (
          <Link to="signin" aria-current={path === "signin" ? "page" : undefined}>
            {t("nav.signin")}
          </Link>
        )}
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        {signedIn?.phone && <p class="muted small">{t("signin.as", { phone: signedIn.phone })}</p>}
        <Page path={path} />
      </main>
    </>
  );
}

startApp(App);

// What was written without a signal goes when the connection returns, or at the next start.
window.addEventListener("online", () => void flush());
void flush();

// Installable, and starts without a connection: the service worker keeps the app's shell.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL });
}
