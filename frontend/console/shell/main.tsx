// The operator console (/console/): sign-in, then the pages of every subsystem module.
import "@shared/base.css";
import "@shared/messages";
import "./messages";
import "./styles.css";
import { SkipLink, startApp, useMainFocus } from "@shared/app";
import { t, useLang } from "@shared/i18n";
import { Link, match, navigate, useRoute } from "@shared/router";
import type { Session } from "@shared/session";
import { Alert, LangSwitch } from "@shared/ui";
import { isStaff, session } from "./auth";
import { allowed, homePath, MODULES } from "./modules";
import { SignIn } from "./SignIn";

function Page({ path, me }: { path: string; me: Session }) {
  if (path === "") {
    const home = homePath(me.roles, me.permissions ?? []);
    if (home) navigate(home, { replace: true });
    return null;
  }
  for (const module of MODULES) {
    for (const route of module.routes) {
      const params = match(route.pattern, path);
      if (!params) continue;
      if (!allowed(route.needs, me.permissions ?? [])) return <Alert>{t("forbidden")}</Alert>;
      return route.render(params);
    }
  }
  return <Alert>{t("notFound")}</Alert>;
}

function App() {
  useLang();
  const path = useRoute();
  const me = session.use();
  const main = useMainFocus(path);
  const staff = me && isStaff(me.roles) ? me : null;
  return (
    <>
      <SkipLink />
      <header class="topbar">
        <div class="brand">
          <span class="brand-name">{t("app.name")}</span>
          <span class="brand-subtitle">{t("app.subtitle")}</span>
        </div>
        <div class="topbar-end">
          {staff && (
            <span class="whoami">
              <span class="whoami-name">{staff.name ?? staff.subject}</span>{" "}
              <span class="whoami-role">
                {staff.roles.map((role) => t(`role.${role}`)).join(", ")}
                {staff.unit ? ` · ${staff.unit_name ?? staff.unit}` : ""}
              </span>
            </span>
          )}
          <LangSwitch />
          {staff && (
            <button type="button" class="secondary small" onClick={() => session.set(null)}>
              {t("signout")}
            </button>
          )}
        </div>
      </header>
      <div class="layout">
        {staff && (
          <nav class="sidenav" aria-label={t("nav.label")}>
            <ul>
              {MODULES.flatMap((module) => module.nav)
                .filter((item) => allowed(item.needs, staff.permissions ?? []))
                .map(({ path: to, label, badge: Badge }) => (
                  <li key={to}>
                    <Link to={to} aria-current={path === to || path.startsWith(`${to}/`) ? "page" : undefined}>
                      <span class="nav-label">{label()}</span>
                      {Badge && <Badge />}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
        )}
        <main id="main" ref={main} tabIndex={-1}>
          {staff ? <Page path={path} me={staff} /> : <SignIn />}
        </main>
      </div>
    </>
  );
}

startApp(App);
