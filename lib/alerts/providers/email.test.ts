import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddressGuard, type Resolver } from "../../net/guard";
import { makeCertificate, parseMail, startSmtpServer } from "../testing/smtp";
import { message, monitorDown, SAMPLES } from "../testing/samples";
import { emailProvider } from "./email";

const HOST = "mail.test";
// mail.test is the loopback server: the connection is pinned to the vetted address, the certificate checked against the name.
const resolve: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];
const ctx = { guard: new AddressGuard(), resolve, deliveryId: "delivery-mail-1" };
const tls = makeCertificate(HOST);
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

beforeAll(async () => {
  smtp = await startSmtpServer({ tls, username: "alerts", password: "app-password" });
});
afterAll(() => smtp.close());

function config(over: Record<string, unknown> = {}) {
  return emailProvider.config.parse({ host: HOST, port: smtp.port, username: "alerts", password: "app-password", from: "Deckhand <alerts@example.com>", to: ["ops@example.com", "oncall@example.com"], caCertificate: tls.cert, ...over });
}

describe("e-mail provider (SMTP, real server on loopback)", () => {
  it("sends over STARTTLS with AUTH: subject, plain-text and HTML bodies with the links", async () => {
    smtp.mails.length = 0;
    expect(await emailProvider.send(message(monitorDown), config(), ctx)).toEqual({ ok: true, status: null, error: null });
    const [mail] = smtp.mails;
    expect(mail).toMatchObject({ from: "alerts@example.com", to: ["ops@example.com", "oncall@example.com"], user: "alerts", secure: true });
    const parsed = parseMail(mail!.raw);
    expect(parsed.subject).toBe("[Deckhand] checkout (shop) is down");
    expect(parsed.headers.get("x-deckhand-event")).toBe("monitor.down");
    expect(parsed.text).toContain("🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399)");
    expect(parsed.text).toContain("Since: 2026-03-01 11:59:00 UTC");
    expect(parsed.text).toContain("Deploy before it: deploy of release 20260301T114900Z-abc1234 (commit abc1234def56) by alice@example.com");
    expect(parsed.text).toContain("Open monitor: https://deckhand.example.com/monitors/mon1");
    expect(parsed.text).toContain("Roll back to 20260228T090000Z-0ff1ce0: https://deckhand.example.com/apps/app1#releases");
    expect(parsed.html).toContain('<a href="https://deckhand.example.com/monitors/mon1"');
    expect(parsed.html).toContain('<a href="https://deckhand.example.com/apps/app1#releases"');
  });

  it("every sample arrives; markup in names is escaped in the HTML body", async () => {
    smtp.mails.length = 0;
    for (const [name, payload] of Object.entries(SAMPLES)) expect((await emailProvider.send(message(payload), config(), ctx)).ok, name).toBe(true);
    expect(smtp.mails).toHaveLength(Object.keys(SAMPLES).length);
    const evil = smtp.mails.map((m) => parseMail(m.raw)).find((m) => m.subject.includes("@everyone"))!;
    expect(evil.html).toContain("&lt;b&gt;@everyone&lt;/b&gt; &amp; &lt;script&gt;");
    expect(evil.html).not.toContain("<script>");
    expect(evil.html).not.toContain('href="javascript:');
    expect(parseMail(smtp.mails.find((m) => parseMail(m.raw).subject.includes("Deploy of shop failed"))!.raw).text).toContain("Error: health check failed on web-1: HTTP 500");
  });

  it("a wrong password is refused in plain words", async () => {
    const r = await emailProvider.send(message(monitorDown), config({ password: "wrong" }), ctx);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/^SMTP: .*(Invalid|auth)/i);
    expect(r.error).not.toContain("wrong");
  });

  it("a certificate that does not match, or an untrusted one, is refused before AUTH", async () => {
    const untrusted = await emailProvider.send(message(monitorDown), config({ caCertificate: undefined }), ctx);
    expect(untrusted.ok).toBe(false);
    expect(untrusted.error).toMatch(/certificate/i);
    const wrongName = await emailProvider.send(message(monitorDown), config({ host: "other.test" }), ctx);
    expect(wrongName.ok).toBe(false);
  });

  it("requireTls refuses a server without STARTTLS instead of sending the password in the clear", async () => {
    const plain = await startSmtpServer({ username: "alerts", password: "app-password" });
    try {
      const refused = await emailProvider.send(message(monitorDown), config({ port: plain.port }), ctx);
      expect(refused.ok).toBe(false);
      expect(refused.error).toMatch(/STARTTLS|TLS/i);
      expect(plain.mails).toHaveLength(0);
      // Turned off on purpose (a relay on a trusted network), it sends.
      expect((await emailProvider.send(message(monitorDown), config({ port: plain.port, requireTls: false }), ctx)).ok).toBe(true);
      expect(plain.mails).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });

  it("refuses a server at a denied address before connecting", async () => {
    const metadata: Resolver = async () => [{ address: "169.254.169.254", family: 4 }];
    const r = await emailProvider.send(message(monitorDown), config(), { ...ctx, resolve: metadata });
    expect(r).toMatchObject({ ok: false });
    expect(r.error).toMatch(/169\.254\.169\.254.* refused/);
  });
});
