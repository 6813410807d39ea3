import { z } from "zod";
import { db, type Db, type Tx } from "../db/client";
import { NotFoundError, ValidationError } from "../errors";
import { normaliseRrule } from "./maintenance-rrule";
import { assertValidCron, isTimeZone, nextOccurrence, occurrenceAt, occurrencesBetween, type Occurrence, type WindowSchedule } from "./maintenance-schedule";

/**
 * Maintenance windows: while one covers a monitor its checks still run and are recorded (each result is stamped
 * inMaintenance when written, lib/health/results.ts), but they change no status, open no incident, send no
 * alert and count in no uptime figure; the monitor shows "maintenance" and its chart shades the window.
 */

const MAX_DURATION_MINUTES = 7 * 24 * 60;
const ids = (label: string) => z.array(z.string().min(1), { error: `${label} must be a list of ids` }).max(500, `${label}: at most 500`);

export const maintenanceInputSchema = z
  .object({
    name: z.string({ error: "name is required" }).trim().min(1, "name is required").max(100, "name: at most 100 characters"),
    startsAt: z.iso.datetime({ offset: true, error: "startsAt must be an ISO 8601 date-time" }).optional(),
    endsAt: z.iso.datetime({ offset: true, error: "endsAt must be an ISO 8601 date-time" }).optional(),
    cron: z.string().trim().min(1).max(100, "cron: at most 100 characters").optional(),
    rrule: z.string({ error: "rrule must be text such as FREQ=WEEKLY;BYDAY=SU;BYHOUR=2" }).trim().min(1, "rrule is empty").max(300, "rrule: at most 300 characters").optional(),
    durationMinutes: z.coerce
      .number({ error: "durationMinutes must be a number" })
      .int("durationMinutes must be a whole number")
      .min(1, "durationMinutes must be at least 1")
      .max(MAX_DURATION_MINUTES, `durationMinutes must be at most ${MAX_DURATION_MINUTES}`)
      .optional(),
    timeZone: z.string().trim().max(64).optional(),
    monitorIds: ids("monitorIds").optional(),
    appIds: ids("appIds").optional(),
    all: z.boolean({ error: "all must be true or false" }).optional(),
  })
  .superRefine((v, ctx) => {
    const oneOff = v.startsAt !== undefined || v.endsAt !== undefined;
    const recurring = v.cron !== undefined || v.rrule !== undefined || v.durationMinutes !== undefined || v.timeZone !== undefined;
    if (oneOff && recurring) ctx.addIssue({ code: "custom", path: ["cron"], message: "give either startsAt and endsAt (one-off) or cron (or rrule), durationMinutes and timeZone (recurring), not both" });
    else if (oneOff) {
      if (!v.startsAt || !v.endsAt) ctx.addIssue({ code: "custom", path: [v.startsAt ? "endsAt" : "startsAt"], message: "a one-off window needs both startsAt and endsAt" });
      else if (new Date(v.endsAt) <= new Date(v.startsAt)) ctx.addIssue({ code: "custom", path: ["endsAt"], message: "endsAt must be after startsAt" });
    } else if (recurring) {
      if (v.cron && v.rrule) ctx.addIssue({ code: "custom", path: ["rrule"], message: "give cron or rrule, not both" });
      else if (!v.cron && !v.rrule) ctx.addIssue({ code: "custom", path: ["cron"], message: "a recurring window needs cron or rrule" });
      if (!v.durationMinutes) ctx.addIssue({ code: "custom", path: ["durationMinutes"], message: "a recurring window needs durationMinutes" });
      if (!v.timeZone) ctx.addIssue({ code: "custom", path: ["timeZone"], message: 'a recurring window needs timeZone (an IANA name such as "Europe/Berlin" or "UTC")' });
      else if (!isTimeZone(v.timeZone)) ctx.addIssue({ code: "custom", path: ["timeZone"], message: `timeZone: "${v.timeZone}" is not an IANA time zone` });
      else if (v.cron) {
        try {
          assertValidCron(v.cron, v.timeZone);
        } catch (err) {
          ctx.addIssue({ code: "custom", path: ["cron"], message: `cron is not valid: ${err instanceof Error ? err.message : String(err)}` });
        }
      }
      if (v.rrule && !v.cron) {
        try {
          if (!nextOccurrence({ startsAt: null, endsAt: null, cron: null, rrule: normaliseRrule(v.rrule), durationMinutes: v.durationMinutes ?? 1, timeZone: v.timeZone ?? "UTC", createdAt: new Date() }, new Date()))
            throw new Error("the rule never opens again");
        } catch (err) {
          ctx.addIssue({ code: "custom", path: ["rrule"], message: `rrule is not a valid RRULE: ${err instanceof Error ? err.message : String(err)}` });
        }
      }
    } else ctx.addIssue({ code: "custom", path: ["startsAt"], message: "give startsAt and endsAt (one-off) or cron (or rrule), durationMinutes and timeZone (recurring)" });
    const scoped = (v.monitorIds?.length ?? 0) + (v.appIds?.length ?? 0) > 0;
    if (v.all === true && scoped) ctx.addIssue({ code: "custom", path: ["all"], message: "all: true covers every monitor: leave out monitorIds and appIds" });
    if (v.all !== true && !scoped) ctx.addIssue({ code: "custom", path: ["monitorIds"], message: "choose what the window covers: monitorIds, appIds, or all: true" });
  });
