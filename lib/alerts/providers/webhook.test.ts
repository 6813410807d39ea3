import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "../signing";
import { message, monitorDown, SAMPLES, sendContext, startReceiver } from "../testing/samples";
import { webhookProvider } from "./webhook";

type Verify = (secret: string, headers: Record<string, string | string[] | undefined>, rawBody: string, now?: number) => boolean;

const SECRET = "s3cret-s3cret-s3cret-s3cret";
const tmp = mkdtempSync(path.join(os.tmpdir(), "deckhand-verify-"));
let docsVerify: Verify;
let hook: Awaited<ReturnType<typeof startReceiver>>;

/** docs/alerts.md's verification snippet, exactly as a reader would paste it. */
async function loadDocsSnippet(): Promise<Verify> {
  const doc = readFileSync(path.resolve(import.meta.dirname, "../../../docs/alerts.md"), "utf8");
  const match = /<!-- verify-snippet -->\n```js\n([\s\S]*?)```/.exec(doc);
  if (!match) throw new Error("docs/alerts.md has no verify-snippet block");
  const file = path.join(tmp, "verify.mjs");
  writeFileSync(file, match[1]!);
  const mod = (await import(pathToFileURL(file).href)) as { verifyDeckhandWebhook: Verify };
  return mod.verifyDeckhandWebhook;
}

beforeAll(async () => {
  docsVerify = await loadDocsSnippet();
  // The receiver refuses what the documented verification refuses, as a real receiver would.
  hook = await startReceiver((req) => {
    const problems: string[] = [];
    if (req.headers["content-type"] !== "application/json") problems.push("content-type");
    if (!docsVerify(SECRET, req.headers, req.body)) problems.push("bad signature");
    return problems;
  });
});
afterAll(async () => {
  await hook.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("signed generic webhook", () => {
  it("every sample arrives signed, and the snippet in docs/alerts.md verifies it", async () => {
    for (const [name, payload] of Object.entries(SAMPLES)) {
      expect(await webhookProvider.send(message(payload), { url: `${hook.url}/hook`, secret: SECRET }, sendContext), name).toEqual({ ok: true, status: 200, error: null });
    }
    const r = hook.received.at(-1)!;
    expect(r.headers["x-deckhand-delivery"]).toBe("delivery-1");
    expect(r.headers["x-deckhand-event"]).toBe("monitor.down");
    expect(String(r.headers["x-deckhand-signature"])).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature(SECRET, { signature: String(r.headers["x-deckhand-signature"]), timestamp: String(r.headers["x-deckhand-timestamp"]) }, r.body)).toBe(true);
  });

  it("a changed body, another secret, or an old timestamp fails verification", async () => {
    hook.received.length = 0;
    await webhookProvider.send(message(monitorDown), { url: `${hook.url}/hook`, secret: SECRET }, sendContext);
    const { headers, body } = hook.received[0]!;
    expect(docsVerify(SECRET, headers, body)).toBe(true);
    expect(docsVerify(SECRET, headers, body.replace("checkout", "checkouT"))).toBe(false);
    expect(docsVerify("another-secret-another-secret", headers, body)).toBe(false);
    expect(docsVerify(SECRET, headers, body, Date.now() + 301_000)).toBe(false);
    expect(docsVerify(SECRET, { ...headers, "x-deckhand-signature": undefined }, body)).toBe(false);
  });

  it("the body is the alert with its headline, title and links", async () => {
    hook.received.length = 0;
    await webhookProvider.send(message(monitorDown), { url: `${hook.url}/hook`, secret: SECRET }, sendContext);
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({
      event: "monitor.down",
      monitor: { id: "mon1", name: "checkout", app: "shop" },
      incident: { id: "inc1", startedAt: "2026-03-01T11:59:00.000Z" },
      precedingDeploy: { id: "dep1", release: "20260301T114900Z-abc1234", by: "alice@example.com" },
      text: "🔴 checkout (shop) is DOWN: HTTP 503 (expected 200-399) — https://shop.example.com/health",
      title: "checkout (shop) is down",
      severity: "critical",
      links: [
        { label: "Open monitor", url: "https://deckhand.example.com/monitors/mon1" },
        { label: "Deploy before it", url: "https://deckhand.example.com/apps/app1/deploys/dep1" },
        { label: "Roll back to 20260228T090000Z-0ff1ce0", url: "https://deckhand.example.com/apps/app1#releases" },
      ],
    });
  });

  it("a channel without a secret (saved before signatures) is sent unsigned; a redirect is not followed", async () => {
    hook.received.length = 0;
    const r = await webhookProvider.send(message(monitorDown), { url: `${hook.url}/hook` }, sendContext);
    expect(r).toMatchObject({ ok: false, status: 400 });
    expect(hook.received[0]!.headers["x-deckhand-signature"]).toBeUndefined();
    const redirecting = await startReceiver(() => []);
    const moved = await (
      await import("../../net/testing/servers")
    ).startHttpServer((_req, res) => {
      res.writeHead(307, { location: `${redirecting.url}/elsewhere` });
      res.end();
    });
    try {
      const sent = await webhookProvider.send(message(monitorDown), { url: moved.url, secret: SECRET }, sendContext);
      expect(sent.ok).toBe(false);
      expect(sent.error).toMatch(/^HTTP 307 \(redirects are not followed/);
      expect(redirecting.received).toHaveLength(0);
    } finally {
      await moved.close();
      await redirecting.close();
    }
  });
});
