import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { decryptSecret, encryptSecret } from "../crypto/secretbox";
import type { Db, Tx } from "../db/client";
import { NotFoundError } from "../errors";
import { log } from "../log";
import { deadlineAfter, deadlineAfterMiss, type HeartbeatSchedule } from "./heartbeat-schedule";
import { recordCheckResults, type CheckRecord } from "./results";

/**
 * Heartbeat (push) monitors: the job being watched calls the monitor's push URL (a secret token in the path)
 * and each call is a check result. Nobody probes them: their nextRunAt is the deadline of the next beat, and
 * the health scheduler's heartbeat watch (startHeartbeatWatch) records a failed result for each monitor whose
 * deadline passed, through the same recordCheckResults as every check (status, incident, alerts).
 */

const TOKEN_PREFIX = "dhb_";
const TOKEN_PATTERN = /^dhb_[\w-]{20,100}$/;

export function hashPushToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new push token: its hash finds the monitor, its sealed copy lets an admin see the URL again. */
export function newPushToken(): { token: string; pushTokenHash: string; pushTokenEncrypted: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(24).toString("base64url")}`;
  return { token, pushTokenHash: hashPushToken(token), pushTokenEncrypted: encryptSecret(token) };
}

export function openPushToken(sealed: string | null): string | null {
  return sealed ? decryptSecret(sealed) : null;
}

/** The push token of a heartbeat monitor (null for other types), for the admin's view of its push URL. */
export async function pushTokenOf(client: Db | Tx, monitorId: string): Promise<string | null> {
  const m = await client.monitor.findUnique({ where: { id: monitorId }, select: { type: true, pushTokenEncrypted: true } });
  return m?.type === "heartbeat" ? openPushToken(m.pushTokenEncrypted) : null;
}

/** What a beat may report: `?status=down&msg=…&ping=<ms>` or the same as a JSON body. */
export const beatReportSchema = z.object({
  status: z.preprocess((v) => (v === "" || v === null ? undefined : typeof v === "string" ? v.toLowerCase() : v), z.enum(["up", "down"], { error: 'must be "up" or "down"' }).default("up")),
  msg: z.preprocess((v) => (v === null ? undefined : v), z.string().max(500, "must be at most 500 characters").optional()),
  ping: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number({ message: "must be a number of milliseconds" }).min(0, "must be at least 0").max(86_400_000, "must be at most 86400000 ms").optional()),
});
export type BeatReport = z.infer<typeof beatReportSchema>;

const scheduleSelect = { id: true, status: true, intervalSeconds: true, graceSeconds: true, cron: true, cronTimeZone: true } as const;

/**
 * Records one beat: the monitor's next deadline moves on first (a sweep after this sees the new deadline), then
 * the result goes the way of every check. An unknown token is a 404.
 */
export async function receiveBeat(client: Db, token: string, report: BeatReport, now = new Date()): Promise<{ monitorId: string; status: string }> {
  const monitor = TOKEN_PATTERN.test(token) ? await client.monitor.findUnique({ where: { pushTokenHash: hashPushToken(token) }, select: { ...scheduleSelect, type: true } }) : null;
  if (!monitor || monitor.type !== "heartbeat") throw new NotFoundError("Heartbeat monitor");
  await client.monitor.update({ where: { id: monitor.id }, data: { lastBeatAt: now, nextRunAt: deadlineAfter(monitor, now) } });
  const ok = report.status === "up";
  const detail = report.msg?.trim() || (ok ? "beat received" : "the job reported a failure");
  await recordCheckResults(client, [{ monitorId: monitor.id, at: now, ok, latencyMs: report.ping ?? null, detail }]);
  const after = await client.monitor.findUnique({ where: { id: monitor.id }, select: { status: true } });
  return { monitorId: monitor.id, status: after?.status ?? monitor.status };
}

interface DueRow extends HeartbeatSchedule {
  id: string;
  nextRunAt: Date;
  lastBeatAt: Date | null;
}

/**
 * Finds heartbeat monitors whose deadline passed, moves each one's deadline on (skipping slots missed while no
 * worker ran), and records one failed result per monitor. SKIP LOCKED and the moved deadline make each missed
 * deadline one result, however many workers sweep.
 */
export async function recordMissedBeats(client: Db, now = new Date(), limit = 500): Promise<number> {
  const missed = await client.$transaction(async (tx) => {
    const due = await tx.$queryRaw<DueRow[]>`
      SELECT id, "nextRunAt", "lastBeatAt", "intervalSeconds", "graceSeconds", cron, "cronTimeZone" FROM "Monitor"
      WHERE type = 'heartbeat' AND status <> 'paused' AND "nextRunAt" <= ${now.toISOString()}::timestamp
      ORDER BY "nextRunAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (due.length === 0) return [];
    const next = due.map((m) => deadlineAfterMiss(m, m.nextRunAt, now));
    await tx.$executeRaw`
      UPDATE "Monitor" m SET "nextRunAt" = v.next
      FROM unnest(${due.map((m) => m.id)}::text[], ${next.map((d) => d.toISOString())}::timestamp[]) AS v(id, next)
      WHERE m.id = v.id`;
    return due;
  });
  if (missed.length === 0) return 0;
  const records: CheckRecord[] = missed.map((m) => ({
    monitorId: m.id,
    at: m.nextRunAt,
    ok: false,
    latencyMs: null,
    detail: m.lastBeatAt ? `no beat since ${m.lastBeatAt.toISOString()} (due by ${m.nextRunAt.toISOString()})` : `no beat yet (the first was due by ${m.nextRunAt.toISOString()})`,
  }));
  await recordCheckResults(client, records);
  return records.length;
}

/** The sweep on a timer, for the health scheduler: a failed sweep is logged and the next one tries again. */
export function startHeartbeatWatch(client: Db, everyMs = 1_000): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    // One sweep at a time: a slow one is not stacked on.
    running ??= recordMissedBeats(client)
      .then(() => undefined)
      .catch((err: unknown) => log.error({ err }, "heartbeat sweep failed"))
      .finally(() => {
        running = null;
      });
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
