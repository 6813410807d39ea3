import { z } from "zod";
import { heartbeatTarget } from "./heartbeat-schedule";
import { db, type Db, type Tx } from "../db/client";
import { enqueueAlert, type AlertPayload } from "../alerts/deliveries";
import { dependencySuppression } from "../alerts/routing";
import { ConflictError, NotFoundError } from "../errors";
import { log } from "../log";
import { monitorsInMaintenance } from "./maintenance";

/**
 * What happens to an incident after it opens: its down alert (or its suppression while the monitor's parent is
 * down), acknowledgement, notes, re-notification every N minutes while down and not acknowledged, the release
 * of a dependent's held-back alert when its parent recovers, and the recovery alert.
 */

export async function describeMonitor(tx: Tx | Db, monitorId: string): Promise<AlertPayload["monitor"] | null> {
  const m = await tx.monitor.findUnique({
    where: { id: monitorId },
    select: {
      ...{ id: true, name: true, type: true, url: true, host: true, port: true, command: true, app: { select: { name: true } }, server: { select: { name: true } } },
      ...{ intervalSeconds: true, graceSeconds: true, cron: true, cronTimeZone: true },
    },
  });
  if (!m) return null;
  const target = m.type === "heartbeat" ? heartbeatTarget(m) : m.type === "http" ? (m.url ?? "") : m.type === "tcp" || m.type === "certificate" ? `${m.host}:${m.port}` : `${m.server?.name ?? "server"}: ${m.command ?? ""}`;
  return { id: m.id, name: m.name, type: m.type, target, app: m.app?.name ?? null };
}

interface OpenedIncident {
  id: string;
  monitorId: string;
  startedAt: Date;
}

async function sendDown(tx: Tx, incident: OpenedIncident, at: Date, detail: string): Promise<void> {
  const monitor = await describeMonitor(tx, incident.monitorId);
  if (!monitor) return;
  await enqueueAlert(tx, { event: "monitor.down", monitor, at: at.toISOString(), detail, incident: { id: incident.id, startedAt: incident.startedAt.toISOString(), endedAt: null, durationSeconds: null } });
  await tx.incident.update({ where: { id: incident.id }, data: { lastNotifiedAt: at, suppressed: null }, select: { id: true } });
}

/** A new incident: its down alert, or none while the monitor's parent is down (the incident says so). */
export async function alertIncidentOpened(tx: Tx, incident: OpenedIncident, at: Date, detail: string): Promise<void> {
  const suppressed = await dependencySuppression(tx, incident.monitorId);
  if (suppressed) {
    await tx.incident.update({ where: { id: incident.id }, data: { suppressed }, select: { id: true } });
    log.info({ monitorId: incident.monitorId, incidentId: incident.id, suppressed }, "down alert suppressed by a dependency");
    return;
  }
  await sendDown(tx, incident, at, detail);
}

/**
 * An incident ended. Its recovery alert goes out only if its down alert did (a suppressed one ends quietly). A
 * monitor that recovers releases its dependents still down: their held-back down alerts are sent now.
 */
export async function alertIncidentClosed(tx: Tx, incident: { id: string; monitorId: string; startedAt: Date; suppressed: string | null }, at: Date, detail: string): Promise<void> {
  const monitor = await describeMonitor(tx, incident.monitorId);
  if (monitor && !incident.suppressed) {
    await enqueueAlert(tx, {
      event: "monitor.up",
      monitor,
      at: at.toISOString(),
      detail,
      incident: { id: incident.id, startedAt: incident.startedAt.toISOString(), endedAt: at.toISOString(), durationSeconds: Math.max(0, Math.round((at.getTime() - incident.startedAt.getTime()) / 1000)) },
    });
  }
}

/** The monitor is up again: each dependent still down whose alert was held back because of it alerts now. */
export async function releaseDependents(tx: Tx, parentId: string, at: Date): Promise<number> {
  const held = await tx.incident.findMany({
    where: { endedAt: null, suppressed: { not: null }, monitor: { dependsOnId: parentId, status: "down" } },
    select: { id: true, monitorId: true, startedAt: true, cause: true },
  });
  let sent = 0;
  for (const i of held) {
    if (await dependencySuppression(tx, i.monitorId)) continue;
    await sendDown(tx, i, at, i.cause ?? "");
    sent++;
  }
  return sent;
}

/**
 * Re-sends the down alert of each open incident whose monitor asks for it (renotifyMinutes), that nobody has
 * acknowledged, that is not suppressed, and whose last alert is at least that old. Monitors in maintenance wait.
 * The worker runs it every minute (pg-boss cron); `now` is explicit so tests can drive time.
 */
