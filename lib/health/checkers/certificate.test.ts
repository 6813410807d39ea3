import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressGuard } from "../../net/guard";
import { startHttpServer, type TestHttpServer } from "../../net/testing/servers";
import { assertionsSchema } from "../assertions";
import { makeTestCa, startHttpsServer, startTlsServer, type TestCa, type TestHttpsServer } from "../testing/certs";
import { runCheck, type MonitorCheckSpec } from "./index";

const guard = new AddressGuard();
let ca: TestCa;
let https: TestHttpsServer;
let plain: TestHttpServer;
let body = "{}";
let delayMs = 0;

const spec = (extra: Partial<MonitorCheckSpec>): MonitorCheckSpec => ({
  type: "http",
  url: null,
  method: "GET",
  host: null,
  port: null,
  serverId: null,
  command: null,
  expectedStatus: "200-399",
  keyword: null,
  timeoutSeconds: 5,
  ...extra,
});
const ctx = () => ({ guard, ca: [ca.pem], loadSshTarget: () => Promise.reject(new Error("no ssh here")) });

beforeAll(async () => {
  ca = makeTestCa();
  https = await startHttpsServer(ca.issue(10), (_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(body);
    }, delayMs);
  });
  plain = await startHttpServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(body);
  });
});
afterAll(async () => {
  await https?.close();
  await plain?.close();
});

