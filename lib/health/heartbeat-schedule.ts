import { Cron } from "croner";
import { z } from "zod";

/**
 * When a heartbeat monitor expects its next beat (pure: no database). A monitor expects a beat every
 * `intervalSeconds`, or at each time of a cron expression in a time zone; it is down once a beat is
 * `graceSeconds` later than expected. The deadline is what the monitor's nextRunAt holds.
 */
export interface HeartbeatSchedule {
  intervalSeconds: number;
  graceSeconds: number | null;
  cron: string | null;
  cronTimeZone: string | null;
}

export const DEFAULT_GRACE_SECONDS = 60;
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

function cronOf(expression: string, timeZone: string | null): Cron {
  return new Cron(expression, { timezone: timeZone ?? "UTC", paused: true, mode: "5-or-6-parts" });
}

/** The first expected time strictly after `after`: after + interval, or the cron's next time. */
export function nextExpected(s: HeartbeatSchedule, after: Date): Date {
  if (s.cron) {
    const next = cronOf(s.cron, s.cronTimeZone).nextRun(after);
    // A valid expression with no future time (a date long past): never expected again; far away stands for never.
    return next ?? new Date(after.getTime() + 100 * 365 * 24 * 3600_000);
  }
  return new Date(after.getTime() + s.intervalSeconds * 1000);
}

/** The deadline of the beat after one received (or a monitor made or changed) at `at`. */
export function deadlineAfter(s: HeartbeatSchedule, at: Date): Date {
  return new Date(nextExpected(s, at).getTime() + (s.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000);
}

/**
 * The deadline after one that passed without a beat: the next expected time after the missed one, skipping
 * any that are already past too (one missed result per sweep, not one per slot missed while no worker ran).
 */
export function deadlineAfterMiss(s: HeartbeatSchedule, missedDeadline: Date, now: Date): Date {
  const grace = (s.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  let expected = new Date(missedDeadline.getTime() - grace);
  for (let i = 0; i < 10_000; i++) {
    expected = nextExpected(s, expected);
    if (expected.getTime() + grace > now.getTime()) return new Date(expected.getTime() + grace);
  }
  return deadlineAfter(s, now);
}

/** What the monitor watches, in words: the lists, the page header and alerts show it as the target. */
export function heartbeatTarget(s: HeartbeatSchedule): string {
  const grace = `${s.graceSeconds ?? DEFAULT_GRACE_SECONDS} s grace`;
  return s.cron ? `push: cron "${s.cron}" (${s.cronTimeZone ?? "UTC"}) + ${grace}` : `push: every ${s.intervalSeconds} s + ${grace}`;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A cron expression croner reads (5 fields, or 6 with seconds), with a next time. */
export const cronSchema = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .superRefine((v, ctx) => {
    try {
      if (!cronOf(v, "UTC").nextRun()) ctx.addIssue({ code: "custom", message: "never fires again" });
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `is not a cron expression croner reads (${err instanceof Error ? err.message : String(err)})` });
    }
  });

export const timeZoneSchema = z.string().trim().min(1).max(64).refine(validTimeZone, "must be an IANA time zone such as Europe/Berlin or UTC");
