import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import { runAction } from "../actions/core";
import { createTokenAction } from "../actions/users";
import type { Principal } from "../auth/roles";
import { createUser } from "../auth/users";
import { ConflictError, ValidationError } from "../errors";
import { archiveAuditEvents } from "./archive";
import { GENESIS_HASH, eventHash } from "./canonical";
import { recordAudit } from "./record";
import { ARCHIVE_ANCHOR_KEY, readArchiveAnchor, readLastVerify } from "./settings";
import { recomputeHash, runAuditVerification, verifyAuditChain } from "./verify";

const meta = { ip: "198.51.100.4", userAgent: "vitest-integrity" };
let admin: Principal;
const system = { kind: "system" as const, label: "cli (test)" };
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-audit-"));

/** A raw connection as the database superuser: the only way past the trigger, as an attacker with DB access would. */
async function superuser<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Runs statements with the append-only trigger switched off, in one transaction (as `ALTER TABLE … DISABLE TRIGGER ALL`). */
function bypassingTrigger(statements: (c: pg.Client) => Promise<unknown>): Promise<void> {
  return superuser(async (c) => {
    await c.query("BEGIN");
    await c.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`);
    await statements(c);
    await c.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER ALL`);
    await c.query("COMMIT");
  });
}

async function record(n: number, action = "test.event"): Promise<bigint[]> {
  const ids: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const row = await db().$transaction((tx) => recordAudit(tx, { actor: admin, meta, action, target: { type: "thing", id: `t${i}`, name: `thing ${i}` }, outcome: "success", summary: { i } }));
    ids.push(row.id);
  }
  return ids;
}

const ids = (rows: { id: bigint }[]) => rows.map((r) => r.id);

