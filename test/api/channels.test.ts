import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { appDb } from "../helpers/app-db";
import { createApiToken } from "../../lib/auth/tokens";
import { verifySignature } from "../../lib/alerts/signing";
import { discordRules, ntfyRules, pagerDutyRules, slackRules, teamsRules, telegramRules } from "../../lib/alerts/testing/rules";
import { startReceiver, type ReceivedRequest } from "../../lib/alerts/testing/samples";
import { parseMail, startSmtpServer } from "../../lib/alerts/testing/smtp";

/**
 * /api/v1/channels against the running app and its worker: a channel of every provider type is created over
 * HTTP, pointed at a real receiver on loopback (the provider's base URL made configurable for this), and its
 * test alert is sent by the worker and checked against the provider's documented payload rules; secrets are
 * write-only in every answer.
 */
const BOT = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0";
const ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
const SMTP_PASSWORD = "smtp-app-password-42";
const NTFY_TOKEN = "tk_ntfy_secret_token";
const run = Date.now().toString(36);

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
const receivers: Record<string, Receiver> = {};
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let admin = "";
let viewer = "";

beforeAll(async () => {
  const webhookRules = () => [] as string[];
  const starts: [string, (req: ReceivedRequest) => string[], { status: number; body?: string }][] = [
    ["webhook", webhookRules, { status: 200 }],
    ["slack", slackRules, { status: 200 }],
    ["discord", discordRules, { status: 204 }],
    ["teams", teamsRules, { status: 202 }],
    ["telegram", telegramRules(BOT), { status: 200, body: JSON.stringify({ ok: true, result: { message_id: 1 } }) }],
    ["ntfy", ntfyRules(NTFY_TOKEN), { status: 200, body: JSON.stringify({ id: "x", event: "message" }) }],
    ["pagerduty", pagerDutyRules(ROUTING_KEY), { status: 202, body: JSON.stringify({ status: "success" }) }],
  ];
  for (const [name, rules, success] of starts) receivers[name] = await startReceiver(rules, success);
  smtp = await startSmtpServer({ username: "alerts", password: SMTP_PASSWORD });
  admin = (await createApiToken(appDb(), { name: `channels-admin-${run}`, role: "admin" })).token;
  viewer = (await createApiToken(appDb(), { name: `channels-viewer-${run}`, role: "viewer" })).token;
});
afterAll(async () => {
  for (const r of Object.values(receivers)) await r.close();
  await smtp?.close();
  await appDb().$disconnect();
});

