import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { acceptsString, HOSTILE_STRINGS, hostileInputs, type JsonSchema } from "../../lib/actions/testing/hostile-inputs";

/**
 * The shared string check over the real API, generated from the served OpenAPI document (not a hand-picked
 * list): every operation, every string field of its body and every string parameter of its path and query gets
 * a NUL byte, and every body field a lone surrogate (JSON-escaped, "\ud800"); each answers 400 naming the field,
 * and nothing is created. A URL cannot carry a lone surrogate (percent-decoding gives U+FFFD), so path and
 * query parameters are attacked with the NUL byte only.
 */
interface Operation {
  parameters?: { name: string; in: "path" | "query"; schema: JsonSchema }[];
  requestBody?: { content: { "application/json": { schema: JsonSchema } } };
  "x-deckhand-role": string | null;
}

let admin = "";
const tag = randomBytes(4).toString("hex");
let operations: { method: string; path: string; op: Operation }[] = [];

beforeAll(async () => {
  admin = (await createApiToken(appDb(), { name: `strings-admin-${tag}`, role: "admin" })).token;
  const doc = (await (await fetch(`${baseUrl()}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
  operations = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path: p, op })));
});
afterAll(async () => {
  await appDb().$disconnect();
});

/** The path with every parameter filled (the one under attack with its hostile value), plus a query string. */
function urlOf(template: string, params: Record<string, string>, query: Record<string, string> = {}): string {
  const filled = template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? `x-${tag}`));
  const qs = new URLSearchParams(query).toString();
  return qs ? `${filled}?${qs}` : filled;
}

async function expectRefusal(method: string, url: string, body: unknown, field: string): Promise<void> {
  const res = await api(url, admin, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  const where = `${method} ${url} (${field})`;
  expect(res.status, `${where}: ${text}`).toBe(400);
  const error = (JSON.parse(text) as { error: { code: string; message: string } }).error;
  expect(error.code, where).toBe("invalid_input");
  expect(error.message.startsWith(field), `${where}: ${error.message}`).toBe(true);
  expect(error.message, where).toMatch(/NUL byte|unpaired surrogate/);
}

describe("every API operation refuses NUL bytes and lone surrogates in every string field", () => {
  it("body fields (both kinds), path and query parameters (NUL): 400 naming the field", async () => {
    const authed = operations.filter((o) => o.op["x-deckhand-role"] !== null);
    expect(authed.length).toBeGreaterThan(15);
    let attacked = 0;
    for (const { method, path, op } of authed) {
      for (const param of op.parameters ?? []) {
        if (!acceptsString(param.schema)) continue;
        const bad = HOSTILE_STRINGS.nul;
        const url = param.in === "path" ? urlOf(path, { [param.name]: bad }) : urlOf(path, {}, { [param.name]: bad });
        await expectRefusal(method, url, method === "GET" || method === "DELETE" ? undefined : {}, param.name);
        attacked++;
      }
      const schema = op.requestBody?.content["application/json"].schema;
      if (!schema) continue;
      for (const bad of Object.values(HOSTILE_STRINGS)) {
        for (const { field, input } of hostileInputs(schema, bad)) {
          // A clean name next to the hostile field: were anything created, it would be found by it.
          const body = field === "name" ? input : { name: `strings-${tag}`, ...input };
          await expectRefusal(method, urlOf(path, {}), body, field);
          attacked++;
        }
      }
    }
    expect(attacked).toBeGreaterThan(60);
    const db = appDb();
    const named = { name: { startsWith: `strings-${tag}` } };
    expect(await Promise.all([db.app.count({ where: named }), db.server.count({ where: named }), db.monitor.count({ where: named })])).toEqual([0, 0, 0]);
  });

  it("a raw control character is not JSON, the escaped one is named, and a clean request still works", async () => {
    // A raw control character is not JSON at all: refused before the check is even reached.
    const raw = await api("/api/v1/monitors", admin, { method: "POST", body: `{"name":"strings-${tag}-raw\u0000","type":"tcp","host":"127.0.0.1","port":9}` });
    expect(raw.status).toBe(400);
    const nul = await api("/api/v1/monitors", admin, { method: "POST", body: `{"name":"strings-${tag}-nul\\u0000","type":"tcp","host":"127.0.0.1","port":9}` });
    expect(((await nul.json()) as { error: { message: string } }).error.message).toBe("name: must not contain a NUL byte");
    const escaped = await api("/api/v1/monitors", admin, { method: "POST", body: `{"name":"strings-${tag}-esc","type":"tcp","host":"127.0.0.1\\ud800","port":9}` });
    expect(((await escaped.json()) as { error: { message: string } }).error.message).toMatch(/^host: must not contain an unpaired surrogate/);
    const clean = await api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify({ name: `ok-${tag}`, type: "tcp", host: "127.0.0.1", port: 9, intervalSeconds: 3600 }) });
    expect(clean.status).toBe(201);
  });
});
