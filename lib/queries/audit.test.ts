import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client";
import type { Principal } from "../auth/roles";
import { auditScope } from "../auth/permissions";
import { recordAudit } from "../audit/record";
import { auditFilterSchema } from "../actions/schemas/audit";
import { getAuditHead, listAuditActionNames, listAuditActorLabels, listAuditEvents, type AuditEventRow } from "./audit";

/**
 * The audit filters against an oracle: the same events filtered in plain TypeScript. Every filter is read
 * page by page through the keyset cursor with a small page size, so pagination is checked at the same time.
 */
interface Seed {
  id: bigint;
  at: Date;
  actorType: "user" | "token";
  actorId: string;
  actorLabel: string;
  actorRole: string;
  ip: string;
  action: string;
  targetType: string;
  targetId: string;
  targetName: string;
  outcome: "success" | "failure" | "denied";
}

const ACTORS = [
  { actorType: "user", actorId: "u-alice", actorLabel: "alice@example.com", actorRole: "deployer" },
  { actorType: "user", actorId: "u-bob", actorLabel: "bob@example.com", actorRole: "admin" },
  { actorType: "token", actorId: "t-ci", actorLabel: "token ci", actorRole: "deployer" },
  { actorType: "user", actorId: "u-carol", actorLabel: "Carol@Example.com", actorRole: "viewer" },
] as const;
const ACTIONS = ["deploy.start", "deploy.finish", "user.create", "auth.signin", "server.update", "deployment.note"] as const;
const START = Date.UTC(2026, 0, 1);
const HOUR = 3600_000;

function seedRow(i: number): Omit<Seed, "id"> {
  const actor = ACTORS[i % ACTORS.length]!;
  const action = ACTIONS[i % ACTIONS.length]!;
  const target = action.startsWith("deploy.")
    ? { targetType: "deploy", targetId: `dep-${i}`, targetName: i % 3 === 0 ? "Shop" : "blog" }
    : action === "server.update"
      ? { targetType: "server", targetId: "srv-1", targetName: "web-1" }
      : action === "deployment.note"
        ? { targetType: "note", targetId: "shop", targetName: "shop" } // id and name both "shop": must not be listed twice
        : { targetType: "user", targetId: `u-${i}`, targetName: `person${i}@example.com` };
  return {
    at: new Date(START + i * HOUR),
    ...actor,
    ip: `10.0.0.${i % 5}`,
    action,
    ...target,
    outcome: i % 7 === 0 ? "denied" : i % 11 === 0 ? "failure" : "success",
  };
}

const seeds: Seed[] = [];
const admin: Principal = { kind: "user", id: "u-bob", email: "bob@example.com", name: null, role: "admin" };
const alice: Principal = { kind: "user", id: "u-alice", email: "alice@example.com", name: null, role: "deployer" };
const carol: Principal = { kind: "user", id: "u-carol", email: "carol@example.com", name: null, role: "viewer" };
const ciToken: Principal = { kind: "token", id: "t-ci", name: "ci", role: "deployer" };

beforeAll(async () => {
  // Written through the raw table (the chain is not what these tests are about) with times spread over days,
  // rising with id as recordAudit guarantees.
  for (let i = 1; i <= 150; i++) {
    const s = seedRow(i);
    const [row] = await db().$queryRaw<{ id: bigint }[]>`
      INSERT INTO "AuditEvent" ("at","actorType","actorId","actorLabel","actorRole","ip","userAgent","action","targetType","targetId","targetName","outcome","summary","prevHash","hash")
      VALUES (${s.at.toISOString().slice(0, 23)}::timestamp(3), ${s.actorType}, ${s.actorId}, ${s.actorLabel}, ${s.actorRole}, ${s.ip}, 'vitest',
              ${s.action}, ${s.targetType}, ${s.targetId}, ${s.targetName}, ${s.outcome}::"AuditOutcome",
              ${JSON.stringify(s.targetType === "deploy" ? { appId: "app-1" } : { n: i })}::jsonb, ${"p" + i}, ${"h" + i})
      RETURNING "id"`;
    seeds.push({ ...s, id: row!.id });
  }
});

