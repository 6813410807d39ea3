import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { ipv6FormsOf } from "../../lib/net/testing/addresses";

/**
 * The metadata guard over the real API: every IPv6 spelling of a denied IPv4 address (mapped, compatible, SIIT,
 * NAT64 and local-use NAT64) is refused when a monitor is created, as an HTTP URL and as a TCP host.
 */
let admin = "";
const tag = randomBytes(3).toString("hex");

beforeAll(async () => {
  admin = (await createApiToken(appDb(), { name: `guard-admin-${tag}`, role: "admin" })).token;
});
afterAll(async () => {
  await appDb().$disconnect();
});

const post = (body: unknown) => api("/api/v1/monitors", admin, { method: "POST", body: JSON.stringify(body) });

const forms = ["169.254.169.254", "100.100.100.200"].flatMap((ipv4) => ipv6FormsOf(ipv4).map((form) => [ipv4, form] as const));

describe("POST /api/v1/monitors refuses metadata addresses in every IPv6 form", () => {
  it.each(forms)("%s as [%s]: 400 target_denied for an http and a tcp monitor, nothing created", async (_ipv4, form) => {
    const name = `guard-${tag}-${form}`;
    const http = await post({ name, type: "http", url: `http://[${form}]/latest/meta-data/`, intervalSeconds: 60 });
    expect(http.status).toBe(400);
    const body = (await http.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("target_denied");
    expect(body.error.message).toMatch(/is refused: .*in IPv6 form\)$/);

    const tcp = await post({ name, type: "tcp", host: form, port: 80, intervalSeconds: 60 });
    expect(tcp.status).toBe(400);
    expect(((await tcp.json()) as { error: { code: string } }).error.code).toBe("target_denied");
    expect(await appDb().monitor.count({ where: { name } })).toBe(0);
  });

  it("still accepts loopback written in an IPv6 form (private and loopback stay allowed)", async () => {
    const res = await post({ name: `guard-${tag}-loopback`, type: "tcp", host: "::ffff:127.0.0.1", port: 9, intervalSeconds: 3600 });
    expect(res.status).toBe(201);
  });
});