export type MaintenanceInput = z.infer<typeof maintenanceInputSchema>;

const windowSelect = {
  id: true,
  name: true,
  startsAt: true,
  endsAt: true,
  cron: true,
  rrule: true,
  durationMinutes: true,
  timeZone: true,
  allMonitors: true,
  appIds: true,
  createdBy: true,
  createdAt: true,
  monitors: { select: { monitorId: true } },
} as const;

type WindowRow = WindowSchedule & { id: string; name: string; allMonitors: boolean; appIds: string[]; createdBy: string; createdAt: Date; monitors: { monitorId: string }[] };

export interface MaintenanceView {
  id: string;
  name: string;
  kind: "one-off" | "recurring";
  startsAt: string | null;
  endsAt: string | null;
  cron: string | null;
  rrule: string | null;
  durationMinutes: number | null;
  timeZone: string | null;
  all: boolean;
  monitorIds: string[];
  appIds: string[];
  createdBy: string;
  createdAt: string;
  /** Open now. */
  active: boolean;
  /** The occurrence open now, or the next one (null: a one-off window that is over). */
  next: { startsAt: string; endsAt: string } | null;
}

function view(w: WindowRow, now: Date): MaintenanceView {
  const next = nextOccurrence(w, now);
  return {
    id: w.id,
    name: w.name,
    kind: w.cron || w.rrule ? "recurring" : "one-off",
    startsAt: w.startsAt?.toISOString() ?? null,
    endsAt: w.endsAt?.toISOString() ?? null,
    cron: w.cron,
    rrule: w.rrule ?? null,
    durationMinutes: w.durationMinutes,
    timeZone: w.timeZone,
    all: w.allMonitors,
    monitorIds: w.monitors.map((m) => m.monitorId).sort(),
    appIds: [...w.appIds].sort(),
    createdBy: w.createdBy,
    createdAt: w.createdAt.toISOString(),
    active: occurrenceAt(w, now) !== null,
    next: next ? { startsAt: next.start.toISOString(), endsAt: next.end.toISOString() } : null,
  };
}

export async function createMaintenance(tx: Tx | Db, input: MaintenanceInput, createdBy: string, now = new Date()): Promise<MaintenanceView> {
  const monitorIds = [...new Set(input.monitorIds ?? [])];
  const appIds = [...new Set(input.appIds ?? [])];
  if (monitorIds.length && (await tx.monitor.count({ where: { id: { in: monitorIds } } })) !== monitorIds.length) throw new ValidationError("monitorIds: one or more monitors do not exist");
  if (appIds.length && (await tx.app.count({ where: { id: { in: appIds } } })) !== appIds.length) throw new ValidationError("appIds: one or more apps do not exist");
  const w = await tx.maintenanceWindow.create({
    data: {
      name: input.name,
      startsAt: input.startsAt ? new Date(input.startsAt) : null,
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      cron: input.cron ?? null,
      rrule: input.rrule && !input.cron ? normaliseRrule(input.rrule) : null,
      durationMinutes: input.cron || input.rrule ? (input.durationMinutes ?? null) : null,
      timeZone: input.cron || input.rrule ? (input.timeZone ?? null) : null,
      allMonitors: input.all === true,
      appIds,
      createdBy,
      monitors: { create: monitorIds.map((monitorId) => ({ monitorId })) },
    },
    select: windowSelect,
  });
  return view(w, now);
}

export async function deleteMaintenance(tx: Tx | Db, id: string): Promise<MaintenanceView> {
  const w = await tx.maintenanceWindow.findUnique({ where: { id }, select: windowSelect });
  if (!w) throw new NotFoundError("Maintenance window");
  await tx.maintenanceWindow.delete({ where: { id } });
  return view(w, new Date());
}

