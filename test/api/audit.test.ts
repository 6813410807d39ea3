import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signIn } from "../helpers/http";
import { appDb, makeUser } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { recordAudit } from "../../lib/audit/record";
import { CSV_COLUMNS } from "../../lib/audit/export";

/** The audit log over HTTP against the real app: GET /api/v1/audit, the export, and the page. */
afterAll(async () => {
  await appDb().$disconnect();
});

// The app's database is shared by every API test file: this file's events carry their own marker.
const mark = randomBytes(4).toString("hex");
const appName = `audit-app-${mark}`;
let adminToken: string;
let deployerToken: string;
let admin: Awaited<ReturnType<typeof makeUser>>;
let deployer: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  admin = await makeUser("admin");
  deployer = await makeUser("deployer");
  adminToken = (await createApiToken(appDb(), { name: `audit-admin-${mark}`, role: "admin" })).token;
  deployerToken = (await createApiToken(appDb(), { name: `audit-dep-${mark}`, role: "deployer" })).token;
  const meta = { ip: "192.0.2.77", userAgent: "vitest-api" };
  for (let i = 0; i < 12; i++) {
    const actor = i % 2 === 0 ? { kind: "user" as const, id: admin.id, email: admin.email, name: null, role: "admin" as const } : { kind: "user" as const, id: deployer.id, email: deployer.email, name: null, role: "deployer" as const };
    await appDb().$transaction((tx) =>
      recordAudit(tx, {
        actor,
        meta,
        action: i % 3 === 0 ? "deploy.start" : "app.update",
        target: i % 3 === 0 ? { type: "deploy", id: `dep-${mark}-${i}`, name: appName } : { type: "app", id: `app-${mark}`, name: appName },
        outcome: i === 6 ? "denied" : "success",
        summary: i % 3 === 0 ? { appId: `app-${mark}`, ref: "main" } : { before: { name: "a" }, after: { name: "b" } },
      }),
    );
  }
});

type ApiEvent = { id: string; at: string; actor: string; action: string; target: { type: string | null; id: string | null; name: string | null }; outcome: string; ip: string | null; hash: string };

