import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import https from "node:https";
import type net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressGuard, type Resolver } from "../../net/guard";
import { ipv6FormsOf } from "../../net/testing/addresses";
import { closedPort, startHttpServer, startSilentServer, type TestHttpServer } from "../../net/testing/servers";
import { checkHttp, parseExpectedStatus, statusMatches } from "./http";

const guard = new AddressGuard();
let server: TestHttpServer;
let status = 200;

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/health") {
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(status < 400 ? "db: ok, cache: ok" : "db: down");
    } else if (url.pathname.startsWith("/hop/")) {
      const n = Number(url.pathname.slice(5));
      res.writeHead(302, { location: n > 1 ? `/hop/${n - 1}` : "/health" });
      res.end();
    } else if (url.pathname === "/loop") {
      res.writeHead(301, { location: "/loop2" });
      res.end();
    } else if (url.pathname === "/loop2") {
      res.writeHead(307, { location: "/loop" });
      res.end();
    } else if (url.pathname === "/to") {
      res.writeHead(302, { location: url.searchParams.get("u") ?? "/" });
      res.end();
    } else if (url.pathname === "/stall-body") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});
afterAll(() => server.close());

const spec = (url: string, extra: Partial<Parameters<typeof checkHttp>[0]> = {}) => ({
  url,
  method: "GET",
  expectedStatus: "200-399",
  keyword: null,
  timeoutMs: 3_000,
  ...extra,
});

describe("expected status", () => {
  it("parses codes, ranges and lists", () => {
    expect(parseExpectedStatus("200-399")).toEqual([[200, 399]]);
    expect(statusMatches(204, "200,204")).toBe(true);
    expect(statusMatches(500, "200-399")).toBe(false);
    expect(statusMatches(302, "200, 300-302")).toBe(true);
  });
});

describe("checkHttp against a real local server", () => {
  it("is up on an expected status and reports latency", async () => {
    status = 200;
    const r = await checkHttp(spec(`${server.url}/health`), { guard });
    expect(r).toMatchObject({ ok: true, detail: "HTTP 200" });
    expect(r.latencyMs).toBeGreaterThan(0);
  });

  it("is down on an unexpected status", async () => {
    status = 503;
    const r = await checkHttp(spec(`${server.url}/health`), { guard });
    expect(r).toMatchObject({ ok: false, detail: "HTTP 503 (expected 200-399)" });
    status = 200;
  });

  it("checks the body keyword", async () => {
    expect((await checkHttp(spec(`${server.url}/health`, { keyword: "db: ok" }), { guard })).ok).toBe(true);
    const r = await checkHttp(spec(`${server.url}/health`, { keyword: "queue: ok" }), { guard });
    expect(r).toMatchObject({ ok: false, detail: 'HTTP 200: keyword "queue: ok" not found' });
  });

  it("follows up to 5 redirects, and fails on the sixth", async () => {
    const before = server.requests.length;
    expect(await checkHttp(spec(`${server.url}/hop/5`), { guard })).toMatchObject({ ok: true, detail: "HTTP 200 after 5 redirects" });
    expect(server.requests.length - before).toBe(6);
    expect(await checkHttp(spec(`${server.url}/hop/6`), { guard })).toMatchObject({ ok: false, detail: "too many redirects (more than 5)" });
  });

  it("ends a redirect loop instead of following it forever", async () => {
    const before = server.requests.length;
    const r = await checkHttp(spec(`${server.url}/loop`), { guard });
    expect(r).toMatchObject({ ok: false, detail: "too many redirects (more than 5)" });
    expect(server.requests.length - before).toBe(6);
  });

  it("reports a refused connection", async () => {
    const port = await closedPort();
    const r = await checkHttp(spec(`http://127.0.0.1:${port}/`), { guard });
    expect(r).toMatchObject({ ok: false, latencyMs: null });
    expect(r.detail).toMatch(/ECONNREFUSED/);
  });
});

