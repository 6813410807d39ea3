import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../lib/auth/tokens";
import { appDb } from "../helpers/app-db";
import { api, baseUrl, fakeIp } from "../helpers/http";
import { rawRequest } from "./support/raw-http";

/**
 * Oversized and hostile bodies against the built app (the test runner's default limit, 1 MiB): refused at the
 * web server before they are read — by their declared length at once, by counting when they are chunked —
 * and for the API, who is asking and whether they may is decided before a byte of the body is parsed.
 */
const LIMIT = 1024 * 1024;
let admin = "";
let viewer = "";

beforeAll(async () => {
  admin = (await createApiToken(appDb(), { name: `bodies-admin-${Date.now()}`, role: "admin" })).token;
  viewer = (await createApiToken(appDb(), { name: `bodies-viewer-${Date.now()}`, role: "viewer" })).token;
});
afterAll(() => appDb().$disconnect());

const json = { "content-type": "application/json", "x-forwarded-for": "" };
const headersFor = (token: string | null) => ({ ...json, "x-forwarded-for": fakeIp(), ...(token ? { authorization: `Bearer ${token}` } : {}) });

describe("request bodies", () => {
  it("a declared Content-Length over the limit gets 413 before the body is sent, let alone read", async () => {
    const res = await rawRequest(baseUrl(), { path: "/api/v1/monitors", headers: { ...headersFor(admin), "content-length": String(64 * LIMIT) }, bodyBytes: 64 * LIMIT });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "payload_too_large", message: expect.stringContaining("DECKHAND_MAX_BODY_BYTES") } });
    expect(res.head.toLowerCase()).toContain("connection: close");
    expect(res.head.toLowerCase()).toMatch(/x-request-id: \S+/);
    // The answer came while almost all of the 64 MiB was still unsent.
    expect(res.sent).toBeLessThan(8 * LIMIT);
  });

  it("an ordinary client sending a too-large body whole reads the 413 (the connection lingers instead of resetting)", async () => {
    const res = await api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify({ name: "x".repeat(2 * LIMIT) }) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
  });

  it("a chunked body is counted as it arrives and cut past the limit with 413", async () => {
    const name = `bodies-chunked-${Date.now()}`;
    // Valid JSON start, then padding in a string: the route would take it if it were read whole.
    const slice = Buffer.from(`{"name":"${name}","type":"tcp","host":"127.0.0.1","port":9,"pad":"${"a".repeat(64 * 1024)}`);
    const res = await rawRequest(baseUrl(), { path: "/api/v1/monitors", headers: headersFor(admin), chunked: true, bodyBytes: 32 * LIMIT, slice });
    expect(res.status).toBe(413);
    expect(res.sent).toBeLessThan(16 * LIMIT);
    expect(await appDb().monitor.findFirst({ where: { name } })).toBeNull();
  });

  it("a chunked body within the limit is taken", async () => {
    const name = `bodies-small-chunked-${Date.now()}`;
    const body = Buffer.from(JSON.stringify({ name, type: "tcp", host: "127.0.0.1", port: 9, intervalSeconds: 60 }));
    const res = await rawRequest(baseUrl(), { path: "/api/v1/monitors", headers: headersFor(admin), chunked: true, bodyBytes: body.length, slice: body });
    expect(res.status).toBe(201);
  });

  it("anonymous and under-privileged callers are answered before their body is read: 401 and 403, not a JSON error", async () => {
    const anonymous = await rawRequest(baseUrl(), { path: "/api/v1/monitors", headers: headersFor(null), chunked: true, bodyBytes: 32 * LIMIT });
    expect(anonymous.status).toBe(401);
    expect(anonymous.sent).toBeLessThan(16 * LIMIT);
    // A viewer's body is not even parsed: garbage gets the 403 the role earns, not "not valid JSON".
    const res = await api("/api/v1/monitors", viewer, { method: "POST", body: "{this is not json" });
    expect(res.status).toBe(403);
  });

  it("the same cut applies to routes Deckhand did not write: next-auth's sign-in, chunked", async () => {
    const res = await rawRequest(baseUrl(), {
      path: "/api/auth/callback/credentials",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": fakeIp() },
      chunked: true,
      bodyBytes: 32 * LIMIT,
      slice: Buffer.from(`email=a%40b.test&password=${"p".repeat(64 * 1024)}`),
    });
    expect(res.status).toBe(413);
  });
});