describe("GET /api/v1/audit", () => {
  it("answers the filter with exactly the documented fields, newest first, and pages with nextCursor", async () => {
    const res = await api(`/api/v1/audit?target=${appName}&limit=5`, adminToken);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { events: ApiEvent[]; nextCursor: string | null };
    expect(page.events).toHaveLength(5);
    expect(Object.keys(page.events[0]!)).toEqual(["id", "at", "actor", "actorType", "actorId", "actorRole", "action", "target", "outcome", "ip", "details", "hash"]);
    expect(page.events[0]).toMatchObject({ actor: expect.stringMatching(/@example\.test$/), target: { name: appName }, ip: "192.0.2.77", hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(page.nextCursor).toBe(page.events[4]!.id);

    const all: ApiEvent[] = [...page.events];
    let cursor = page.nextCursor;
    while (cursor) {
      const next = (await (await api(`/api/v1/audit?target=${appName}&limit=5&cursor=${cursor}`, adminToken)).json()) as { events: ApiEvent[]; nextCursor: string | null };
      all.push(...next.events);
      cursor = next.nextCursor;
    }
    expect(all).toHaveLength(12);
    const ids = all.map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
  });

  it("filters by action prefix, actor, outcome and date", async () => {
    const get = async (q: string) => ((await (await api(`/api/v1/audit?target=${appName}&${q}`, adminToken)).json()) as { events: ApiEvent[] }).events;
    expect((await get("action=deploy.")).map((e) => e.action)).toEqual(Array(4).fill("deploy.start"));
    expect((await get(`actor=${deployer.email.toUpperCase()}`)).every((e) => e.actor === deployer.email)).toBe(true);
    expect(await get(`actor=${deployer.email}`)).toHaveLength(6);
    expect((await get("outcome=denied")).map((e) => e.target.id)).toEqual([`dep-${mark}-6`]);
    expect(await get("from=2000-01-01&to=2000-01-02")).toEqual([]);
  });

  it("answers 400 on a bad cursor or date, 403 to a non-admin, 401 without credentials", async () => {
    for (const q of ["cursor=abc", "from=2026-02-30", "to=soon", "limit=501", "outcome=maybe"]) {
      const res = await api(`/api/v1/audit?${q}`, adminToken);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "invalid_input" } });
    }
    expect((await api("/api/v1/audit", deployerToken)).status).toBe(403);
    expect((await fetch(`${(await import("../helpers/http")).baseUrl()}/api/v1/audit`)).status).toBe(401);
    const denied = await appDb().auditEvent.findFirst({ where: { action: "audit.list", outcome: "denied", actorLabel: `token audit-dep-${mark}` } });
    expect(denied).not.toBeNull();
  });

  it("answers a deployer's session with only their own events, as the page shows them", async () => {
    const { session, ok } = await signIn(deployer.email, deployer.password);
    expect(ok).toBe(true);
    const res = await session.fetch(`/api/v1/audit?target=${appName}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { events: ApiEvent[]; nextCursor: string | null };
    expect(page.events).toHaveLength(6);
    expect(page.events.every((e) => e.actor === deployer.email)).toBe(true);
    expect(((await (await session.fetch(`/api/v1/audit?target=${appName}&actor=${admin.email}`)).json()) as { events: ApiEvent[] }).events).toEqual([]);

    const exported = await session.fetch(`/api/v1/audit/export?format=json&target=${appName}`);
    expect(exported.status).toBe(200);
    const doc = (await exported.json()) as { events: { actorId: string }[] };
    expect(doc.events).toHaveLength(6);
    expect(doc.events.every((e) => e.actorId === deployer.id)).toBe(true);
  });
});

describe("GET /api/v1/audit/export", () => {
  it("exports the filter as CSV for an admin session, as a download", async () => {
    const { session, ok } = await signIn(admin.email, admin.password);
    expect(ok).toBe(true);
    const res = await session.fetch(`/api/v1/audit/export?format=csv&target=${appName}&action=deploy.`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="deckhand-audit-.*\.csv"$/);
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe(CSV_COLUMNS.join(","));
    expect(lines).toHaveLength(5);
  });

  it("exports JSON for an admin token and refuses a deployer", async () => {
    const res = await api(`/api/v1/audit/export?format=json&target=${appName}`, adminToken);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { events: { targetName: string; summary: unknown }[]; truncated: boolean };
    expect(doc.events).toHaveLength(12);
    expect(doc.truncated).toBe(false);
    expect((await api(`/api/v1/audit/export?format=json`, deployerToken)).status).toBe(403);
    expect((await api(`/api/v1/audit/export?format=xlsx`, adminToken)).status).toBe(400);
  });
});

describe("the audit page", () => {
  it("shows an admin the filtered events with links to deploys, the head hash and export links", async () => {
    const { session } = await signIn(admin.email, admin.password);
    const res = await session.fetch(`/audit?target=${appName}&action=deploy.`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.match(/data-testid="audit-row"/g)).toHaveLength(4);
    expect(html).toContain(`href="/apps/app-${mark}/deploys/dep-${mark}-9"`);
    expect(html).toMatch(/data-testid="audit-head-hash"/);
    expect(html).toContain(`/api/v1/audit/export?action=deploy.&amp;target=${appName}&amp;format=csv`);
  });

  it("shows a deployer only their own events, without the chain panel or exports", async () => {
    const { session } = await signIn(deployer.email, deployer.password);
    const html = await (await session.fetch(`/audit?target=${appName}`)).text();
    expect(html.match(/data-testid="audit-row"/g)).toHaveLength(6);
    expect(html).not.toContain(admin.email);
    expect(html).not.toContain("audit-head-hash");
    expect(html).not.toContain("Export CSV");
  });
});