describe("timeouts", () => {
  it("cuts a hanging endpoint at its timeout", async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      const r = await checkHttp(spec(`http://127.0.0.1:${silent.port}/`, { timeoutMs: 400 }), { guard });
      const took = Date.now() - started;
      expect(r).toEqual({ ok: false, latencyMs: 400, detail: "timed out after 400 ms" });
      expect(silent.connections()).toBe(1);
      expect(took).toBeGreaterThanOrEqual(390);
      expect(took).toBeLessThan(1_500);
    } finally {
      await silent.close();
    }
  });

  it("cuts a body that never ends while looking for the keyword", async () => {
    const started = Date.now();
    const r = await checkHttp(spec(`${server.url}/stall-body`, { keyword: "ok", timeoutMs: 400 }), { guard });
    expect(r).toMatchObject({ ok: false, detail: "timed out after 400 ms" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe("refused targets never get a connection", () => {
  it.each([
    "http://169.254.169.254/latest/meta-data/",
    "http://100.100.100.200/latest/meta-data/",
    "http://[fd00:ec2::254]/latest/meta-data/",
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[fe80::1]:8080/",
  ])("%s is refused at once", async (url) => {
    const started = Date.now();
    const r = await checkHttp(spec(url, { timeoutMs: 5_000 }), { guard });
    expect(r.ok).toBe(false);
    expect(r.latencyMs).toBeNull();
    expect(r.detail).toMatch(/is refused/);
    // A real connection attempt to these addresses would hang until the 5 s timeout.
    expect(Date.now() - started).toBeLessThan(500);
  });

  it.each(["169.254.169.254", "100.100.100.200"].flatMap((ipv4) => ipv6FormsOf(ipv4)))("the IPv6 form %s of a metadata address is refused at once, as a literal and as a name", async (form) => {
    const started = Date.now();
    const literal = await checkHttp(spec(`http://[${form}]/latest/meta-data/`, { timeoutMs: 5_000 }), { guard });
    expect(literal).toMatchObject({ ok: false, latencyMs: null, detail: expect.stringMatching(/is refused: .* in IPv6 form\)$/) });
    const resolve: Resolver = async () => [{ address: form, family: 6 }];
    const named = await checkHttp(spec("http://imds-v6.test/", { timeoutMs: 5_000 }), { guard, resolve });
    expect(named.detail).toMatch(/imds-v6\.test \(.*\) is refused/);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("refuses a name that resolves to a metadata address", async () => {
    const resolve: Resolver = async (host) => (host === "metadata.internal.test" ? [{ address: "169.254.169.254", family: 4 }] : []);
    const r = await checkHttp(spec("http://metadata.internal.test/latest/meta-data/"), { guard, resolve });
    expect(r).toMatchObject({ ok: false, latencyMs: null });
    expect(r.detail).toBe("Target metadata.internal.test (169.254.169.254) is refused: link-local / cloud metadata addresses are denied by default");
  });

  it("refuses a name that resolves to an IPv4-mapped metadata address", async () => {
    const resolve: Resolver = async () => [{ address: "::ffff:100.100.100.200", family: 6 }];
    const r = await checkHttp(spec("http://sneaky.test/"), { guard, resolve });
    expect(r.detail).toMatch(/sneaky\.test \(::ffff:100\.100\.100\.200\) is refused/);
  });

  it("checks every redirect hop: a local page cannot bounce a check into the metadata service", async () => {
    const before = server.requests.length;
    const r = await checkHttp(spec(`${server.url}/to?u=${encodeURIComponent("http://169.254.169.254/latest/meta-data/")}`), { guard });
    expect(r).toMatchObject({ ok: false, detail: expect.stringMatching(/169\.254\.169\.254 is refused/) });
    expect(server.requests.length - before).toBe(1);

    const resolve: Resolver = async (host) => (host === "127.0.0.1" ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "fd00:ec2::254", family: 6 }]);
    const viaName = await checkHttp(spec(`${server.url}/to?u=${encodeURIComponent("http://imds.test/")}`), { guard, resolve });
    expect(viaName.detail).toMatch(/imds\.test \(fd00:ec2::254\) is refused/);
  });

  it("an admin-denied range is refused before the socket opens (the server counts zero connections)", async () => {
    const strict = new AddressGuard({ deny: ["127.0.0.0/8"], allow: [] });
    const before = server.connections();
    const r = await checkHttp(spec(`${server.url}/health`), { guard: strict });
    expect(r.detail).toMatch(/denied by the health-check network setting/);
    expect(server.connections()).toBe(before);
  });

  it("connects to the address it vetted, not to what the name resolves to later", async () => {
    let calls = 0;
    const resolve: Resolver = async () => {
      calls++;
      return calls === 1 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "169.254.169.254", family: 4 }];
    };
    const r = await checkHttp(spec(`http://rebind.test:${server.port}/health`), { guard, resolve });
    expect(r).toMatchObject({ ok: true, detail: "HTTP 200" });
    expect(calls).toBe(1);
  });
});

describe("https", () => {
  let tlsServer: https.Server;
  let port = 0;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "deckhand-tls-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", path.join(dir, "k.pem"), "-out", path.join(dir, "c.pem")], { stdio: "ignore" });
    tlsServer = https.createServer({ key: readFileSync(path.join(dir, "k.pem")), cert: readFileSync(path.join(dir, "c.pem")) }, (_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
    port = (tlsServer.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => tlsServer.close(() => resolve())));

  it("verifies certificates: a self-signed one is down with a TLS reason", async () => {
    const r = await checkHttp(spec(`https://localhost:${port}/`), { guard });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/^TLS: .*self[- ]signed/i);
  });
});
