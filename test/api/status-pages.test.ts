import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";

/**
 * Status pages against the running app: an admin creates one over the API, and the open JSON, page and badges
 * show it to anyone, without the monitors' URLs or hosts unless the page opts in. The monitors are made in the
 * database with their next run far ahead, so the scheduler leaves their status and results as written.
 */
const run = Date.now().toString(36);
const SECRET_URL = `http://billing-${run}.internal.example/health`;
const SECRET_HOST = `db-${run}.internal.example`;
let admin = "";
let viewer = "";
const ids = { web: "", db: "", loose: "" };

beforeAll(async () => {
  admin = (await createApiToken(appDb(), { name: `status-admin-${run}`, role: "admin" })).token;
  viewer = (await createApiToken(appDb(), { name: `status-viewer-${run}`, role: "viewer" })).token;
  const later = new Date("2100-01-01T00:00:00Z");
  const make = (data: { name: string; type: "http" | "tcp"; url?: string; host?: string; port?: number; status: "up" | "down" }) => appDb().monitor.create({ data: { ...data, nextRunAt: later }, select: { id: true } });
  ids.web = (await make({ name: `billing-api-${run}`, type: "http", url: SECRET_URL, status: "up" })).id;
  ids.db = (await make({ name: `postgres-${run}`, type: "tcp", host: SECRET_HOST, port: 5432, status: "down" })).id;
  ids.loose = (await make({ name: `not-public-${run}`, type: "http", url: "http://127.0.0.1:9/", status: "up" })).id;
  // Ten checks of the web monitor a few seconds ago (after the rollup watermark): one failed, so 90 % up.
  const at = new Date(Date.now() - 5_000);
  await appDb().checkResult.createMany({ data: Array.from({ length: 10 }, (_, i) => ({ monitorId: ids.web, at, ok: i !== 0, latencyMs: 12 })) });
});
afterAll(async () => {
  await appDb().monitor.deleteMany({ where: { id: { in: Object.values(ids) } } });
  await appDb().$disconnect();
});

const send = (method: string, path: string, body: unknown, token = admin) => api(path, token, { method, body: JSON.stringify(body) });
const open = (path: string) => fetch(`${baseUrl()}${path}`);

type PublicJson = {
  title: string;
  status: string;
  groups: { name: string; monitors: { id: string; name: string; status: string; uptime90d: number | null; target?: string }[] }[];
  incidents: { id: string; title: string; state: string; updates: { state: string; body: string; at: string }[] }[];
  maintenance: unknown[];
};

