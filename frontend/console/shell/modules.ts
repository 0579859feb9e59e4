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
  home?: string; // the first page for a role, when it is this module's
}

const found = import.meta.glob<{ default: ConsoleModule }>("../*/module.tsx", { eager: true });

export const MODULES: ConsoleModule[] = Object.values(found)
  .map((entry) => entry.default)
  .sort((a, b) => a.order - b.order);

export function allowed(roles: string[] | undefined, mine: string[]): boolean {
  return !roles || roles.some((role) => mine.includes(role));
}