export async function renotifyOpenIncidents(client: Db, now = new Date()): Promise<number> {
  return client.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${0x4ea1_7003}) AS locked`;
      if (!lock?.locked) return 0;
      const due = await tx.$queryRaw<{ id: string; monitorId: string; startedAt: Date; cause: string | null; appId: string | null }[]>`
        SELECT i.id, i."monitorId", i."startedAt", i.cause, m."appId" FROM "Incident" i JOIN "Monitor" m ON m.id = i."monitorId"
        WHERE i."endedAt" IS NULL AND i."acknowledgedAt" IS NULL AND i.suppressed IS NULL AND m.status = 'down' AND m."renotifyMinutes" IS NOT NULL
          AND coalesce(i."lastNotifiedAt", i."startedAt") <= ${now.toISOString()}::timestamp - make_interval(mins => m."renotifyMinutes")
        ORDER BY i."startedAt" LIMIT 1000`;
      if (due.length === 0) return 0;
      const paused = await monitorsInMaintenance(
        tx,
        due.map((d) => ({ id: d.monitorId, appId: d.appId })),
        now,
      );
      let sent = 0;
      for (const d of due) {
        if (paused.has(d.monitorId)) continue;
        await sendDown(tx, d, now, `still down: ${d.cause ?? "no detail"}`);
        sent++;
      }
      if (sent) log.info({ incidents: sent }, "re-notified open incidents");
      return sent;
    },
    { timeout: 30_000, maxWait: 10_000 },
  );
}

export const noteInputSchema = z.object({
  id: z.string().min(1),
  text: z.string({ error: "text is required" }).trim().min(1, "text is required").max(4_000, "text: at most 4,000 characters"),
});

/** Acknowledged: re-notification stops. Acknowledging twice keeps the first; an incident that is over cannot be. */
export async function acknowledgeIncident(tx: Tx | Db, id: string, by: string, now = new Date()) {
  const i = await tx.incident.findUnique({ where: { id }, select: { id: true, endedAt: true, acknowledgedAt: true, monitor: { select: { id: true, name: true } } } });
  if (!i) throw new NotFoundError("Incident");
  if (i.endedAt) throw new ConflictError("This incident is over: there is nothing to acknowledge");
  if (!i.acknowledgedAt) await tx.incident.update({ where: { id }, data: { acknowledgedAt: now, acknowledgedBy: by }, select: { id: true } });
  return { incident: await getIncident(id, tx), alreadyAcknowledged: i.acknowledgedAt !== null, monitor: i.monitor };
}

export async function addIncidentNote(tx: Tx | Db, id: string, author: string, text: string) {
  const i = await tx.incident.findUnique({ where: { id }, select: { id: true, monitor: { select: { id: true, name: true } } } });
  if (!i) throw new NotFoundError("Incident");
  const note = await tx.incidentNote.create({ data: { incidentId: id, author, text }, select: { id: true, author: true, text: true, createdAt: true } });
  return { note: { ...note, createdAt: note.createdAt.toISOString() }, monitor: i.monitor };
}

const incidentSelect = {
  id: true,
  monitorId: true,
  startedAt: true,
  endedAt: true,
  cause: true,
  acknowledgedAt: true,
  acknowledgedBy: true,
  lastNotifiedAt: true,
  suppressed: true,
  monitor: { select: { name: true } },
  notes: { select: { id: true, author: true, text: true, createdAt: true }, orderBy: { createdAt: "asc" as const } },
} as const;

export interface IncidentView {
  id: string;
  monitorId: string;
  monitorName: string;
  startedAt: string;
  endedAt: string | null;
  cause: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  lastNotifiedAt: string | null;
  suppressed: string | null;
  notes: { id: string; author: string; text: string; createdAt: string }[];
}

function incidentView(i: {
  id: string;
  monitorId: string;
  startedAt: Date;
  endedAt: Date | null;
  cause: string | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  lastNotifiedAt: Date | null;
  suppressed: string | null;
  monitor: { name: string };
  notes: { id: string; author: string; text: string; createdAt: Date }[];
}): IncidentView {
  return {
    id: i.id,
    monitorId: i.monitorId,
    monitorName: i.monitor.name,
    startedAt: i.startedAt.toISOString(),
    endedAt: i.endedAt?.toISOString() ?? null,
    cause: i.cause,
    acknowledgedAt: i.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: i.acknowledgedBy,
    lastNotifiedAt: i.lastNotifiedAt?.toISOString() ?? null,
    suppressed: i.suppressed,
    notes: i.notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
  };
}

export async function getIncident(id: string, client: Tx | Db = db()): Promise<IncidentView> {
  const i = await client.incident.findUnique({ where: { id }, select: incidentSelect });
  if (!i) throw new NotFoundError("Incident");
  return incidentView(i);
}

export const incidentListSchema = z.object({
  open: z.enum(["true", "false"], { error: "open: true or false" }).optional(),
  monitorId: z.string().min(1).optional(),
  limit: z.coerce.number({ error: "limit must be a number" }).int().min(1, "limit must be at least 1").max(500, "limit must be at most 500").default(100),
});

/** Newest first; `open: "true"` only the ones still going, `"false"` only the ones over. */
export async function listIncidents(filter: z.infer<typeof incidentListSchema>, client: Tx | Db = db()): Promise<IncidentView[]> {
  const rows = await client.incident.findMany({
    where: { ...(filter.open === "true" ? { endedAt: null } : filter.open === "false" ? { endedAt: { not: null } } : {}), ...(filter.monitorId ? { monitorId: filter.monitorId } : {}) },
    select: incidentSelect,
    orderBy: { startedAt: "desc" },
    take: filter.limit,
  });
  return rows.map(incidentView);
}
