import { RULES, type Permission } from "./permissions";
import type { Role } from "./roles";

/**
 * Pages that need more than a viewer, by path: the page checks its entry (requirePageAccess), and the 403
 * page reads the same entry to say which role the page needs. Longest prefix first.
 */
export const PAGE_ACCESS = [
  { path: "/settings/alerts", title: "Alert settings", permission: "manageMonitors" },
  { path: "/settings/status-pages", title: "Status pages", permission: "manageMonitors" },
  { path: "/settings/maintenance", title: "Maintenance windows", permission: "manageMonitors" },
  { path: "/settings", title: "Settings", permission: "manageSettings" },
  { path: "/apps/new", title: "New app", permission: "manageApps" },
] as const satisfies readonly { path: string; title: string; permission: Permission }[];

export type GuardedPage = (typeof PAGE_ACCESS)[number]["path"];

export interface PageNeed {
  title: string;
  role: Role;
}

/** Which role the page at `pathname` needs, or null for a page every signed-in person may see. */
export function pageNeed(pathname: string): PageNeed | null {
  const bare = pathname.split(/[?#]/)[0]!.replace(/\/+$/, "") || "/";
  const entry = PAGE_ACCESS.find((p) => bare === p.path || bare.startsWith(`${p.path}/`));
  return entry ? { title: entry.title, role: RULES[entry.permission].role } : null;
}