/** Every window, open and upcoming first, then the ones that are over. */
export async function listMaintenance(client: Tx | Db = db(), now = new Date()): Promise<MaintenanceView[]> {
  const rows = await client.maintenanceWindow.findMany({ select: windowSelect, orderBy: { createdAt: "desc" } });
  const views = rows.map((w) => view(w, now));
  const key = (v: MaintenanceView) => (v.active ? 0 : v.next ? 1 : 2);
  return views.sort((a, b) => key(a) - key(b) || (a.next?.startsAt ?? "").localeCompare(b.next?.startsAt ?? ""));
}

export async function getMaintenance(id: string, client: Tx | Db = db(), now = new Date()): Promise<MaintenanceView> {
  const w = await client.maintenanceWindow.findUnique({ where: { id }, select: windowSelect });
  if (!w) throw new NotFoundError("Maintenance window");
  return view(w, now);
}

function covers(w: WindowRow, monitor: { id: string; appId: string | null }): boolean {
  return w.allMonitors || w.monitors.some((m) => m.monitorId === monitor.id) || (monitor.appId !== null && w.appIds.includes(monitor.appId));
}

/** Windows that may matter after `since` (one-off windows over before it are left out). */
async function windowsSince(client: Tx | Db, since: Date): Promise<WindowRow[]> {
  return client.maintenanceWindow.findMany({ where: { OR: [{ cron: { not: null } }, { rrule: { not: null } }, { endsAt: { gt: since } }] }, select: windowSelect });
}

/**
 * For each check (monitor, start time): whether a maintenance window covered it. One query for the windows (a
 * handful) and, only when there are any, one for the monitors' apps.
 */
export async function maintenanceFlags(client: Tx | Db, checks: { monitorId: string; at: Date }[]): Promise<boolean[]> {
  if (checks.length === 0) return [];
  const since = new Date(Math.min(...checks.map((c) => c.at.getTime())));
  const windows = await windowsSince(client, since);
  if (windows.length === 0) return checks.map(() => false);
  const monitorIds = [...new Set(checks.map((c) => c.monitorId))];
  const apps = new Map((await client.monitor.findMany({ where: { id: { in: monitorIds } }, select: { id: true, appId: true } })).map((m) => [m.id, m.appId]));
  return checks.map((c) => windows.some((w) => covers(w, { id: c.monitorId, appId: apps.get(c.monitorId) ?? null }) && occurrenceAt(w, c.at) !== null));
}

/** The monitors (of those given) a window covers at `now`. */
export async function monitorsInMaintenance(client: Tx | Db, monitors: { id: string; appId: string | null }[], now = new Date()): Promise<Set<string>> {
  const out = new Set<string>();
  if (monitors.length === 0) return out;
  const open = (await windowsSince(client, now)).filter((w) => occurrenceAt(w, now) !== null);
  for (const m of monitors) if (open.some((w) => covers(w, m))) out.add(m.id);
  return out;
}

/** The stretches of [from, to) a window covered the monitor: the chart shades them. */
export async function maintenanceBands(client: Tx | Db, monitor: { id: string; appId: string | null }, from: Date, to: Date): Promise<Occurrence[]> {
  const windows = (await windowsSince(client, from)).filter((w) => covers(w, monitor));
  return windows.flatMap((w) => occurrencesBetween(w, from, to)).sort((a, b) => a.start.getTime() - b.start.getTime());
}

export interface UpcomingMaintenance {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  /** Of the monitors asked about, the ones this window covers. */
  monitorIds: string[];
  active: boolean;
}

/**
 * Windows open now or opening within `withinDays` (default 14) that cover any of these monitors, soonest first:
 * one entry per window, with its current or next occurrence. For the public status page.
 */
export async function upcomingMaintenanceFor(monitorIds: string[], opts: { now?: Date; withinDays?: number; client?: Tx | Db } = {}): Promise<UpcomingMaintenance[]> {
  const client = opts.client ?? db();
  const now = opts.now ?? new Date();
  if (monitorIds.length === 0) return [];
  const horizon = now.getTime() + (opts.withinDays ?? 14) * 24 * 3600_000;
  const [windows, monitors] = await Promise.all([windowsSince(client, now), client.monitor.findMany({ where: { id: { in: monitorIds } }, select: { id: true, appId: true } })]);
  const out: UpcomingMaintenance[] = [];
  for (const w of windows) {
    const covered = monitors.filter((m) => covers(w, m)).map((m) => m.id);
    const next = covered.length ? nextOccurrence(w, now) : null;
    if (!next || next.start.getTime() > horizon) continue;
    out.push({ id: w.id, name: w.name, startsAt: next.start.toISOString(), endsAt: next.end.toISOString(), monitorIds: covered.sort(), active: next.start.getTime() <= now.getTime() });
  }
  return out.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}
