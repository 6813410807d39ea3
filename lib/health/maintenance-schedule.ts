import { Cron } from "croner";
import { nextRruleRun } from "./maintenance-rrule";

/**
 * When a maintenance window is open: a one-off window from startsAt to endsAt, or a recurring one that opens at
 * each run of its cron expression (read in its IANA time zone, so 02:00 stays 02:00 local across DST) and stays
 * open durationMinutes. Intervals are half-open: [start, end).
 */

export interface WindowSchedule {
  startsAt: Date | null;
  endsAt: Date | null;
  cron: string | null;
  durationMinutes: number | null;
  timeZone: string | null;
  /** An RFC 5545 RRULE instead of cron (lib/health/maintenance-rrule.ts); counted from createdAt's day. */
  rrule?: string | null;
  createdAt?: Date;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

interface Runs {
  /** The first run strictly after `after`. */
  nextRun(after: Date | null): Date | null;
  stop(): void;
}

const RRULE_ANCHOR = new Date("2026-01-01T00:00:00Z");

/** Its run times: a cron job that never runs anything (no callback, paused), or its RRULE's runs. */
function cronOf(w: WindowSchedule): Runs | null {
  if (w.cron) return new Cron(w.cron, { timezone: w.timeZone ?? "UTC", paused: true });
  const rule = w.rrule;
  if (!rule) return null;
  const tz = w.timeZone ?? "UTC";
  return { nextRun: (after) => nextRruleRun(rule, tz, w.createdAt ?? RRULE_ANCHOR, after ?? new Date()), stop: () => {} };
}

const recurring = (w: WindowSchedule) => Boolean(w.cron || w.rrule);

/** Throws with croner's message when the expression or time zone is not valid. */
export function assertValidCron(expr: string, timeZone: string): void {
  const c = new Cron(expr, { timezone: timeZone, paused: true });
  const next = c.nextRun(new Date());
  c.stop();
  if (!next) throw new Error("the expression never runs");
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The occurrence that covers `t`, if the window is open then. */
export function occurrenceAt(w: WindowSchedule, t: Date): Occurrence | null {
  if (!recurring(w)) {
    if (w.startsAt && w.endsAt && w.startsAt.getTime() <= t.getTime() && t.getTime() < w.endsAt.getTime()) return { start: w.startsAt, end: w.endsAt };
    return null;
  }
  const ms = (w.durationMinutes ?? 0) * 60_000;
  const c = cronOf(w);
  if (!c || ms <= 0) return null;
  // A run in (t - duration, t] covers t; croner's nextRun is strictly after its reference, in whole seconds.
  const start = c.nextRun(new Date(t.getTime() - ms));
  c.stop();
  if (!start || start.getTime() > t.getTime()) return null;
  return { start, end: new Date(start.getTime() + ms) };
}

/** Occurrences that overlap [from, to), oldest first (at most `limit`). */
export function occurrencesBetween(w: WindowSchedule, from: Date, to: Date, limit = 500): Occurrence[] {
  if (!recurring(w)) {
    if (!w.startsAt || !w.endsAt) return [];
    return w.startsAt.getTime() < to.getTime() && w.endsAt.getTime() > from.getTime() ? [{ start: w.startsAt, end: w.endsAt }] : [];
  }
  const ms = (w.durationMinutes ?? 0) * 60_000;
  const c = cronOf(w);
  if (!c || ms <= 0) return [];
  const out: Occurrence[] = [];
  let cursor: Date | null = new Date(from.getTime() - ms);
  while (out.length < limit) {
    cursor = c.nextRun(cursor);
    if (!cursor || cursor.getTime() >= to.getTime()) break;
    out.push({ start: cursor, end: new Date(cursor.getTime() + ms) });
  }
  c.stop();
  return out;
}

/** The occurrence open at `after`, or else the next one to open after it. */
export function nextOccurrence(w: WindowSchedule, after: Date): Occurrence | null {
  const open = occurrenceAt(w, after);
  if (open) return open;
  if (!recurring(w)) return w.startsAt && w.endsAt && w.startsAt.getTime() > after.getTime() ? { start: w.startsAt, end: w.endsAt } : null;
  const c = cronOf(w);
  const start = c?.nextRun(after) ?? null;
  c?.stop();
  return start ? { start, end: new Date(start.getTime() + (w.durationMinutes ?? 0) * 60_000) } : null;
}