describe("status pages", () => {
  const slug = `acme-${run}`;
  let pageId = "";

  it("creates a page (201), and the open JSON has the documented shape without targets", async () => {
    const res = await send("POST", "/api/v1/status-pages", {
      slug,
      title: "Acme status",
      footer: "Questions? support@acme.example",
      groups: [
        { name: "Website", monitorIds: [ids.web], displayNames: { [ids.web]: "Checkout" } },
        { name: "Data", monitorIds: [ids.db] },
      ],
    });
    expect(res.status).toBe(201);
    const page = (await res.json()) as { id: string; slug: string; url: string; groups: { name: string; monitors: { monitorId: string; displayName: string | null }[] }[] };
    expect(page).toMatchObject({ slug, url: `/status/${slug}`, groups: [{ name: "Website", monitors: [{ monitorId: ids.web, displayName: "Checkout" }] }, { name: "Data" }] });
    pageId = page.id;

    const pub = await open(`/api/public/status/${slug}`);
    expect(pub.status).toBe(200);
    const text = await pub.text();
    expect(text).not.toContain(SECRET_URL);
    expect(text).not.toContain(SECRET_HOST);
    expect(text).not.toContain("internal.example");
    const json = JSON.parse(text) as PublicJson;
    expect(json).toMatchObject({
      title: "Acme status",
      status: "partial_outage",
      groups: [
        { name: "Website", monitors: [{ id: ids.web, name: "Checkout", status: "up", uptime90d: 90 }] },
        { name: "Data", monitors: [{ id: ids.db, name: `postgres-${run}`, status: "down", uptime90d: null }] },
      ],
      incidents: [],
      maintenance: [],
    });
    expect(json.groups[0]!.monitors[0]).not.toHaveProperty("target");

    const audit = await appDb().auditEvent.findFirst({ where: { action: "status_page.create", targetId: pageId }, select: { outcome: true, actorLabel: true } });
    expect(audit).toMatchObject({ outcome: "success", actorLabel: `token status-admin-${run}` });
  });

  it("serves /status/<slug> signed out, with the friendly names and no targets", async () => {
    const res = await open(`/status/${slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src");
    const html = await res.text();
    expect(html).toContain("Acme status");
    expect(html).toContain("Checkout");
    expect(html).toContain("Questions? support@acme.example");
    expect(html).not.toContain("internal.example");
  });

  it("serves the page from one rendered copy, each response with its own nonce; an admin's change shows at once", async () => {
    const nonceOf = (r: Response) => /'nonce-([^']+)'/.exec(r.headers.get("content-security-policy") ?? "")?.[1] ?? "";
    const [a, b] = await Promise.all([open(`/status/${slug}`), open(`/status/${slug}`)]);
    const [htmlA, htmlB] = [await a.text(), await b.text()];
    const [nA, nB] = [nonceOf(a), nonceOf(b)];
    expect(nA).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
    expect(nB).not.toBe(nA);
    expect([a.headers.get("x-deckhand-status-page"), b.headers.get("x-deckhand-status-page")]).toEqual(["copy", "copy"]);
    // Every script carries the response's own nonce, never another response's.
    const scriptNonces = (html: string) => new Set([...html.matchAll(/<script[^>]*\snonce="([^"]+)"/g)].map((m) => m[1]));
    expect(scriptNonces(htmlA)).toEqual(new Set([nA]));
    expect(scriptNonces(htmlB)).toEqual(new Set([nB]));
    expect(htmlA.replaceAll(nA, "N")).toBe(htmlB.replaceAll(nB, "N"));
    // Gzipped for a client that takes it (fetch does, and unzips), plain for one that does not: the same page.
    expect(a.headers.get("content-encoding")).toBe("gzip");
    const plain = await fetch(`${baseUrl()}/status/${slug}`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.text()).replaceAll(nonceOf(plain), "N")).toBe(htmlA.replaceAll(nA, "N"));
    // A header only the server's own render may carry changes nothing for anyone else.
    const forged = await fetch(`${baseUrl()}/status/${slug}`, { headers: { "x-deckhand-status-render": "guess" } });
    expect(forged.status).toBe(200);
    expect(scriptNonces(await forged.text())).toEqual(new Set([nonceOf(forged)]));

    expect((await send("PATCH", `/api/v1/status-pages/${pageId}`, { title: `Acme status ${run}` })).status).toBe(200);
    expect(await (await open(`/status/${slug}`)).text()).toContain(`Acme status ${run}`);
    expect((await send("PATCH", `/api/v1/status-pages/${pageId}`, { title: "Acme status" })).status).toBe(200);
    expect(await (await open(`/status/${slug}`)).text()).not.toContain(`Acme status ${run}`);
  });

  it("shows targets once the page opts in (the change is seen at once)", async () => {
    const res = await send("PATCH", `/api/v1/status-pages/${pageId}`, { showTargets: true });
    expect(res.status).toBe(200);
    const json = (await (await open(`/api/public/status/${slug}`)).json()) as PublicJson;
    expect(json.groups[0]!.monitors[0]!.target).toBe(SECRET_URL);
    expect(json.groups[1]!.monitors[0]!.target).toBe(`${SECRET_HOST}:5432`);
    expect((await send("PATCH", `/api/v1/status-pages/${pageId}`, { showTargets: false })).status).toBe(200);
  });

  it("posts an incident and its updates, newest first, on the open JSON", async () => {
    const created = await send("POST", `/api/v1/status-pages/${pageId}/incidents`, { title: "Checkout errors", body: "Some payments fail." });
    expect(created.status).toBe(201);
    const incident = (await created.json()) as { id: string; state: string };
    expect(incident.state).toBe("investigating");
    const updated = await send("PATCH", `/api/v1/status-pages/${pageId}/incidents/${incident.id}`, { state: "resolved", body: "Payments work again." });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ state: "resolved", resolvedAt: expect.any(String) });
    const json = (await (await open(`/api/public/status/${slug}`)).json()) as PublicJson;
    expect(json.incidents).toHaveLength(1);
    expect(json.incidents[0]).toMatchObject({
      title: "Checkout errors",
      state: "resolved",
      updates: [
        { state: "resolved", body: "Payments work again." },
        { state: "investigating", body: "Some payments fail." },
      ],
    });
    expect(JSON.stringify(json)).not.toContain("status-admin");
    const missingBody = await send("PATCH", `/api/v1/status-pages/${pageId}/incidents/${incident.id}`, { state: "monitoring" });
    expect(missingBody.status).toBe(400);
    expect(((await missingBody.json()) as { error: { message: string } }).error.message).toMatch(/^body: /);
  });

  it("lists a maintenance window of one of its monitors under maintenance (within the 5 s cache), not one of another monitor", async () => {
    const startsAt = new Date(Date.now() + 3600_000).toISOString();
    const endsAt = new Date(Date.now() + 7200_000).toISOString();
    const created = [];
    for (const [name, monitorId] of [
      [`db-upgrade-${run}`, ids.db],
      [`elsewhere-${run}`, ids.loose],
    ] as const) {
      const res = await send("POST", "/api/v1/maintenance", { name, startsAt, endsAt, monitorIds: [monitorId] });
      expect(res.status).toBe(201);
      created.push(((await res.json()) as { id: string }).id);
    }
    const deadline = Date.now() + 8_000;
    let maintenance: unknown[] = [];
    while (Date.now() < deadline) {
      maintenance = ((await (await open(`/api/public/status/${slug}`)).json()) as PublicJson).maintenance;
      if (maintenance.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(maintenance).toEqual([{ id: created[0], name: `db-upgrade-${run}`, startsAt, endsAt, active: false }]);
    for (const id of created) expect((await api(`/api/v1/maintenance/${id}`, admin, { method: "DELETE" })).status).toBe(200);
  });

  it("answers SVG badges for the page and for a monitor on it, and refuses one for a monitor on no page", async () => {
    const pageBadge = await open(`/api/public/status/${slug}/badge.svg`);
    expect(pageBadge.status).toBe(200);
    expect(pageBadge.headers.get("content-type")).toContain("image/svg+xml");
    expect(await pageBadge.text()).toMatch(/^<svg [^>]*>.*Acme status.*partial outage/);
    const monitorBadge = await open(`/api/public/monitors/${ids.web}/badge.svg`);
    expect(monitorBadge.status).toBe(200);
    expect(await monitorBadge.text()).toContain("Checkout: up · 90.00%");
    expect((await open(`/api/public/monitors/${ids.loose}/badge.svg`)).status).toBe(404);
  });

  it("answers 404 for an unknown slug: JSON with a message, and a helpful page", async () => {
    const res = await open(`/api/public/status/no-such-page-${run}`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "not_found", message: expect.stringContaining(`/status/no-such-page-${run}`) });
    const page = await open(`/status/no-such-page-${run}`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("No status page at this address");
    expect((await open("/api/public/status/Not%20A%20Slug")).status).toBe(404);
  });

  it("refuses a viewer (403) and no token (401); reads are admin-only too", async () => {
    expect((await send("POST", "/api/v1/status-pages", { slug: `v-${run}`, title: "x" }, viewer)).status).toBe(403);
    expect((await api("/api/v1/status-pages", viewer)).status).toBe(403);
    expect((await fetch(`${baseUrl()}/api/v1/status-pages`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
    const list = (await (await api("/api/v1/status-pages", admin)).json()) as { id: string }[];
    expect(list.map((p) => p.id)).toContain(pageId);
  });

  it("names the field in validation errors, and refuses a slug in use (409)", async () => {
    const cases: [unknown, RegExp][] = [
      [{ slug: "Bad Slug", title: "x" }, /^slug: /],
      [{ slug: `ok-${run}` }, /^title: /],
      [{ slug: `ok-${run}`, title: "x", groups: [{ name: "A", monitorIds: ["nope"] }] }, /^groups\.0\.monitorIds\.0: no monitor has the id "nope"/],
      [{ slug: `ok-${run}`, title: "x", groups: [{ monitorIds: [] }] }, /^groups\.0\.name: /],
      [{ slug: `ok-${run}`, title: "x", logoUrl: "https://elsewhere.example/logo.png" }, /^logoUrl: /],
    ];
    for (const [body, message] of cases) {
      const res = await send("POST", "/api/v1/status-pages", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
    }
    const clash = await send("POST", "/api/v1/status-pages", { slug, title: "again" });
    expect(clash.status).toBe(409);
  });

  it("deletes the page: its public JSON is gone at once", async () => {
    expect((await send("DELETE", `/api/v1/status-pages/${pageId}`, {})).status).toBe(200);
    expect((await open(`/api/public/status/${slug}`)).status).toBe(404);
    expect((await api(`/api/v1/status-pages/${pageId}`, admin)).status).toBe(404);
  });
});
