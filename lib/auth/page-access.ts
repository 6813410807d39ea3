import { forbidden } from "next/navigation";
import { PAGE_ACCESS, type GuardedPage } from "./page-needs";
import { RULES } from "./permissions";
import type { UserPrincipal } from "./session";

/** For a page in PAGE_ACCESS: the signed-in user when their role allows it, else the 403 page (app/(dashboard)/forbidden.tsx). */
export function requirePageAccess(user: UserPrincipal, page: GuardedPage): UserPrincipal {
  const entry = PAGE_ACCESS.find((p) => p.path === page)!;
  if (!RULES[entry.permission].allows(user)) forbidden();
  return user;
}
