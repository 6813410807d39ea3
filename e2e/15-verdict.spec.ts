import { expect, test, type Page } from "@playwright/test";
import { createDbClient, type Db } from "../lib/db/client";
import { hashPassword } from "../lib/auth/password";
import { signInAs } from "./support/sign-in";

/**
 * The release verdict on the deploy page (issue 15), at 1440 and 390 px: a deploy that regressed during its
 * soak and was rolled back shows the verdict, its summary and both sides' numbers. The verdict itself is
 * reached on the real sshd in lib/deploy/verdict/soak.test.ts (a release answering 500 on a share of requests
 * passes its health check, fails its soak and is rolled back); here the row it writes is seeded, so the page
 * is checked on its own.
 */
const viewer = { email: "verdict-viewer@example.test", password: "verdict viewer password 1" };
let client: Db;
let appId: string;
let deployId: string;

test.beforeAll(async () => {
  client = createDbClient(process.env.DECKHAND_E2E_DATABASE_URL!, 2);
  await client.user.create({ data: { email: viewer.email, role: "viewer", passwordHash: await hashPassword(viewer.password) } });
  const app = await client.app.create({ data: { name: "judged", repoUrl: "/nowhere/judged.git", deployPath: "/srv/judged" }, select: { id: true } });
  appId = app.id;
  const env = await client.environment.findUniqueOrThrow({ where: { appId_name: { appId, name: "production" } }, select: { id: true } });
  const numbers = {
    soak: { checks: 50, failures: 9, errorRate: 18, p95LatencyMs: 412 },
    baseline: { checks: 250, failures: 1, errorRate: 0.4, p95LatencyMs: 96 },
    maxErrorRateIncrease: 5,
    maxLatencyRatio: 2,
    minLatencyIncreaseMs: 50,
    minSamples: 20,
    regressions: ["error rate", "p95 latency"],
    mode: "rollback",
    environment: "production",
  };
  const at = new Date(Date.now() - 10 * 60_000);
  const deploy = await client.deploy.create({
    data: {
      appId,
      environmentId: env.id,
      kind: "deploy",
      status: "failed",
      ref: "main",
      commit: "c0ffee0c0ffee0c0ffee0c0ffee0c0ffee0c0ffe",
      actorLabel: "deployer@example.test",
      createdAt: at,
      startedAt: at,
      finishedAt: new Date(at.getTime() + 6 * 60_000),
      error: "release verdict: regressed during the soak; rolled back",
      verdict: "regressed",
      verdictSummary: "error rate 18% vs 0.4% before; p95 412 ms vs 96 ms; rolled back",
      verdictNumbers: numbers,
    },
    select: { id: true },
  });
  deployId = deploy.id;
});

test.afterAll(async () => {
  await client.app.delete({ where: { id: appId } });
  await client?.$disconnect();
});

const signIn = (page: Page) => signInAs(page, viewer);

test("a regressed, rolled-back release shows its verdict and numbers on the deploy page at 1440 and 390 px", async ({ page }) => {
  await signIn(page);
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`/apps/${appId}/deploys/${deployId}`);
    const card = page.getByTestId("deploy-verdict");
    await expect(card).toHaveAttribute("data-outcome", "regressed");
    await expect(card).toContainText("regressed");
    await expect(card).toContainText("rolls back on a regression");
    await expect(card.getByTestId("deploy-verdict-summary")).toHaveText("error rate 18% vs 0.4% before; p95 412 ms vs 96 ms; rolled back");
    const soak = card.getByRole("row", { name: /This release \(soak\)/ });
    await expect(soak).toContainText("50");
    await expect(soak).toContainText("18%");
    await expect(soak).toContainText("412 ms");
    await expect(card.getByRole("row", { name: /Before \(baseline\)/ })).toContainText("0.4%");
    await expect(page.getByTestId("deploy-incidents")).toContainText("None started in the 30 minutes after it ended.");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `sideways scroll at ${width} px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/e2e/deploy-verdict-${width}.png`, fullPage: true });
  }
});