/** Each provider's config pointing at its receiver, and the secrets that must never come back. */
function configs() {
  return {
    webhook: { config: { url: `${receivers.webhook!.url}/hook/secret-path` }, secrets: ["secret-path"] },
    slack: { config: { url: `${receivers.slack!.url}/services/T000/B000/slack-secret` }, secrets: ["slack-secret"] },
    discord: { config: { url: `${receivers.discord!.url}/api/webhooks/1/discord-secret`, username: "Deckhand alerts" }, secrets: ["discord-secret"] },
    teams: { config: { url: `${receivers.teams!.url}/workflows/teams-secret` }, secrets: ["teams-secret"] },
    telegram: { config: { botToken: BOT, chatId: "-1001234567890", baseUrl: receivers.telegram!.url }, secrets: [BOT] },
    ntfy: { config: { serverUrl: receivers.ntfy!.url, topic: "deckhand-alerts", token: NTFY_TOKEN }, secrets: [NTFY_TOKEN] },
    pagerduty: { config: { routingKey: ROUTING_KEY, baseUrl: receivers.pagerduty!.url }, secrets: [ROUTING_KEY] },
    email: {
      config: { host: "127.0.0.1", port: smtp.port, secure: false, requireTls: false, username: "alerts", password: SMTP_PASSWORD, from: "Deckhand <alerts@example.test>", to: ["ops@example.test"] },
      secrets: [SMTP_PASSWORD],
    },
  } as const;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const post = (path: string, body: unknown, token = admin) => api(path, token, { method: "POST", body: JSON.stringify(body) });

describe("/api/v1/channels: every provider type, tested through the worker to a real receiver", () => {
  const created: Record<string, { id: string; signingSecret?: string }> = {};

  it("creates a channel of each type (201) whose answer holds no secret", async () => {
    for (const [type, { config, secrets }] of Object.entries(configs())) {
      const res = await post("/api/v1/channels", { name: `${type}-${run}`, type, config, isDefault: false });
      const text = await res.text();
      expect(res.status, `${type}: ${text}`).toBe(201);
      for (const secret of secrets) expect(text, type).not.toContain(secret);
      const body = JSON.parse(text) as { id: string; type: string; isDefault: boolean; credentialsSet: string[]; signingSecret?: string };
      expect(body).toMatchObject({ type, isDefault: false });
      expect(body.credentialsSet.length, type).toBeGreaterThan(0);
      created[type] = { id: body.id, ...(body.signingSecret ? { signingSecret: body.signingSecret } : {}) };
      const read = await (await api(`/api/v1/channels/${body.id}`, admin)).text();
      for (const secret of secrets) expect(read, type).not.toContain(secret);
    }
    expect(created.webhook!.signingSecret).toMatch(/^[A-Za-z0-9_-]{40,}$/);
  });

  it("POST /channels/{id}/test answers 202 and the worker delivers a payload each provider accepts", async () => {
    for (const [type, { id }] of Object.entries(created)) {
      const res = await post(`/api/v1/channels/${id}/test`, {});
      expect(res.status, type).toBe(202);
      expect(await res.json()).toEqual({ id, queued: true });
    }
    for (const [type, r] of Object.entries(receivers)) {
      const got = await until(`the ${type} test alert`, async () => r.received[0]);
      expect(got.problems, type).toEqual([]);
    }
    for (const [type, { id }] of Object.entries(created)) {
      const row = await until(`the ${type} delivery`, () => appDb().notificationDelivery.findFirst({ where: { channelId: id, status: "delivered" } }));
      expect(row.attempts, type).toBe(1);
    }

    const hook = receivers.webhook!.received[0]!;
    expect(hook.path).toBe("/hook/secret-path");
    expect(verifySignature(created.webhook!.signingSecret!, { signature: String(hook.headers["x-deckhand-signature"]), timestamp: String(hook.headers["x-deckhand-timestamp"]) }, hook.body)).toBe(true);
    const alertsPage = `${baseUrl()}/settings/alerts`;
    expect(JSON.parse(hook.body)).toMatchObject({ event: "test", links: [{ label: "Open alert channels", url: alertsPage }] });
    expect(receivers.telegram!.received[0]!.path).toBe(`/bot${BOT}/sendMessage`);
    expect(receivers.pagerduty!.received[0]!.path).toBe("/v2/change/enqueue");
    expect(receivers.ntfy!.received[0]!.headers.authorization).toBe(`Bearer ${NTFY_TOKEN}`);

    const mail = await until("the test e-mail", async () => smtp.mails[0]);
    expect(mail).toMatchObject({ from: "alerts@example.test", to: ["ops@example.test"], user: "alerts" });
    const parsed = parseMail(mail.raw);
    expect(parsed.subject).toBe("[Deckhand] Deckhand test notification");
    expect(parsed.text).toContain(`Open alert channels: ${alertsPage}`);
    expect(parsed.html).toContain(`<a href="${alertsPage}"`);
    // The link in the alert is the real page of the running app.
    expect((await fetch(alertsPage, { redirect: "manual" })).status).toBeLessThan(400);
  });

  it("PATCH keeps a secret left out, and a change of type must bring its whole config", async () => {
    const { id } = created.telegram!;
    const res = await api(`/api/v1/channels/${id}`, admin, { method: "PATCH", body: JSON.stringify({ config: { chatId: "@deckhand_ops" } }) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain(BOT);
    expect(JSON.parse(text)).toMatchObject({ config: { chatId: "@deckhand_ops" }, credentialsSet: ["botToken"] });
    const before = receivers.telegram!.received.length;
    expect((await post(`/api/v1/channels/${id}/test`, {})).status).toBe(202);
    const again = await until("the second telegram test", async () => receivers.telegram!.received[before]);
    expect(again.problems).toEqual([]);
    expect(JSON.parse(again.body)).toMatchObject({ chat_id: "@deckhand_ops" });

    const retyped = await api(`/api/v1/channels/${id}`, admin, { method: "PATCH", body: JSON.stringify({ type: "pagerduty" }) });
    expect(retyped.status).toBe(400);
    expect(((await retyped.json()) as { error: { message: string } }).error.message).toMatch(/routingKey/);
  });

  it("refuses a bad config per type in plain words naming the field, and non-admins", async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["telegram", { botToken: "nope", chatId: "1" }, /botToken/],
      ["pagerduty", { routingKey: "short" }, /routingKey.*32-character/],
      ["ntfy", { topic: "has spaces" }, /topic/],
      ["email", { host: "smtp.example.test", from: "alerts@example.test", to: ["not-an-address"] }, /to.*e-mail address/],
      ["slack", { url: "ftp://example.test/x" }, /url.*http/],
      ["webhook", { url: "http://169.254.169.254/latest/meta-data/" }, /169\.254\.169\.254/],
    ];
    for (const [type, config, message] of cases) {
      const res = await post("/api/v1/channels", { name: `bad-${type}-${run}`, type, config, isDefault: false });
      expect(res.status, type).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message, type).toMatch(message);
    }
    const bogus = await post("/api/v1/channels", { name: `bogus-${run}`, type: "carrier-pigeon", config: {} });
    expect(bogus.status).toBe(400);
    expect(((await bogus.json()) as { error: { message: string } }).error.message).toMatch(/type must be one of/);
    expect((await post("/api/v1/channels", { name: `viewer-${run}`, type: "slack", config: { url: "http://127.0.0.1:1/x" } }, viewer)).status).toBe(403);
    expect((await post(`/api/v1/channels/${created.slack!.id}/test`, {}, viewer)).status).toBe(403);
  });

  it("DELETE removes the channel", async () => {
    const { id } = created.discord!;
    expect((await api(`/api/v1/channels/${id}`, admin, { method: "DELETE" })).status).toBe(200);
    expect((await api(`/api/v1/channels/${id}`, admin)).status).toBe(404);
  });
});
