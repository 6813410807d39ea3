import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { hashPassword } from "../lib/auth/password";
import { recordAudit } from "../lib/audit/record";
import { createDbClient, type Db } from "../lib/db/client";
import { signInAs } from "./support/sign-in";

/**
 * The audit page's filters in the browser: the action from the list, a date range (UTC days) and a search
 * for a value that only appears in an event's details.
 */
// Its own admin, so the spec runs alone as well as after 01-foundation's setup.
const admin = { email: "audit-admin@example.test", password: "correct horse battery staple" };
const marker = `marker-${randomBytes(6).toString("hex")}`;
let client: Db;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  const passwordHash = await hashPassword(admin.password);
  await client.user.upsert({ where: { email: admin.email }, create: { email: admin.email, role: "admin", passwordHash }, update: { role: "admin", passwordHash } });
  await client.$transaction((tx) =>
    recordAudit(tx, {
      actor: { kind: "system", label: "e2e" },
      meta: { ip: null, userAgent: null },
      action: "app.env.set",
      target: { type: "app", id: "e2e-app", name: "e2e-audit-app" },
      outcome: "success",
      summary: { variable: "E2E_ONLY", note: marker },
    }),
  );
});

test.afterAll(async () => {
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, admin);

// A zone with a half-hour offset, so the local time cannot pass for UTC by accident.
test.use({ timezoneId: "Asia/Kolkata" });

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test("filters the audit log by action, date range and a value in the details", async ({ page }) => {
  await signIn(page);
  await page.goto("/audit");
  await expect(page.getByTestId("audit-dates-note")).toContainText("UTC");

  // The action comes from the list (a select), not typed.
  await page.getByTestId("audit-filter-action").selectOption("app.env.set");
  await page.getByTestId("audit-filter-apply").click();
  await expect(page).toHaveURL(/action=app\.env\.set/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  for (const action of await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-action")))) expect(action).toBe("app.env.set");
  await expect(rows.filter({ hasText: "e2e-audit-app" }).first()).toBeVisible();

  // A date range of today (UTC) keeps it; yesterday alone does not.
  await page.getByTestId("audit-filter-from").fill(day(0));
  await page.getByTestId("audit-filter-to").fill(day(0));
  await page.getByTestId("audit-filter-apply").click();
  await expect(rows.filter({ hasText: "e2e-audit-app" }).first()).toBeVisible();
  await page.getByTestId("audit-filter-from").fill(day(-1));
  await page.getByTestId("audit-filter-to").fill(day(-1));
  await page.getByTestId("audit-filter-apply").click();
  await expect(page).toHaveURL(new RegExp(`to=${day(-1)}`));
  await expect(rows.filter({ hasText: "e2e-audit-app" })).toHaveCount(0);

  // The marker is only in the event's details: the search finds exactly that event.
  await page.goto("/audit");
  await page.getByTestId("audit-filter-q").fill(marker);
  await page.getByTestId("audit-filter-apply").click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("e2e-audit-app");

  // Times show in the viewer's zone once hydrated, with the UTC time on hover.
  const time = rows.first().getByTestId("audit-time");
  await expect(time).toContainText("GMT+5:30");
  await expect(time).toHaveAttribute("title", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
});