async function readAll(raw: Record<string, string>, viewer: Principal, pageSize = 7): Promise<{ ids: bigint[]; pages: number }> {
  const ids: bigint[] = [];
  let cursor: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await listAuditEvents(auditFilterSchema.parse({ ...raw, cursor, limit: String(pageSize) }), auditScope(viewer));
    pages++;
    expect(page.events.length).toBeLessThanOrEqual(pageSize);
    ids.push(...page.events.map((e) => BigInt(e.id)));
    if (!page.nextCursor) break;
    expect(page.events).toHaveLength(pageSize);
    cursor = page.nextCursor;
    if (pages > 100) throw new Error("pagination does not end");
  }
  return { ids, pages };
}

const newestFirst = (rows: Seed[]) => rows.map((r) => r.id).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
const lc = (s: string) => s.toLowerCase();

const cases: { name: string; filter: Record<string, string>; viewer?: Principal; expect: (s: Seed) => boolean }[] = [
  { name: "no filter", filter: {}, expect: () => true },
  { name: "actor, case-insensitive", filter: { actor: "CAROL@example.com" }, expect: (s) => s.actorLabel === "Carol@Example.com" },
  { name: "actor of a token", filter: { actor: "token ci" }, expect: (s) => s.actorId === "t-ci" },
  { name: "action exact", filter: { action: "deploy.start" }, expect: (s) => s.action === "deploy.start" },
  { name: "action prefix with a dot (not deployment.*)", filter: { action: "deploy." }, expect: (s) => s.action.startsWith("deploy.") },
  { name: "action prefix with a star", filter: { action: "deploy*" }, expect: (s) => s.action.startsWith("deploy") },
  { name: "action prefix matching nothing", filter: { action: "nothing." }, expect: () => false },
  { name: "target by id", filter: { target: "dep-12" }, expect: (s) => s.targetId === "dep-12" },
  { name: "target by name, case-insensitive", filter: { target: "WEB-1" }, expect: (s) => lc(s.targetName) === "web-1" },
  { name: "target id or name, no duplicates", filter: { target: "shop" }, expect: (s) => s.targetId === "shop" || lc(s.targetName) === "shop" },
  { name: "target type and name", filter: { target: "deploy:shop" }, expect: (s) => s.targetType === "deploy" && lc(s.targetName) === "shop" },
  { name: "target type alone", filter: { target: "server:" }, expect: (s) => s.targetType === "server" },
  { name: "outcome", filter: { outcome: "denied" }, expect: (s) => s.outcome === "denied" },
  {
    name: "date range by days (to is inclusive of its day)",
    filter: { from: "2026-01-02", to: "2026-01-04" },
    expect: (s) => s.at >= new Date("2026-01-02T00:00:00Z") && s.at < new Date("2026-01-05T00:00:00Z"),
  },
  {
    name: "date range by date-times (to exclusive)",
    filter: { from: "2026-01-03T05:00:00Z", to: "2026-01-03T09:00:00+00:00" },
    expect: (s) => s.at >= new Date("2026-01-03T05:00:00Z") && s.at < new Date("2026-01-03T09:00:00Z"),
  },
  { name: "from only", filter: { from: "2026-01-06T12:00:00Z" }, expect: (s) => s.at >= new Date("2026-01-06T12:00:00Z") },
  { name: "to only", filter: { to: "2026-01-01T10:00:00Z" }, expect: (s) => s.at < new Date("2026-01-01T10:00:00Z") },
  { name: "from after the last event", filter: { from: "2027-01-01" }, expect: () => false },
  { name: "free text over the IP", filter: { q: "10.0.0.3" }, expect: (s) => s.ip === "10.0.0.3" },
  { name: "free text over the actor, any case", filter: { q: "ALICE" }, expect: (s) => s.actorLabel.includes("alice") },
  { name: "free text over the action", filter: { q: "server.upd" }, expect: (s) => s.action === "server.update" },
  { name: "free text over the target name", filter: { q: "person1" }, expect: (s) => s.targetName.startsWith("person1") },
  { name: "free text over the details (summary JSON), any case", filter: { q: "APP-1" }, expect: (s) => s.targetType === "deploy" },
  { name: "free text over the details takes quotes literally", filter: { q: '"appId": "app-1"' }, expect: (s) => s.targetType === "deploy" },
  { name: "free text over the details: a quote cannot break out", filter: { q: "x' OR '1'='1" }, expect: () => false },
  { name: "free text treats % and _ literally", filter: { q: "%_%" }, expect: () => false },
  {
    name: "combined",
    filter: { actor: "alice@example.com", action: "deploy.", outcome: "success", from: "2026-01-02", q: "blog" },
    expect: (s) => s.actorId === "u-alice" && s.action.startsWith("deploy.") && s.outcome === "success" && s.at >= new Date("2026-01-02T00:00:00Z") && s.targetName === "blog",
  },
  { name: "a deployer sees only their own events", filter: {}, viewer: alice, expect: (s) => s.actorId === "u-alice" },
  { name: "a deployer's filter cannot reach others' events", filter: { actor: "bob@example.com" }, viewer: alice, expect: () => false },
  { name: "a viewer sees only their own events", filter: { action: "deploy." }, viewer: carol, expect: (s) => s.actorId === "u-carol" && s.action.startsWith("deploy.") },
  { name: "a non-admin token sees only its own events", filter: {}, viewer: ciToken, expect: (s) => s.actorType === "token" && s.actorId === "t-ci" },
];

