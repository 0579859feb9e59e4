// Each subsystem of the console lives in its own folder (field_reporting/, cameras/, …) with
// a module.tsx that says which pages it adds; the shell finds them all at build time.
import type { FunctionComponent, VNode } from "preact";

export interface NavItem {
  path: string;
  label: () => string;
  needs?: string; // the permission its API route needs (none: every staff member)
  badge?: FunctionComponent; // shown after the label, e.g. an unread count
}

export interface Route {
  pattern: string; // "reports/:id"
  render: (params: Record<string, string>) => VNode;
  needs?: string;
}

export interface ConsoleModule {
  id: string;
  order: number;
  nav: NavItem[];
  routes: Route[];
  home?: string[]; // roles that start at this module's first page they may open (a preference, not access)
}

const found = import.meta.glob<{ default: ConsoleModule }>("../*/module.tsx", { eager: true });

export const MODULES: ConsoleModule[] = Object.values(found)
  .map((entry) => entry.default)
  .sort((a, b) => a.order - b.order);

/** Where a person's console starts: the first page they may open of a module that names one
 * of their roles as its home, else the first page of the nav they may open. */
export function homePath(roles: string[], permissions: string[]): string | undefined {
  const open = (modules: ConsoleModule[]) =>
    modules.flatMap((m) => m.nav).find((item) => allowed(item.needs, permissions))?.path;
  return open(MODULES.filter((m) => m.home?.some((role) => roles.includes(role)))) ?? open(MODULES);
}

/** Pages ask for permissions, as the API does: roles are data the rooms declare. */
export function allowed(needs: string | undefined, mine: string[]): boolean {
  return !needs || mine.includes(needs);
}
