// The resident web app (/app/): mobile first, Vietnamese first.
import "@shared/base.css";
import "@shared/messages";
import "./messages";
import "./styles.css";
import { applyLang, t, useLang } from "@shared/i18n";
import { Link, match, setBase, useRoute } from "@shared/router";
import { LangSwitch } from "@shared/ui";
import { render } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { session } from "./account";
import { Home } from "./Home";
import { NewReport } from "./NewReport";
import { SignIn } from "./SignIn";
import { Track } from "./Track";

setBase(import.meta.env.BASE_URL);
applyLang();

function Page({ path }: { path: string }) {
  if (path === "new") return <NewReport />;
  if (path === "signin") return <SignIn />;
  const tracked = match("reports/:id", path);
  if (tracked) return <Track key={tracked.id} id={tracked.id} />;
  return <Home />;
}

function App() {
  useLang();
  const path = useRoute();
  const signedIn = session.use();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // A new page moves focus to its content, as a page load would for a screen reader.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);
  return (
    <>
      <a class="skip-link" href="#main">
        {t("skip")}
      </a>
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

render(<App />, document.getElementById("root") as HTMLElement);
