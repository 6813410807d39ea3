import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ENV_VARIABLES, inspectEnv } from "../../lib/env";
import { DOC_SESSIONS, parseDeployDoc } from "../harness/deploy-doc";

/** The static half of the deploy doc's check (the other half, `npm run docs:check`, runs its commands). */
const root = path.resolve(import.meta.dirname, "../..");
const doc = parseDeployDoc();
const markdown = readFileSync(path.join(root, "docs", "deploy.md"), "utf8");
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-doc-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("docs/deploy.md", () => {
  it("marks every shell block, and the check runs every marked one", () => {
    expect(doc.unmarked.filter((b) => b.lang === "sh")).toEqual([]);
    const commandBlocks = doc.blocks.filter((b) => !b.name.startsWith("file "));
    expect(commandBlocks.every((b) => b.lang === "sh")).toBe(true);
    const names = commandBlocks.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    const run = new Set(DOC_SESSIONS.flatMap((s) => s.blocks));
    expect([...run].sort()).toEqual([...names].sort());
  });

  it("shows the shipped unit file exactly", () => {
    const files = doc.blocks.filter((b) => b.name.startsWith("file "));
    expect(files.length).toBeGreaterThan(0);
    for (const b of files) expect(b.text, b.name).toBe(readFileSync(path.join(root, b.name.slice(5)), "utf8"));
  });

  it("lists every environment variable Deckhand reads, with its default", () => {
    const rows = new Map([...markdown.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
    expect([...rows.keys()].sort()).toEqual([...ENV_VARIABLES].sort());
    const defaults = inspectEnv({}).settings as Record<string, unknown>;
    for (const [name, value] of Object.entries(defaults)) {
      if (value === undefined) continue;
      expect(rows.get(name), name).toContain(`\`${String(value)}\``);
    }
  });

  it("ships unit files that systemd-analyze verify accepts", () => {
    // With the backup script where its unit expects it (under a temp root), like an installed server.
    const sbin = path.join(tmp, "usr", "local", "sbin");
    mkdirSync(sbin, { recursive: true });
    cpSync(path.join(root, "deploy", "deckhand-backup"), path.join(sbin, "deckhand-backup"));
    const unitDir = path.join(tmp, "units");
    mkdirSync(unitDir);
    const units = readdirSync(path.join(root, "deploy", "systemd"));
    expect(units.sort()).toEqual(["deckhand-backup.service", "deckhand-backup.timer", "deckhand-web.service", "deckhand-worker.service"]);
    for (const u of units) {
      const text = readFileSync(path.join(root, "deploy", "systemd", u), "utf8").replaceAll("=/usr/local/sbin/", `=${sbin}/`);
      writeFileSync(path.join(unitDir, u), text);
    }
    // Unknown keys are only warnings (exit 0), so any output at all fails the test.
    const r = spawnSync("systemd-analyze", ["verify", ...units.map((u) => path.join(unitDir, u))], { encoding: "utf8" });
    expect(r.error).toBeUndefined();
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