beforeAll(async () => {
  const user = await createUser(db(), { email: "admin@example.com", password: "admin-password-1", role: "admin" });
  admin = { kind: "user", id: user.id, email: user.email, name: null, role: "admin" };
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("append-only in the database itself", () => {
  beforeAll(async () => {
    await record(3);
  });

  it.each([
    ["UPDATE", `UPDATE "AuditEvent" SET "actorLabel" = 'someone else'`],
    ["DELETE", `DELETE FROM "AuditEvent"`],
    ["TRUNCATE", `TRUNCATE "AuditEvent"`],
  ])("refuses a direct SQL %s, even from the superuser", async (op, sql) => {
    await expect(superuser((c) => c.query(sql))).rejects.toThrow(new RegExp(`append-only: ${op} refused`));
    await expect(db().$executeRawUnsafe(sql)).rejects.toThrow(/append-only/);
    expect(await db().auditEvent.count()).toBe(3);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("lets DELETE through only in a transaction that declares itself the archive, and never UPDATE", async () => {
    await expect(
      superuser(async (c) => {
        await c.query("BEGIN");
        await c.query(`SELECT set_config('deckhand.audit_archive', 'on', true)`);
        await c.query(`UPDATE "AuditEvent" SET "outcome" = 'failure'`);
      }),
    ).rejects.toThrow(/append-only: UPDATE refused/);
    // The setting is transaction-local: a later DELETE on another transaction is refused again.
    await superuser(async (c) => {
      await c.query("BEGIN");
      await c.query(`SELECT set_config('deckhand.audit_archive', 'on', true)`);
      await c.query("ROLLBACK");
      await expect(c.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    });
    expect(await db().auditEvent.count()).toBe(3);
  });
});

describe("tampering is caught by audit verify", () => {
  let chain: bigint[];
  beforeAll(async () => {
    chain = ids(await db().auditEvent.findMany({ orderBy: { id: "asc" }, select: { id: true } }));
    chain.push(...(await record(5)));
    expect(await verifyAuditChain()).toMatchObject({ ok: true, count: 8 });
  });

  async function expectBrokenThenRestore(victim: bigint, tamper: string, restoreColumns: string[], reason: RegExp, brokenAt = victim) {
    const original = await db().auditEvent.findUniqueOrThrow({ where: { id: victim } });
    await bypassingTrigger((c) => c.query(tamper, [victim.toString()]));
    const result = await verifyAuditChain();
    expect(result).toMatchObject({ ok: false, brokenAt: brokenAt.toString() });
    expect(!result.ok && result.reason).toMatch(reason);
    // Put it back the same way, and the chain verifies again: the check is about content, not about history.
    await bypassingTrigger((c) =>
      c.query(`UPDATE "AuditEvent" SET ${restoreColumns.map((col, i) => `"${col}" = $${i + 2}`).join(", ")} WHERE "id" = $1`, [
        victim.toString(),
        ...restoreColumns.map((col) => {
          const v = original[col as keyof typeof original];
          return col === "summary" ? JSON.stringify(v) : v instanceof Date ? v.toISOString().slice(0, 23) : v;
        }),
      ]),
    );
    expect((await verifyAuditChain()).ok).toBe(true);
  }

  it("names the event whose summary was altered", async () => {
    await expectBrokenThenRestore(chain[4]!, `UPDATE "AuditEvent" SET "summary" = '{"i": 999}' WHERE "id" = $1`, ["summary"], /content does not match its hash/);
  });

  it("names the event whose actor was altered", async () => {
    await expectBrokenThenRestore(chain[2]!, `UPDATE "AuditEvent" SET "actorLabel" = 'innocent@example.com', "actorId" = 'nobody' WHERE "id" = $1`, ["actorLabel", "actorId"], /content does not match its hash/);
  });

  it("names the event whose time was moved", async () => {
    await expectBrokenThenRestore(chain[6]!, `UPDATE "AuditEvent" SET "at" = "at" - interval '1 day' WHERE "id" = $1`, ["at"], /content does not match its hash/);
  });

  it("catches an edit whose hash was recomputed too, at the next event (the link no longer matches)", async () => {
    const victim = await db().auditEvent.findUniqueOrThrow({ where: { id: chain[3]! } });
    const forgedSummary = { i: 12345 };
    const forgedHash = eventHash(victim.prevHash, {
      at: victim.at,
      actorType: victim.actorType,
      actorId: victim.actorId,
      actorLabel: victim.actorLabel,
      actorRole: victim.actorRole,
      ip: victim.ip,
      userAgent: victim.userAgent,
      action: victim.action,
      targetType: victim.targetType,
      targetId: victim.targetId,
      targetName: victim.targetName,
      outcome: victim.outcome,
      summary: forgedSummary,
    });
    await bypassingTrigger((c) => c.query(`UPDATE "AuditEvent" SET "summary" = $2, "hash" = $3 WHERE "id" = $1`, [victim.id.toString(), JSON.stringify(forgedSummary), forgedHash]));
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: chain[4]!.toString(), reason: expect.stringMatching(/previous-hash link/) });
    await bypassingTrigger((c) => c.query(`UPDATE "AuditEvent" SET "summary" = $2, "hash" = $3 WHERE "id" = $1`, [victim.id.toString(), JSON.stringify(victim.summary), victim.hash]));
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("names the event after a deleted middle row, and the first event when the oldest were deleted", async () => {
    const middle = await db().auditEvent.findUniqueOrThrow({ where: { id: chain[5]! } });
    const first = await db().auditEvent.findUniqueOrThrow({ where: { id: chain[0]! } });
    await bypassingTrigger((c) => c.query(`DELETE FROM "AuditEvent" WHERE "id" = $1`, [middle.id.toString()]));
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: chain[6]!.toString(), reason: expect.stringMatching(/previous-hash link/) });

    const reinsert = (c: pg.Client, row: typeof middle) =>
      c.query(
        `INSERT INTO "AuditEvent" ("id","at","actorType","actorId","actorLabel","actorRole","ip","userAgent","action","targetType","targetId","targetName","outcome","summary","prevHash","hash")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
        [
          row.id.toString(),
          row.at.toISOString().slice(0, 23),
          row.actorType,
          row.actorId,
          row.actorLabel,
          row.actorRole,
          row.ip,
          row.userAgent,
          row.action,
          row.targetType,
          row.targetId,
          row.targetName,
          row.outcome,
          JSON.stringify(row.summary),
          row.prevHash,
          row.hash,
        ],
      );
    await superuser((c) => reinsert(c, middle));
    expect((await verifyAuditChain()).ok).toBe(true);

    await bypassingTrigger((c) => c.query(`DELETE FROM "AuditEvent" WHERE "id" = $1`, [first.id.toString()]));
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: chain[1]!.toString(), reason: expect.stringMatching(/genesis/) });
    await superuser((c) => reinsert(c, first));
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("catches events cut from the end when given the head hash kept elsewhere", async () => {
    const head = await verifyAuditChain();
    if (!head.ok) throw new Error("chain should be intact here");
    const newest = await db().auditEvent.findUniqueOrThrow({ where: { id: chain.at(-1)! } });
    expect(newest.hash).toBe(head.head);
    expect((await verifyAuditChain({ expectHead: head.head })).ok).toBe(true);
    await bypassingTrigger((c) => c.query(`DELETE FROM "AuditEvent" WHERE "id" = $1`, [newest.id.toString()]));
    // The shortened chain is still a valid chain: only the kept head hash shows the cut.
    expect((await verifyAuditChain()).ok).toBe(true);
    expect(await verifyAuditChain({ expectHead: head.head })).toMatchObject({ ok: false, reason: expect.stringMatching(/head hash you kept is not in the chain/) });
    await superuser((c) =>
      c.query(`INSERT INTO "AuditEvent" SELECT $1::bigint, $2::timestamp(3), "actorType","actorId","actorLabel","actorRole","ip","userAgent","action","targetType",$3,$4,"outcome",$5::jsonb,$6,$7 FROM "AuditEvent" WHERE "id" = $8`, [
        newest.id.toString(),
        newest.at.toISOString().slice(0, 23),
        newest.targetId,
        newest.targetName,
        JSON.stringify(newest.summary),
        newest.prevHash,
        newest.hash,
        chain[0]!.toString(),
      ]),
    );
    expect((await verifyAuditChain({ expectHead: head.head })).ok).toBe(true);
  });

  it("records each verification for the audit page", async () => {
    await runAuditVerification("tester");
    expect(await readLastVerify(db())).toMatchObject({ ok: true, count: 8, by: "tester", brokenAt: null });
    await bypassingTrigger((c) => c.query(`UPDATE "AuditEvent" SET "ip" = '192.0.2.1' WHERE "id" = $1`, [chain[1]!.toString()]));
    const broken = await runAuditVerification("tester");
    expect(broken.ok).toBe(false);
    expect(await readLastVerify(db())).toMatchObject({ ok: false, brokenAt: chain[1]!.toString(), head: null });
    await bypassingTrigger((c) => c.query(`UPDATE "AuditEvent" SET "ip" = $2 WHERE "id" = $1`, [chain[1]!.toString(), meta.ip]));
    expect((await runAuditVerification("tester")).ok).toBe(true);
  });
});

describe("concurrent writers", () => {
  it("100 concurrent actions leave one intact chain of 100 more events, with no fork", async () => {
    const before = await db().auditEvent.count();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => runAction(createTokenAction, admin, { name: `parallel-${i}`, role: "viewer" }, meta)));
    expect(new Set(results.map((r) => r.id)).size).toBe(100);
    const events = await db().auditEvent.findMany({ where: { action: "token.create" }, orderBy: { id: "asc" } });
    expect(events).toHaveLength(100);
    expect(events.every((e) => e.outcome === "success")).toBe(true);
    expect(await db().auditEvent.count()).toBe(before + 100);
    // A fork would show as two events naming the same predecessor.
    const all = await db().auditEvent.findMany({ orderBy: { id: "asc" }, select: { prevHash: true, at: true } });
    expect(new Set(all.map((e) => e.prevHash)).size).toBe(all.length);
    // Time never goes backwards along the chain (the audit page's date filter relies on it).
    for (let i = 1; i < all.length; i++) expect(all[i]!.at.getTime()).toBeGreaterThanOrEqual(all[i - 1]!.at.getTime());
    expect(await verifyAuditChain()).toMatchObject({ ok: true, count: before + 100 });
  });
});

describe("archive", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("refuses a future date and an existing file, and does nothing when nothing is old enough", async () => {
    await expect(archiveAuditEvents({ before: new Date(Date.now() + 60_000), out: path.join(tmp, "future.jsonl"), actor: system })).rejects.toBeInstanceOf(ValidationError);
    expect(await archiveAuditEvents({ before: new Date("2000-01-01"), out: path.join(tmp, "none.jsonl"), actor: system })).toBeNull();
  });

  it("refuses to archive across a break, removes its partial file, and deletes nothing", async () => {
    const victim = (await db().auditEvent.findFirstOrThrow({ orderBy: { id: "asc" }, skip: 2 })).id;
    await bypassingTrigger((c) => c.query(`UPDATE "AuditEvent" SET "targetName" = 'renamed' WHERE "id" = $1`, [victim.toString()]));
    const count = await db().auditEvent.count();
    const out = path.join(tmp, "broken.jsonl");
    await expect(archiveAuditEvents({ before: new Date(), out, actor: system })).rejects.toThrow(new RegExp(`broken at event ${victim}`));
    expect(() => readFileSync(out)).toThrow();
    expect(await db().auditEvent.count()).toBe(count);
    await bypassingTrigger((c) => c.query(`UPDATE "AuditEvent" SET "targetName" = 'thing 2' WHERE "id" = $1`, [victim.toString()]));
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("exports the older events to a file, removes them, records it, and the chain still verifies from the anchor", async () => {
    const older = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
    await sleep(5);
    const cut = new Date();
    await sleep(5);
    const newer = await record(3, "test.after_cut");
    const out = path.join(tmp, "first.jsonl");

    const result = await archiveAuditEvents({ before: cut, out, actor: system, batchSize: 17 });
    expect(result).toMatchObject({ count: older.length, firstId: older[0]!.id.toString(), lastId: older.at(-1)!.id.toString() });

    const bytes = readFileSync(out);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(result!.sha256);
    const lines = bytes
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; prevHash: string; hash: string });
    expect(lines.map((l) => l.id)).toEqual(older.map((e) => e.id.toString()));
    expect(lines[0]!.prevHash).toBe(GENESIS_HASH);
    // The file alone proves its part of the chain: each line links to the one before.
    for (let i = 1; i < lines.length; i++) expect(lines[i]!.prevHash).toBe(lines[i - 1]!.hash);

    const remaining = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(ids(remaining)).toEqual([...newer, remaining.at(-1)!.id]);
    const archiveEvent = remaining.at(-1)!;
    expect(archiveEvent).toMatchObject({ action: "audit.archive", outcome: "success", actorType: "system", actorLabel: "cli (test)" });
    expect(archiveEvent.summary).toMatchObject({ count: older.length, sha256: result!.sha256, file: "first.jsonl", anchor: { id: older.at(-1)!.id.toString(), hash: older.at(-1)!.hash } });
    expect(await readArchiveAnchor(db())).toMatchObject({ id: older.at(-1)!.id.toString(), hash: older.at(-1)!.hash });

    expect(await verifyAuditChain()).toMatchObject({ ok: true, count: 4 });
    // Re-running for the same date finds nothing more to do.
    expect(await archiveAuditEvents({ before: cut, out: path.join(tmp, "again.jsonl"), actor: system })).toBeNull();
  });

  it("fails verification when the anchor setting is moved or removed", async () => {
    const anchor = await db().setting.findUniqueOrThrow({ where: { key: ARCHIVE_ANCHOR_KEY } });
    await db().setting.update({ where: { key: ARCHIVE_ANCHOR_KEY }, data: { value: { ...(anchor.value as object), hash: "f".repeat(64) } } });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, reason: expect.stringMatching(/archive anchor/) });
    await db().setting.delete({ where: { key: ARCHIVE_ANCHOR_KEY } });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, reason: expect.stringMatching(/genesis/) });
    await db().setting.create({ data: { key: ARCHIVE_ANCHOR_KEY, value: anchor.value ?? {} } });
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("fails verification when rows are deleted and the anchor is moved to match, with no archive event naming it", async () => {
    const [oldest] = await db().auditEvent.findMany({ orderBy: { id: "asc" }, take: 1 });
    const saved = await db().setting.findUniqueOrThrow({ where: { key: ARCHIVE_ANCHOR_KEY } });
    await bypassingTrigger((c) => c.query(`DELETE FROM "AuditEvent" WHERE "id" = $1`, [oldest!.id.toString()]));
    await db().setting.update({ where: { key: ARCHIVE_ANCHOR_KEY }, data: { value: { id: oldest!.id.toString(), hash: oldest!.hash, at: oldest!.at.toISOString(), archivedAt: new Date().toISOString() } } });
    expect(await verifyAuditChain()).toMatchObject({ ok: false, reason: expect.stringMatching(/no audit.archive event names the archive anchor/) });
    await superuser((c) =>
      c.query(
        `INSERT INTO "AuditEvent" ("id","at","actorType","actorId","actorLabel","actorRole","ip","userAgent","action","targetType","targetId","targetName","outcome","summary","prevHash","hash")
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
        [
          oldest!.id.toString(),
          oldest!.at.toISOString().slice(0, 23),
          oldest!.actorType,
          oldest!.actorId,
          oldest!.actorLabel,
          oldest!.actorRole,
          oldest!.ip,
          oldest!.userAgent,
          oldest!.action,
          oldest!.targetType,
          oldest!.targetId,
          oldest!.targetName,
          oldest!.outcome,
          JSON.stringify(oldest!.summary),
          oldest!.prevHash,
          oldest!.hash,
        ],
      ),
    );
    await db().setting.update({ where: { key: ARCHIVE_ANCHOR_KEY }, data: { value: saved.value ?? {} } });
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("can archive everything: the archive event then links to the anchor, and new events keep the chain", async () => {
    await sleep(5);
    const result = await archiveAuditEvents({ before: new Date(), out: path.join(tmp, "second.jsonl"), actor: system });
    expect(result!.count).toBe(4);
    const rows = await db().auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: "audit.archive", prevHash: result!.anchor.hash });
    // The second file continues the first: its first line links to the first file's last event.
    const firstLine = JSON.parse(readFileSync(path.join(tmp, "second.jsonl"), "utf8").split("\n")[0]!) as { prevHash: string };
    const firstFile = readFileSync(path.join(tmp, "first.jsonl"), "utf8").trimEnd().split("\n");
    expect(firstLine.prevHash).toBe((JSON.parse(firstFile.at(-1)!) as { hash: string }).hash);

    await record(2, "test.after_everything");
    const verified = await verifyAuditChain();
    expect(verified).toMatchObject({ ok: true, count: 3 });
    const newest = await db().auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(recomputeHash(newest.prevHash, newest)).toBe(newest.hash);
  });

  it("an archive racing another archive of the same events removes nothing twice", async () => {
    await sleep(5);
    const cut = new Date();
    const outcomes = await Promise.allSettled([archiveAuditEvents({ before: cut, out: path.join(tmp, "race-a.jsonl"), actor: system }), archiveAuditEvents({ before: cut, out: path.join(tmp, "race-b.jsonl"), actor: system })]);
    const ok = outcomes.filter((o) => o.status === "fulfilled" && o.value);
    const refused = outcomes.filter((o) => o.status === "rejected");
    expect(ok.length + refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await db().auditEvent.count({ where: { action: "audit.archive" } })).toBe(1);
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
