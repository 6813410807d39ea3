import { startHttpServer, type TestHttpServer } from "../../net/testing/servers";
import { AddressGuard } from "../../net/guard";
import { renderAlert, type AlertMessage } from "../message";
import type { AlertPayload, DeployAlertPayload, MonitorAlertPayload } from "../payload";
import type { SendContext } from "../providers/types";

/** Alerts to send in provider tests: ordinary ones, and one built to break every limit and escape. */

export const PUBLIC_URL = "https://deckhand.example.com";

export const monitorDown: MonitorAlertPayload = {
  event: "monitor.down",
  monitor: { id: "mon1", name: "checkout", type: "http", target: "https://shop.example.com/health", app: "shop", appId: "app1" },
  at: "2026-03-01T12:00:00.000Z",
  detail: "HTTP 503 (expected 200-399)",
  incident: { id: "inc1", startedAt: "2026-03-01T11:59:00.000Z", endedAt: null, durationSeconds: null },
  precedingDeploy: {
    id: "dep1",
    kind: "deploy",
    status: "succeeded",
    appId: "app1",
    finishedAt: "2026-03-01T11:50:00.000Z",
    release: "20260301T114900Z-abc1234",
    commit: "abc1234def5678901234567890abcdef12345678",
    by: "alice@example.com",
    rollbackTo: { id: "rel0", release: "20260228T090000Z-0ff1ce0", commit: "0ff1ce0000000000000000000000000000000000" },
  },
};

export const monitorUp: MonitorAlertPayload = {
  ...monitorDown,
  event: "monitor.up",
  at: "2026-03-01T12:10:00.000Z",
  detail: "HTTP 200",
  incident: { id: "inc1", startedAt: "2026-03-01T11:59:00.000Z", endedAt: "2026-03-01T12:10:00.000Z", durationSeconds: 660 },
  precedingDeploy: null,
};

export const deployFailed: DeployAlertPayload = {
  event: "deploy.failed",
  deploy: {
    id: "dep2",
    kind: "deploy",
    status: "failed",
    app: { id: "app1", name: "shop" },
    release: "20260301T130000Z-beef123",
    commit: "beef123000000000000000000000000000000000",
    by: "bob@example.com",
    error: "health check failed on web-1: HTTP 500",
    startedAt: "2026-03-01T12:59:00.000Z",
    finishedAt: "2026-03-01T13:00:30.000Z",
    autoRolledBack: false,
  },
  at: "2026-03-01T13:00:30.000Z",
  detail: "health check failed on web-1: HTTP 500",
  rollbackTo: { id: "rel1", release: "20260301T114900Z-abc1234", commit: "abc1234def5678901234567890abcdef12345678" },
};

export const deploySucceeded: DeployAlertPayload = { ...deployFailed, event: "deploy.succeeded", deploy: { ...deployFailed.deploy, status: "succeeded", error: null }, detail: "succeeded", rollbackTo: null };

export const testAlert: MonitorAlertPayload = { event: "test", monitor: { id: "test", name: "Deckhand", type: "test", target: "-", app: null }, at: "2026-03-01T12:00:00.000Z", detail: "test notification", incident: null };

/** Markup, mentions and entities in every field, and a detail far past every provider's limit. */
export const hostile: MonitorAlertPayload = {
  ...monitorDown,
  monitor: { ...monitorDown.monitor, name: "<b>@everyone</b> & <script>|]]", app: "a&b<c>" },
  detail: `<a href="javascript:alert(1)">x</a> &amp; ${"é🔥 ".repeat(6_000)}`,
};

export const SAMPLES: Record<string, AlertPayload> = { monitorDown, monitorUp, deployFailed, deploySucceeded, testAlert, hostile };

export function message(p: AlertPayload, publicUrl: string | null = PUBLIC_URL): AlertMessage {
  return renderAlert(p, publicUrl);
}

export const sendContext: SendContext = { guard: new AddressGuard(), deliveryId: "delivery-1" };

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A provider's stand-in on loopback: every request is checked against the provider's documented rules, and
 * answered as the provider would (its success status, or 400 with the broken rules), so a send passes only
 * when the payload is one the real service accepts.
 */
export async function startReceiver(check: (req: ReceivedRequest) => string[], success: { status: number; body?: string } = { status: 200 }) {
  const received: (ReceivedRequest & { problems: string[] })[] = [];
  const server: TestHttpServer = await startHttpServer((req, res, body) => {
    const request = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
    let problems: string[];
    try {
      problems = check(request);
    } catch (err) {
      problems = [`unreadable: ${err instanceof Error ? err.message : String(err)}`];
    }
    received.push({ ...request, problems });
    if (problems.length) {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: problems.join("; ") }));
      return;
    }
    res.writeHead(success.status, success.body ? { "content-type": "application/json" } : {});
    res.end(success.body);
  });
  return { url: server.url, received, close: () => server.close() };
}

/** Collects a rule's problem when `ok` is false. */
export function rule(problems: string[], ok: boolean, what: string): void {
  if (!ok) problems.push(what);
}

export function isHttpUrl(v: unknown): boolean {
  if (typeof v !== "string") return false;
  try {
    const u = new URL(v);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
