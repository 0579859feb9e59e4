// What both apps do around their pages: start under their base path in the chosen language,
// offer a skip link, and move focus to the new page's content as a page load would.
import { type ComponentType, render } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { applyLang, t } from "./i18n";
import { setBase } from "./router";

/** Render the app into #root, its links under the base it was built for (/console/, /app/). */
export function startApp(App: ComponentType): void {
  setBase(import.meta.env.BASE_URL);
  applyLang();
  render(<App />, document.getElementById("root") as HTMLElement);
}

export function SkipLink() {
  return (
    <a class="skip-link" href="#main">
      {t("skip")}
    </a>
  );
}

/** The <main> element's ref: focused (and, if asked, scrolled to the top) on each new path. */
export function useMainFocus(path: string, options: { scrollTop?: boolean } = {}) {
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    if (options.scrollTop) window.scrollTo(0, 0);
  }, [path]);
  return main;
}
