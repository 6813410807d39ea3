import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { pageNeed } from "../lib/auth/page-needs";
import { hasRole, type Role } from "../lib/auth/roles";
import { createDbClient, type Db } from "../lib/db/client";
import { DASHBOARD, fillRoute, pagesUnder } from "./support/dashboard-pages";
import { signInAs } from "./support/sign-in";

/**
 * Every dashboard page, as each role, in Chromium: no console error (a hydration mismatch included), no
 * uncaught page error, and no sub-request answered 4xx or 5xx (favicon included). The pages are found from
 * app/(dashboard) itself, so a new page is swept without being listed here; a dynamic segment is filled
 * with a row the earlier specs made (02-deploy's app, server and deploy, 03-monitors' monitor). A page a
 * role may not see is left to test/api/page-access.test.ts (it answers 403 by design).
 */
const ROLES: Role[] = ["viewer", "deployer", "admin"];
let client: Db;

const fill = (route: string) => fillRoute(client, route);

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("response", (res) => {
    // The page's own document is judged by the caller (a redirect to a page above the role answers 403).
    if (res.request().isNavigationRequest() && res.frame() === page.mainFrame()) return;
    if (res.status() >= 400) problems.push(`${res.status()} for ${res.request().method()} ${res.url()}`);
  });
  page.on("requestfailed", (req) => {
    // A live stream or a prefetch cut by the next navigation is not a failure of the page.
    const reason = req.failure()?.errorText ?? "";
    if (!/ERR_ABORTED/.test(reason)) problems.push(`request failed: ${req.method()} ${req.url()} (${reason})`);
  });
  return problems;
}

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
});
test.afterAll(async () => {
  await client?.$disconnect();
});

for (const role of ROLES) {
  test(`every page as ${role}: no console error, page error or failed request`, async ({ page }) => {
    test.setTimeout(240_000);
    const user = { email: `sweep-${role}@example.test`, password: "correct horse battery staple" };
    const passwordHash = await hashPassword(user.password);
    await client.user.upsert({ where: { email: user.email }, create: { email: user.email, role, passwordHash }, update: { role, passwordHash, disabled: false } });
    const routes = pagesUnder(DASHBOARD).filter((r) => {
      const need = pageNeed(r);
      return !need || hasRole(role, need.role);
    });
    expect(routes.length).toBeGreaterThan(8);

    const problems = watch(page);
    await signInAs(page, user);

    const found: string[] = [];
    for (const route of routes) {
      const url = await fill(route);
      problems.length = 0;
      const res = await page.goto(url, { waitUntil: "load" });
      // Time for hydration and the first client fetches to report.
      await page.waitForTimeout(1_200);
      const landed = new URL(page.url());
      const need = pageNeed(landed.pathname);
      // An old address that redirects to a page above this role (e.g. /alerts → /settings/alerts): its 403 is by design.
      const refusedByDesign = res?.status() === 403 && need !== null && !hasRole(role, need.role);
      const own = refusedByDesign ? problems.filter((p) => !(p.startsWith("console error: Failed to load resource") && p.includes("403"))) : problems;
      if (!res || (res.status() >= 400 && !refusedByDesign) || own.length > 0) found.push(`${url} (${route}) → ${res?.status() ?? "no answer"}: ${own.join("; ") || "no detail"}`);
    }
    expect(found, found.join("\n")).toEqual([]);
  });
}
