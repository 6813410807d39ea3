import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { createDbClient, type Db } from "../../lib/db/client";
import { ensureEmbeddedPostgres, type EmbeddedDatabase } from "../../lib/db/embedded";
import { migrateDatabase } from "../../lib/db/migrate";
import { freePort } from "../harness/ports";

/**
 * Internal error text never reaches a client. The built web process on a Postgres of this test's own, which
 * the test breaks: a column Prisma expects is renamed (a Prisma error with its invocation text), then the
 * server is stopped (an SSE stream is open meanwhile). Clients get plain words and a request id (500, then
 * 503 while the database is away); the server log gets the details under that id.
 */
const root = path.resolve(import.meta.dirname, "../..");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "deckhand-errors-"));
chmodSync(dataDir, 0o755);
let pg: EmbeddedDatabase | undefined;
let client: Db | undefined;
let web: ChildProcess | undefined;
let url = "";
let token = "";
let deployId = "";
let serverLog = "";

/** Anything that betrays the inside: Prisma's words, driver and system errors, paths, stack frames, addresses. */
const INTERNALS = /prisma|invocation|column|relation|ECONNREFUSED|P\d{4}|node_modules|\/work\/|\.tsx?:\d+|\bat \S+ \(|127\.0\.0\.1:\d+|postgres/i;

beforeAll(async () => {
  pg = await ensureEmbeddedPostgres({ dataDir, port: await freePort() });
  await migrateDatabase(pg.url);
  client = createDbClient(pg.url, 2);
  token = (await createApiToken(client, { name: "errors", role: "admin" })).token;
  const app = await client.app.create({ data: { name: "errors-app", repoUrl: "https://example.test/repo.git", deployPath: "/srv/errors-app" } });
  deployId = (await client.deploy.create({ data: { appId: app.id, kind: "deploy", status: "running", ref: "main", actorLabel: "test" } })).id;
  const port = await freePort();
  web = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/web-server.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: pg.url, PORT: String(port), DECKHAND_HOST: "127.0.0.1", NODE_ENV: "production", LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  web.stdout!.on("data", (c: Buffer) => (serverLog += c.toString()));
  web.stderr!.on("data", (c: Buffer) => (serverLog += c.toString()));
  url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    (await fetch(`${url}/api/health`)
      .then((r) => r.status)
      .catch(() => 0)) !== 200
  ) {
    if (Date.now() > deadline) throw new Error(`the web process did not come up:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}, 120_000);

afterAll(async () => {
  web?.kill("SIGTERM");
  await client?.$disconnect().catch(() => undefined);
  await pg?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (p: string, init: RequestInit = {}) => fetch(`${url}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });

async function expectPlainError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(text).not.toMatch(INTERNALS);
  const body = JSON.parse(text) as { error: { code: string; message: string; requestId: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  expect(body.error.message).toContain(body.error.requestId);
  return body.error.requestId;
}

/** Reads server-sent events until one named `name` arrives. */
async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, name: string, seen: { text: string }): Promise<unknown> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const m = new RegExp(`event: ${name}\\ndata: (.*)\\n\\n`).exec(seen.text);
    if (m) return JSON.parse(m[1]!);
    const { done, value } = await reader.read();
    if (done) break;
    seen.text += decoder.decode(value, { stream: true });
  }
  throw new Error(`no "${name}" event; got: ${seen.text.slice(0, 500)}`);
}

describe("internal errors", () => {
  it("a Prisma error is a plain 500 with a request id; the server log has the details under that id", async () => {
    await client!.$executeRawUnsafe(`ALTER TABLE "Monitor" RENAME COLUMN "name" TO "name_renamed_by_test"`);
    try {
      const requestId = await expectPlainError(await call("/api/v1/monitors"), 500, "internal");
      await expect.poll(() => serverLog.split("\n").some((l) => l.includes(requestId) && /name|column/i.test(l) && l.includes('"level":50'))).toBe(true);
    } finally {
      await client!.$executeRawUnsafe(`ALTER TABLE "Monitor" RENAME COLUMN "name_renamed_by_test" TO "name"`);
    }
    expect((await call("/api/v1/monitors")).status).toBe(200);
  });

  it("with the database gone: the open deploy stream ends with a plain error event, and the API answers 503, not 500", async () => {
    const res = await call(`/api/v1/deploys/${deployId}/stream`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const seen = { text: "" };
    await nextEvent(reader, "deploy", seen);
    await client!.$disconnect();
    await pg!.stop();
    const event = (await nextEvent(reader, "error", seen)) as { code: string; message: string; requestId: string };
    await reader.cancel().catch(() => undefined);
    expect(JSON.stringify(event)).not.toMatch(INTERNALS);
    expect(event).toMatchObject({ code: "unavailable", requestId: res.headers.get("x-request-id") });
    expect(event.message).toMatch(/database cannot be reached/i);

    await expectPlainError(await call("/api/v1/monitors"), 503, "unavailable");
    await expectPlainError(await call("/api/v1/monitors", { method: "POST", body: JSON.stringify({ name: "x", type: "tcp", host: "127.0.0.1", port: 9 }) }), 503, "unavailable");
    await expectPlainError(await call(`/api/v1/deploys/${deployId}`), 503, "unavailable");
  }, 90_000);
});