describe("HTTPS monitors read the certificate", () => {
  it("reports days left and the certificate's names (a certificate for 10 days has 10 days left)", async () => {
    body = "{}";
    const r = await runCheck(spec({ url: `${https.url}/health` }), ctx());
    expect(r).toMatchObject({ ok: true, detail: "HTTP 200" });
    expect(r.facts?.certificate).toMatchObject({ daysLeft: 10, subject: "CN=localhost", issuer: "CN=Deckhand Test CA", authorized: true, authorizationError: null });
    expect(r.facts?.certificate?.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("an HTTP monitor has no certificate facts", async () => {
    const r = await runCheck(spec({ url: `${plain.url}/` }), ctx());
    expect(r.ok).toBe(true);
    expect(r.facts).toBeUndefined();
  });

  it("without the CA the certificate does not verify: down with a TLS reason", async () => {
    const r = await runCheck(spec({ url: `${https.url}/health` }), { ...ctx(), ca: undefined });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^TLS: /);
  });
});

describe("JSON assertions on a real server", () => {
  const assertions = assertionsSchema.parse([
    { path: "$.status", op: "==", value: "ok" },
    { path: "$.db.latencyMs", op: "<", value: "100" },
    { path: "$.checks[1].name", op: "exists" },
  ]);

  it("passes when every condition holds, with each result kept", async () => {
    body = JSON.stringify({ status: "ok", db: { latencyMs: 12 }, checks: [{ name: "a" }, { name: "b" }] });
    const r = await runCheck(spec({ url: `${https.url}/health`, assertions }), ctx());
    expect(r).toMatchObject({ ok: true, detail: "HTTP 200, 3 assertions passed" });
    expect(r.facts?.assertions?.map((a) => a.ok)).toEqual([true, true, true]);
    expect(r.facts?.certificate?.daysLeft).toBe(10);
  });

  it("fails naming the path, the expected and the actual values", async () => {
    body = JSON.stringify({ status: "degraded", db: { latencyMs: 250 }, checks: [{ name: "a" }] });
    const r = await runCheck(spec({ url: `${plain.url}/health`, assertions }), ctx());
    expect(r.ok).toBe(false);
    expect(r.detail).toBe('HTTP 200: $.status == "ok" failed: got "degraded"; $.db.latencyMs < 100 failed: got 250; $.checks[1].name exists failed: the path is missing');
    expect(r.facts?.assertions?.[0]).toMatchObject({ path: "$.status", expected: "ok", actual: '"degraded"', ok: false });
  });

  it("a body that is not JSON fails with a message saying so", async () => {
    body = "<html>maintenance</html>";
    const r = await runCheck(spec({ url: `${plain.url}/health`, assertions }), ctx());
    expect(r).toMatchObject({ ok: false, detail: 'HTTP 200: the body is not JSON (starts with "<html>maintenance</html>")' });
  });
});

describe("response-time threshold", () => {
  it("a slow success is degraded, not down; a fast one is up", async () => {
    body = "{}";
    delayMs = 300;
    try {
      const slow = await runCheck(spec({ url: `${https.url}/health`, degradedAfterMs: 100 }), ctx());
      expect(slow).toMatchObject({ ok: true, degraded: true });
      expect(slow.detail).toMatch(/^HTTP 200: slow, \d+ ms \(degraded above 100 ms\)$/);
      const fast = await runCheck(spec({ url: `${https.url}/health`, degradedAfterMs: 2_000 }), ctx());
      expect(fast).toMatchObject({ ok: true, detail: "HTTP 200" });
      expect(fast.degraded).toBeUndefined();
    } finally {
      delayMs = 0;
    }
  });

  it("a failure stays down whatever its latency", async () => {
    const r = await runCheck(spec({ url: `${plain.url}/x`, expectedStatus: "204", degradedAfterMs: 1 }), ctx());
    expect(r.ok).toBe(false);
    expect(r.degraded).toBeUndefined();
  });
});

describe("certificate monitors (TLS handshake, SNI = host)", () => {
  it("is up with days left for a certificate that verifies for the host", async () => {
    const server = await startTlsServer(ca.issue(45));
    try {
      const r = await runCheck(spec({ type: "certificate", host: "localhost", port: server.port }), ctx());
      expect(r).toMatchObject({ ok: true });
      expect(r.detail).toMatch(/^certificate CN=localhost expires in 45 days \(\d{4}-\d{2}-\d{2}\)$/);
      expect(r.facts?.certificate?.daysLeft).toBe(45);
    } finally {
      await server.close();
    }
  });

  it("is down for an expired certificate, still reading its dates", async () => {
    const server = await startTlsServer(ca.issue(0));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    try {
      const r = await runCheck(spec({ type: "certificate", host: "localhost", port: server.port }), ctx());
      expect(r.ok).toBe(false);
      expect(r.detail).toMatch(/^TLS: the certificate has expired \(CERT_HAS_EXPIRED\), expired today/);
      expect(r.facts?.certificate?.daysLeft).toBeLessThanOrEqual(0);
    } finally {
      await server.close();
    }
  });

  it("is down when the certificate is for another name, or from an untrusted issuer", async () => {
    const server = await startTlsServer(ca.issue(30));
    try {
      const resolve = async () => [{ address: "127.0.0.1", family: 4 as const }];
      const wrongName = await runCheck(spec({ type: "certificate", host: "shop.test", port: server.port }), { ...ctx(), resolve });
      expect(wrongName.ok).toBe(false);
      expect(wrongName.detail).toMatch(/^TLS: the certificate does not match the host name \(ERR_TLS_CERT_ALTNAME_INVALID\), expires in 30 days/);
      const byIp = await runCheck(spec({ type: "certificate", host: "127.0.0.1", port: server.port }), ctx());
      expect(byIp.ok).toBe(true);
      const untrusted = await runCheck(spec({ type: "certificate", host: "localhost", port: server.port }), { ...ctx(), ca: [makeTestCa().pem] });
      expect(untrusted.ok).toBe(false);
      expect(untrusted.detail).toMatch(/^TLS: the certificate's issuer is not trusted/);
    } finally {
      await server.close();
    }
  });

  it("is down on a closed port, and refused for a denied address", async () => {
    const r = await runCheck(spec({ type: "certificate", host: "127.0.0.1", port: 9 }), ctx());
    expect(r).toMatchObject({ ok: false, latencyMs: null });
    expect(r.detail).toMatch(/ECONNREFUSED/);
    const denied = await runCheck(spec({ type: "certificate", host: "169.254.169.254", port: 443 }), ctx());
    expect(denied.detail).toMatch(/is refused/);
  });
});