describe("listAuditEvents", () => {
  for (const c of cases) {
    it(`${c.name}: same events as the oracle, newest first, across pages`, async () => {
      const want = newestFirst(seeds.filter(c.expect));
      const { ids, pages } = await readAll(c.filter, c.viewer ?? admin);
      expect(ids).toEqual(want);
      // The page after a full one is known to exist (one row of look-ahead), so there is never an empty last page.
      expect(pages).toBe(Math.max(1, Math.ceil(want.length / 7)));
    });
  }

  it("the oracle cases are not trivial: most select some events but not all", () => {
    const sizes = cases.map((c) => seeds.filter(c.expect).length);
    expect(sizes.filter((n) => n > 0 && n < seeds.length).length).toBeGreaterThanOrEqual(20);
  });

  it("returns every column, with ids as strings, the time in epoch ms and the summary as JSON", async () => {
    const page = await listAuditEvents(auditFilterSchema.parse({ target: "dep-12" }), auditScope(admin));
    expect(page.nextCursor).toBeNull();
    const [event] = page.events as [AuditEventRow];
    const seed = seeds.find((s) => s.targetId === "dep-12")!;
    expect(event).toEqual({
      id: seed.id.toString(),
      at: seed.at.getTime(),
      actorType: seed.actorType,
      actorId: seed.actorId,
      actorLabel: seed.actorLabel,
      actorRole: seed.actorRole,
      ip: seed.ip,
      userAgent: "vitest",
      action: seed.action,
      targetType: "deploy",
      targetId: "dep-12",
      targetName: seed.targetName,
      outcome: seed.outcome,
      summary: { appId: "app-1" },
      prevHash: expect.any(String),
      hash: expect.any(String),
    });
  });

  it("reads 50 per page by default (the schema's default limit)", async () => {
    const page = await listAuditEvents(auditFilterSchema.parse({}), auditScope(admin));
    expect(page.events).toHaveLength(50);
    expect(page.nextCursor).toBe(page.events[49]!.id);
  });
});

describe("events written by recordAudit", () => {
  it("are found by the same filters, with the time order the date filter relies on", async () => {
    const before = new Date();
    const meta = { ip: "192.0.2.44", userAgent: "vitest" };
    for (const outcome of ["success", "denied"] as const) {
      await db().$transaction((tx) => recordAudit(tx, { actor: alice, meta, action: "app.create", target: { type: "app", id: "app-9", name: "Gamma" }, outcome, summary: { name: "Gamma" } }));
    }
    const found = await listAuditEvents(auditFilterSchema.parse({ from: before.toISOString(), target: "app:gamma", outcome: "denied" }), auditScope(admin));
    expect(found.events.map((e) => [e.action, e.outcome, e.actorLabel, e.ip])).toEqual([["app.create", "denied", "alice@example.com", "192.0.2.44"]]);
    const own = await listAuditEvents(auditFilterSchema.parse({ action: "app.create" }), auditScope(alice));
    expect(own.events).toHaveLength(2);
  });
});

describe("filter suggestions and the chain head", () => {
  it("lists distinct action names and actor labels", async () => {
    const actions = await listAuditActionNames();
    expect([...actions].sort()).toEqual([...new Set([...ACTIONS, "app.create"])].sort());
    expect([...(await listAuditActorLabels())].sort()).toEqual(["Carol@Example.com", "alice@example.com", "bob@example.com", "token ci"].sort());
  });

  it("gives the newest event's hash and an exact count for a small log", async () => {
    const newest = await db().auditEvent.findFirstOrThrow({ orderBy: { id: "desc" } });
    const head = await getAuditHead();
    expect(head).toMatchObject({ count: seeds.length + 2, countIsEstimate: false, headId: newest.id.toString(), headHash: newest.hash });
  });
});
