// A tiny history router: each app owns the paths under its base (/console/, /app/); the
// server answers any of them with the app's index.html.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";

let base = "/";
const listeners = new Set<() => void>();

export function setBase(path: string): void {
  base = path.endsWith("/") ? path : `${path}/`;
}

/** The path inside the app ("" for its home), without the query. */
export function currentPath(): string {
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "";
  return path.replace(/\/+$/, "");
}

export function currentQuery(): URLSearchParams {
  return new URLSearchParams(location.search);
}

export function href(path: string): string {
  return base + path.replace(/^\//, "");
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (options.replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  notify();
}

/** Change the query string of the current page without a new history entry. */
export function setQuery(params: URLSearchParams): void {
  const text = params.toString();
  history.replaceState(null, "", location.pathname + (text ? `?${text}` : ""));
  notify();
}

function notify(): void {
  for (const listener of listeners) listener();
}

window.addEventListener("popstate", notify);

export function useRoute(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const update = () => setPath(currentPath());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return path;
}

/** Match "reports/:id" against a path; the named parts, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = path.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(":")) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return null;
  }
  return params;
}

interface LinkProps {
  to: string;
  children: ComponentChildren;
  class?: string;
  "aria-current"?: "page" | undefined;
}

export function Link({ to, children, ...rest }: LinkProps) {
  return (
    <a
      {...rest}
      href={href(to)}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
