import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { baseUrl } from "../helpers/http";
import { openApiTypes } from "../helpers/openapi-types";

/** The document the running app serves, checked by tools that did not write it. */
const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-openapi-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function liveDocument(): Promise<unknown> {
  const res = await fetch(`${baseUrl()}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  return res.json();
}

describe("GET /api/v1/openapi.json", () => {
  it("passes Redocly's recommended lint with no error", async () => {
    const file = path.join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(await liveDocument()));
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/@redocly/cli/bin/cli.js"), "lint", file, "--extends=recommended", "--format=json"], {
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
    const report = JSON.parse(r.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string; message: string }[] };
    const errors = report.problems.filter((p) => p.severity === "error").map((p) => `${p.ruleId}: ${p.message}`);
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(r.status).toBe(0);
  }, 150_000);

  it("is what the committed typed client was generated from (npm run openapi:types)", async () => {
    const committed = readFileSync(path.join(root, "test/generated/openapi.d.ts"), "utf8");
    expect(await openApiTypes(await liveDocument()), "the API changed: run `npm run openapi:types` and commit test/generated/openapi.d.ts").toBe(committed);
  });
});
