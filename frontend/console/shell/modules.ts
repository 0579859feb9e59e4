// Each subsystem of the console lives in its own folder (field_reporting/, cameras/, …) with
// a module.tsx that says which pages it adds; the shell finds them all at build time.
import type { VNode } from "preact";

export interface NavItem {
  path: string;
  label: () => string;
  roles?: string[]; // none: every staff role
}

export interface Route {
  pattern: string; // "reports/:id"
  render: (params: Record<string, string>) => VNode;
  roles?: string[];
}

export interface ConsoleModule {
  id: string;
  order: number;
  nav: NavItem[];
  routes: Route[];
  home?: string[]; // roles whose console starts at this module's first page they may open
}

const found = import.meta.glob<{ default: ConsoleModule }>("../*/module.tsx", { eager: true });

export const MODULES: ConsoleModule[] = Object.values(found)
  .map((entry) => entry.default)
  .sort((a, b) => a.order - b.order);

/** Where a person's console starts: the first page of a module that names one of their roles
 * as its home, else the first page of the nav they may open. */
export function homePath(mine: string[]): string | undefined {
  const open = (modules: ConsoleModule[]) =>
    modules.flatMap((m) => m.nav).find((item) => allowed(item.roles, mine))?.path;
  return open(MODULES.filter((m) => m.home?.some((role) => mine.includes(role)))) ?? open(MODULES);
}

export function allowed(roles: string[] | undefined, mine: string[]): boolean {
  return !roles || roles.some((role) => mine.includes(role));
}
