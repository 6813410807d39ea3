import { z } from "zod";
import type { Db, Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { AppError, NotFoundError, ValidationError } from "../errors";
import { expectedStatusSchema, HTTP_METHODS } from "./checkers/http";
import { assertTargetAllowed, hostOf, loadAddressGuard, type Resolver } from "../net/guard";
import { httpUrl } from "../net/http-url";
import { assertDependencyAllowed, channelIdsSchema } from "../alerts/routing";
import { cronSchema, DEFAULT_GRACE_SECONDS, deadlineAfter, MAX_GRACE_SECONDS, timeZoneSchema } from "./heartbeat-schedule";
import { newPushToken } from "./heartbeat";
import { assertionsSchema } from "./assertions";
import { certWarnDaysSchema, DEFAULT_CERT_WARN_DAYS } from "./tls";

/** Forms send "" for an empty field; the API may send null. Both mean "not given". */
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const int = (min: number, max: number, label: string) =>
  z.coerce
    .number({ message: `${label} must be a number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

export const MIN_INTERVAL_SECONDS = 10;
export const MAX_INTERVAL_SECONDS = 24 * 3600;
export const MAX_TIMEOUT_SECONDS = 120;

const hostName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .regex(/^[A-Za-z0-9.:\-_[\]]+$/, "must be a host name or IP address");

const common = {
  name: z.string().trim().min(1, "name is required").max(100),
  intervalSeconds: z.preprocess(blankToUndefined, int(MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS, "interval").default(60)),
  timeoutSeconds: z.preprocess(blankToUndefined, int(1, MAX_TIMEOUT_SECONDS, "timeout").default(10)),
  retries: z.preprocess(blankToUndefined, int(0, 10, "retries").default(0)),
  appId: optional(z.string().min(1)),
  /** Where its alerts go (lib/alerts/routing.ts): stored by the action, not a column of the monitor. */
  channelIds: channelIdsSchema.optional(),
  /** The monitor this one depends on: its alerts are suppressed while that one is down (null or "": none). */
  dependsOnId: optional(z.string().min(1, "dependsOnId: pick a monitor").max(100)),
  /** While down and not acknowledged, alert again every this many minutes (null or "": never). */
  renotifyMinutes: optional(int(1, 7 * 24 * 60, "renotifyMinutes")),
  /** A successful check slower than this is degraded rather than up; left out or null: never for slowness. */
  degradedAfterMs: z.preprocess(blankToUndefined, int(1, MAX_TIMEOUT_SECONDS * 1000, "degradedAfterMs").optional()),
};

/** Days before the certificate expires to warn at (HTTPS and certificate monitors); left out: 30, 14 and 7. */
const certWarnDays = z.preprocess(blankToUndefined, certWarnDaysSchema.optional());

const httpMonitor = z.object({
  ...common,
  type: z.literal("http"),
  url: httpUrl,
  method: z.preprocess(blankToUndefined, z.enum(HTTP_METHODS).default("GET")),
  expectedStatus: z.preprocess(blankToUndefined, expectedStatusSchema.default("200-399")),
  keyword: optional(z.string().max(200)),
  /** JSON body conditions (lib/health/assertions.ts); left out, null or []: none. */
  assertions: z.preprocess(blankToUndefined, assertionsSchema.optional()),
  certWarnDays,
});
const tcpMonitor = z.object({ ...common, type: z.literal("tcp"), host: hostName, port: int(1, 65_535, "port") });
const certificateMonitor = z.object({ ...common, type: z.literal("certificate"), host: hostName, port: z.preprocess(blankToUndefined, int(1, 65_535, "port").default(443)), certWarnDays });
const sshMonitor = z.object({ ...common, type: z.literal("ssh"), serverId: z.string().min(1, "pick a server"), command: z.string().trim().min(1, "command is required").max(1_000) });
/** A heartbeat: beats expected every intervalSeconds, or per `cron` in `timeZone` (then intervalSeconds is only a hint). */
const heartbeatMonitor = z.object({
  ...common,
  type: z.literal("heartbeat"),
  graceSeconds: z.preprocess(blankToUndefined, int(0, MAX_GRACE_SECONDS, "grace").default(DEFAULT_GRACE_SECONDS)),
  cron: optional(cronSchema),
  timeZone: optional(timeZoneSchema),
});

export const monitorInputSchema = z
  .discriminatedUnion("type", [httpMonitor, tcpMonitor, sshMonitor, heartbeatMonitor, certificateMonitor], { error: 'type must be "http", "tcp", "ssh", "heartbeat" or "certificate"' })
  .refine((m) => m.timeoutSeconds <= m.intervalSeconds, { message: "timeout must not be longer than the interval", path: ["timeoutSeconds"] })
  .refine((m) => m.degradedAfterMs === undefined || m.degradedAfterMs < m.timeoutSeconds * 1000, { message: "must be shorter than the timeout (a slower check is cut, not degraded)", path: ["degradedAfterMs"] });
export type MonitorInput = z.infer<typeof monitorInputSchema>;

/** What the API and pages show of a monitor (everything: monitors hold no secrets). */
export const monitorPublicSelect = {
  id: true,
  name: true,
  type: true,
  status: true,
  url: true,
  method: true,
  host: true,
  port: true,
  serverId: true,
  command: true,
  expectedStatus: true,
  keyword: true,
  intervalSeconds: true,
  timeoutSeconds: true,
  retries: true,
  appId: true,
  dependsOnId: true,
  renotifyMinutes: true,
  isAppHealth: true,
  consecutiveFailures: true,
  lastCheckedAt: true,
  nextRunAt: true,
  createdAt: true,
  graceSeconds: true,
  cron: true,
  cronTimeZone: true,
  lastBeatAt: true,
  assertions: true,
  degradedAfterMs: true,
  certWarnDays: true,
  certNotAfter: true,
  certSubject: true,
  certIssuer: true,
  certFingerprint: true,
  certAlertedDays: true,
} satisfies Prisma.MonitorSelect;

function columns(input: MonitorInput) {
  return {
    name: input.name,
    type: input.type,
    intervalSeconds: input.intervalSeconds,
    timeoutSeconds: input.timeoutSeconds,
    retries: input.retries,
    appId: input.appId ?? null,
    dependsOnId: input.dependsOnId ?? null,
    renotifyMinutes: input.renotifyMinutes ?? null,
    url: input.type === "http" ? input.url : null,
    method: input.type === "http" ? input.method : "GET",
    expectedStatus: input.type === "http" ? input.expectedStatus : "200-399",
    keyword: input.type === "http" ? (input.keyword ?? null) : null,
    host: input.type === "tcp" || input.type === "certificate" ? input.host : null,
    port: input.type === "tcp" || input.type === "certificate" ? input.port : null,
    serverId: input.type === "ssh" ? input.serverId : null,
    command: input.type === "ssh" ? input.command : null,
    graceSeconds: input.type === "heartbeat" ? input.graceSeconds : null,
    cron: input.type === "heartbeat" ? (input.cron ?? null) : null,
    cronTimeZone: input.type === "heartbeat" && input.cron ? (input.timeZone ?? "UTC") : null,
    assertions: input.type === "http" && input.assertions?.length ? (input.assertions as Prisma.InputJsonValue) : Prisma.DbNull,
    degradedAfterMs: input.degradedAfterMs ?? null,
    certWarnDays: (input.type === "http" || input.type === "certificate" ? input.certWarnDays : undefined) ?? DEFAULT_CERT_WARN_DAYS,
  };
}

/** A heartbeat monitor's first deadline counts from now (or its last beat, when only its schedule changed). */
function firstDeadline(next: ReturnType<typeof columns>, from: Date): Date {
  return next.type === "heartbeat" ? deadlineAfter(next, from) : from;
}

/** JSON with sorted keys: jsonb hands stored objects back with its own key order. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));
}

/** A new target forgets the certificate seen on the old one (and the warnings sent for it). */
const CERT_RESET = { certNotAfter: null, certSubject: null, certIssuer: null, certFingerprint: null, certAlertedDays: null };

/** Refuses what can be refused up front: a metadata target, an unknown app or server. Checks vet again every time. */
async function validateReferences(tx: Tx | Db, input: MonitorInput, resolve?: Resolver, monitorId: string | null = null): Promise<void> {
  const guard = await loadAddressGuard(tx);
  if (input.type === "http") await assertTargetAllowed(hostOf(new URL(input.url).hostname), guard, resolve);
  if (input.type === "tcp" || input.type === "certificate") await assertTargetAllowed(input.host, guard, resolve);
  if (input.type === "ssh" && !(await tx.server.findUnique({ where: { id: input.serverId }, select: { id: true } }))) {
    throw new ValidationError("serverId: no such server");
  }
  if (input.appId && !(await tx.app.findUnique({ where: { id: input.appId }, select: { id: true } }))) throw new ValidationError("appId: no such app");
  if (input.dependsOnId) await assertDependencyAllowed(tx, monitorId, input.dependsOnId);
}

export async function createMonitor(tx: Tx | Db, input: MonitorInput, resolve?: Resolver) {
  await validateReferences(tx, input, resolve);
  const data = columns(input);
  // A heartbeat's token is made here; its push URL is in the action's answer (lib/actions/monitors.ts).
  const token = input.type === "heartbeat" ? newPushToken() : null;
  return tx.monitor.create({
    data: { ...data, nextRunAt: firstDeadline(data, new Date()), ...(token ? { pushTokenHash: token.pushTokenHash, pushTokenEncrypted: token.pushTokenEncrypted } : {}) },
    select: monitorPublicSelect,
  });
}

async function existing(tx: Tx | Db, id: string) {
  const monitor = await tx.monitor.findUnique({ where: { id }, select: monitorPublicSelect });
  if (!monitor) throw new NotFoundError("Monitor");
  return monitor;
}

/** The stored monitor as input, so a partial update can be validated as a whole. */
function asInput(m: Awaited<ReturnType<typeof existing>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries({
      name: m.name,
      type: m.type,
      intervalSeconds: m.intervalSeconds,
      timeoutSeconds: m.timeoutSeconds,
      retries: m.retries,
      appId: m.appId,
      dependsOnId: m.dependsOnId,
      renotifyMinutes: m.renotifyMinutes,
      url: m.url,
      method: m.method,
      expectedStatus: m.expectedStatus,
      keyword: m.keyword,
      host: m.host,
      port: m.port,
      serverId: m.serverId,
      command: m.command,
      graceSeconds: m.graceSeconds,
      cron: m.cron,
      timeZone: m.cronTimeZone,
      assertions: m.assertions,
      degradedAfterMs: m.degradedAfterMs,
      certWarnDays: m.certWarnDays,
    }).filter(([, v]) => v !== null),
  );
}

/**
 * Applies a partial change. A change of what is checked resets the state (pending, no failures); any change
 * to the schedule or target runs the monitor at once. An app's own health monitor follows the app:
 * its type, URL and app are changed on the app.
 */
export async function updateMonitor(tx: Tx | Db, id: string, patch: Record<string, unknown>, resolve?: Resolver) {
  const before = await existing(tx, id);
  const parsed = monitorInputSchema.safeParse({ ...asInput(before), ...patch });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(issue ? `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}` : "Invalid input", parsed.error.issues);
  }
  const next = columns(parsed.data);
  if (before.isAppHealth && (next.type !== before.type || next.url !== before.url || next.appId !== before.appId)) {
    throw new ValidationError("This is an app's health monitor: change its URL on the app");
  }
  await validateReferences(tx, parsed.data, resolve, id);
  const targetChanged =
    (["type", "url", "method", "host", "port", "serverId", "command", "expectedStatus", "keyword"] as const).some((k) => next[k] !== before[k]) ||
    canonical(next.assertions === Prisma.DbNull ? null : next.assertions) !== canonical(before.assertions ?? null);
  const hostChanged = next.type !== before.type || next.url !== before.url || next.host !== before.host || next.port !== before.port;
  const beatsChanged = (["graceSeconds", "cron", "cronTimeZone"] as const).some((k) => next[k] !== before[k]);
  const scheduleChanged = targetChanged || beatsChanged || next.intervalSeconds !== before.intervalSeconds || next.timeoutSeconds !== before.timeoutSeconds || next.degradedAfterMs !== before.degradedAfterMs;
  // A monitor that becomes a heartbeat gets its token; one that stops being one loses it.
  const token = next.type === "heartbeat" && before.type !== "heartbeat" ? newPushToken() : null;
  const now = new Date();
  const after = await tx.monitor.update({
    where: { id },
    data: {
      ...next,
      ...(scheduleChanged ? { nextRunAt: firstDeadline(next, targetChanged ? now : (before.lastBeatAt ?? now)) } : {}),
      ...(token ? { pushTokenHash: token.pushTokenHash, pushTokenEncrypted: token.pushTokenEncrypted } : {}),
      ...(next.type !== "heartbeat" && before.type === "heartbeat" ? { pushTokenHash: null, pushTokenEncrypted: null, lastBeatAt: null } : {}),
      ...(targetChanged && before.status !== "paused" ? { status: "pending", consecutiveFailures: 0 } : {}),
      ...(hostChanged ? CERT_RESET : {}),
    },
    select: monitorPublicSelect,
  });
  return { before, after };
}

export async function pauseMonitor(tx: Tx | Db, id: string) {
  const before = await existing(tx, id);
  await tx.incident.updateMany({ where: { monitorId: id, endedAt: null }, data: { endedAt: new Date() } });
  const after = await tx.monitor.update({ where: { id }, data: { status: "paused" }, select: monitorPublicSelect });
  return { before, after };
}

export async function resumeMonitor(tx: Tx | Db, id: string) {
  const before = await existing(tx, id);
  if (before.status !== "paused") return { before, after: before };
  const after = await tx.monitor.update({
    where: { id },
    data: { status: "pending", consecutiveFailures: 0, nextRunAt: before.type === "heartbeat" ? deadlineAfter(before, new Date()) : new Date() },
    select: monitorPublicSelect,
  });
  return { before, after };
}

export async function deleteMonitor(tx: Tx | Db, id: string) {
  const before = await existing(tx, id);
  if (before.isAppHealth) throw new ValidationError("This is an app's health monitor: clear the app's health URL to remove it");
  await tx.monitor.delete({ where: { id } });
  return before;
}

/**
 * Keeps an app's own health monitor in step with its health URL: created when the URL is set, updated
 * (and reset) when it changes, removed when it is cleared. Call it in the transaction that saves the app.
 * A URL pointing at a denied address is refused with a ValidationError (400), like any monitor target.
 */
/** The app health monitor's interval when the app has not chosen one. */
export const APP_MONITOR_DEFAULT_INTERVAL_SECONDS = 60;

export async function syncAppHealthMonitor(tx: Tx | Db, app: { id: string; name: string; healthUrl: string | null | undefined; monitorIntervalSeconds?: number | null }, resolve?: Resolver): Promise<{ id: string } | null> {
  const current = await tx.monitor.findFirst({ where: { appId: app.id, isAppHealth: true }, select: { id: true, url: true, name: true, status: true, intervalSeconds: true } });
  const url = app.healthUrl?.trim() || null;
  if (!url) {
    if (current) await tx.monitor.delete({ where: { id: current.id } });
    return null;
  }
  const parsedUrl = httpUrl.safeParse(url);
  if (!parsedUrl.success) throw new ValidationError("healthUrl: must be an http:// or https:// URL");
  await assertTargetAllowed(hostOf(new URL(url).hostname), await loadAddressGuard(tx), resolve);
  const name = `${app.name} health`;
  const intervalSeconds = app.monitorIntervalSeconds ?? APP_MONITOR_DEFAULT_INTERVAL_SECONDS;
  if (!current) {
    return tx.monitor.create({
      data: { name, type: "http", url, appId: app.id, isAppHealth: true, intervalSeconds, timeoutSeconds: 10, retries: 1, nextRunAt: new Date() },
      select: { id: true },
    });
  }
  if (current.url === url && current.name === name && current.intervalSeconds === intervalSeconds) return { id: current.id };
  const reset = current.url !== url ? { nextRunAt: new Date(), consecutiveFailures: 0, ...CERT_RESET, ...(current.status !== "paused" ? { status: "pending" as const } : {}) } : {};
  return tx.monitor.update({
    where: { id: current.id },
    data: {
      name,
      url,
      intervalSeconds,
      ...reset,
    },
    select: { id: true },
  });
}

/**
 * The safety net behind syncAppHealthMonitor: every app with a health URL has its monitor, whatever path
 * saved the app (a form, the API, the CLI, a restore). A pg-boss cron job on the workers, every minute. An app whose
 * health URL is refused by the network policy gets no monitor, with a warning in the log.
 */
export async function reconcileAppHealthMonitors(client: Db): Promise<{ created: number; updated: number; removed: number; refused: string[] }> {
  const [apps, monitors] = await Promise.all([
    client.app.findMany({ select: { id: true, name: true, healthUrl: true, monitorIntervalSeconds: true } }),
    client.monitor.findMany({ where: { isAppHealth: true }, select: { appId: true, url: true, name: true, intervalSeconds: true } }),
  ]);
  const byApp = new Map(monitors.map((m) => [m.appId, m]));
  const tally = { created: 0, updated: 0, removed: 0, refused: [] as string[] };
  for (const app of apps) {
    const url = app.healthUrl?.trim() || null;
    const current = byApp.get(app.id);
    if (!url && !current) continue;
    const intervalSeconds = app.monitorIntervalSeconds ?? APP_MONITOR_DEFAULT_INTERVAL_SECONDS;
    if (url && current && current.url === url && current.name === `${app.name} health` && current.intervalSeconds === intervalSeconds) continue;
    try {
      await client.$transaction((tx) => syncAppHealthMonitor(tx, app));
      if (!url) tally.removed++;
      else if (current) tally.updated++;
      else tally.created++;
    } catch (err) {
      if (err instanceof AppError && err.status === 400) tally.refused.push(app.name);
      else throw err;
    }
  }
  return tally;
}
