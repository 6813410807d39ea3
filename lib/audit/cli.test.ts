import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { recordAudit } from "./record";
import { readLastVerify } from "./settings";

/** `npx deckhand audit verify|archive` as a user runs it: the real bin, its exit code and its output. */
const root = path.resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-audit-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function deckhand(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "bin", "deckhand.mjs"), ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: "warn" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const actor = { kind: "user" as const, id: "u-cli", email: "ops@example.com", name: null, role: "admin" as const };

describe("deckhand audit (CLI)", () => {
  const ids: bigint[] = [];
  beforeAll(async () => {
    for (let i = 0; i < 4; i++) {
      const row = await db().$transaction((tx) => recordAudit(tx, { actor, meta: { ip: null, userAgent: null }, action: "test.cli", target: { type: "thing", name: `n${i}` }, outcome: "success" }));
      ids.push(row.id);
    }
  });

  it("verify exits 0 with the count and the head, and records the run for the audit page", async () => {
    const head = await db().auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    const r = await deckhand("audit", "verify");
    expect(r.stdout).toBe(`audit chain intact: 4 events, head ${head.hash}\n`);
    expect(r.code).toBe(0);
    expect(await readLastVerify(db())).toMatchObject({ ok: true, count: 4, head: head.hash, by: expect.stringMatching(/^cli \(/) });
    expect((await deckhand("audit", "verify", "--head", head.hash)).code).toBe(0);
    const unknownHead = await deckhand("audit", "verify", "--head", "a".repeat(64));
    expect(unknownHead.code).toBe(1);
    expect(unknownHead.stdout).toMatch(/head hash you kept is not in the chain/);
  });

  it("verify exits non-zero naming the first event that does not match", async () => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    try {
      await c.query("BEGIN");
      await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`);
      await c.query(`UPDATE "AuditEvent" SET "actorLabel" = 'someone-else@example.com' WHERE "id" = $1`, [ids[1]!.toString()]);
      await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER ALL`);
      await c.query("COMMIT");
      const r = await deckhand("audit", "verify");
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(`audit chain BROKEN at event ${ids[1]}: content does not match its hash\n`);
      expect(await readLastVerify(db())).toMatchObject({ ok: false, brokenAt: ids[1]!.toString() });
    } finally {
      await c.query("BEGIN");
      await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`);
      await c.query(`UPDATE "AuditEvent" SET "actorLabel" = 'ops@example.com' WHERE "id" = $1`, [ids[1]!.toString()]);
      await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER ALL`);
      await c.query("COMMIT");
      await c.end();
    }
    expect((await deckhand("audit", "verify")).code).toBe(0);
  });

  it("archive exports, removes and records; verify still passes afterwards", async () => {
    await new Promise((r) => setTimeout(r, 5));
    const out = path.join(tmp, "archive.jsonl");
    const r = await deckhand("audit", "archive", "--before", new Date().toISOString(), "--out", out);
    expect(r.stderr).toMatch(/archived 4 events/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} sha256 [0-9a-f]{64}\\n$`));
    expect(readFileSync(out, "utf8").trimEnd().split("\n")).toHaveLength(4);
    const left = await db().auditEvent.findMany();
    expect(left.map((e) => e.action)).toEqual(["audit.archive"]);
    const verify = await deckhand("audit", "verify");
    expect(verify.stdout).toMatch(/^audit chain intact: 1 events/);
    expect(verify.code).toBe(0);
  });

  it("archive explains what it needs", async () => {
    const missing = await deckhand("audit", "archive", "--before", "2020-01-01");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--before <date> and --out <file.jsonl>/);
    const bad = await deckhand("audit", "archive", "--before", "last week", "--out", path.join(tmp, "x.jsonl"));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a date/);
  });
});
