import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// Debian's Chromium when present (Playwright's own browser download cannot run offline here);
// on a machine with Playwright's browsers installed, those are used instead.
const executablePath = [process.env.DECKHAND_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => !!p && existsSync(p));

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL: process.env.DECKHAND_E2E_BASE_URL ?? "http://127.0.0.1:3102",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
    },
  },
});
