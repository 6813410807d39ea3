import * as rruleModule from "rrule";
import type { RRule as Rule } from "rrule";

// rrule is CommonJS for Node (whose ESM loader sees no named exports) and ESM for the bundler: take either.
const { RRule } = ((rruleModule as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;

/**
 * RFC 5545 RRULE recurrences for maintenance windows (`FREQ=WEEKLY;BYDAY=SU;BYHOUR=2`), read in the window's
 * IANA time zone so 02:00 stays 02:00 local across DST. The `rrule` package expands the rule in floating
 * wall-clock time (no TZID: its dates are wall-clock fields held in UTC); each run is then turned into an
 * instant in the time zone here. A wall-clock time that does not exist (the hour skipped in spring) opens at
 * the same offset after the jump (02:30 → 03:30); one that exists twice (autumn) opens at the later one.
 * The rule counts from its anchor (the window's creation day, local midnight): minutes and seconds not given
 * are 0, a WEEKLY rule without BYDAY repeats on the anchor's weekday, INTERVAL counts from the anchor.
 */

const FREQS = { DAILY: RRule.DAILY, WEEKLY: RRule.WEEKLY, MONTHLY: RRule.MONTHLY, YEARLY: RRule.YEARLY } as const;
const KEYS = new Set(["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS", "BYYEARDAY", "BYWEEKNO", "WKST"]);
const DAY = /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/;
const INT_LIST = /^[+-]?\d+(,[+-]?\d+)*$/;

/** Throws an Error with a plain message when `text` is not an RRULE this accepts; returns it normalised. */
export function normaliseRrule(text: string): string {
  const body = text
    .trim()
    .replace(/^RRULE:/i, "")
    .toUpperCase();
  if (/DTSTART|TZID|[\r\n]/.test(body)) throw new Error("leave out DTSTART and TZID: give the rule alone (FREQ=…;BYDAY=…) and the time zone in timeZone");
  const parts = body.split(";").filter(Boolean);
  const seen = new Map<string, string>();
  for (const part of parts) {
    const [key, value, ...rest] = part.split("=");
    if (!key || value === undefined || rest.length || value === "") throw new Error(`"${part}" is not KEY=VALUE (for example FREQ=WEEKLY;BYDAY=SU;BYHOUR=2)`);
    if (!KEYS.has(key)) throw new Error(`${key} is not an RRULE part this understands (FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYMINUTE, …)`);
    if (seen.has(key)) throw new Error(`${key} is given twice`);
    if (key === "BYDAY" && !value.split(",").every((d) => DAY.test(d))) throw new Error(`BYDAY "${value}" must be days such as MO,TU or 1SU`);
    if (key.startsWith("BY") && key !== "BYDAY" && !INT_LIST.test(value)) throw new Error(`${key} "${value}" must be whole numbers separated by commas`);
    if ((key === "INTERVAL" || key === "COUNT") && !/^\d+$/.test(value)) throw new Error(`${key} must be a whole number`);
    seen.set(key, value);
  }
  const freq = seen.get("FREQ");
  if (!freq) throw new Error("FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)");
  if (!(freq in FREQS)) throw new Error(`FREQ=${freq}: a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY (use cron for anything more often)`);
  const normal = parts.join(";");
  try {
    RRule.parseString(normal);
  } catch (err) {
    throw new Error(err instanceof Error ? err.message : String(err));
  }
  return normal;
}

/** The wall-clock fields of `t` in `timeZone`, as a Date whose UTC fields are them. */
function toWall(t: number, timeZone: string): number {
  const parts = wallFormat(timeZone).formatToParts(new Date(t));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(n("year"), n("month") - 1, n("day"), n("hour") % 24, n("minute"), n("second"));
}

const formats = new Map<string, Intl.DateTimeFormat>();
function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formats.set(timeZone, f);
  }
  return f;
}

/** The instant a wall-clock time (UTC fields) is in `timeZone`: see the file comment for the skipped and repeated hours. */
export function fromWall(wall: number, timeZone: string): number {
  const seconds = Math.floor(((wall % 1000) + 1000) % 1000);
  const w = wall - seconds;
  const offset = (t: number) => toWall(t, timeZone) - Math.floor(t / 1000) * 1000;
  const first = w - offset(w);
  const second = w - offset(first);
  if (first === second) return first + seconds;
  // Two offsets apply near a jump: the one that reads back as this wall-clock time, else (a skipped time) the later instant.
  if (toWall(second, timeZone) === w) return second + seconds;
  if (toWall(first, timeZone) === w) return first + seconds;
  return Math.max(first, second) + seconds;
}

const rules = new Map<string, Rule>();
const MAX_RULES = 200;

function ruleFor(text: string, timeZone: string, anchor: Date): Rule {
  const dtstart = Math.floor(toWall(anchor.getTime(), timeZone) / 86_400_000) * 86_400_000;
  const key = `${timeZone}\u0000${dtstart}\u0000${text}`;
  let rule = rules.get(key);
  if (!rule) {
    rule = new RRule({ ...RRule.parseString(text), dtstart: new Date(dtstart) }, true);
    if (rules.size >= MAX_RULES) rules.delete(rules.keys().next().value!);
    rules.set(key, rule);
  }
  return rule;
}

/** The first run strictly after `after` (an instant), or null when the rule has no more. */
export function nextRruleRun(text: string, timeZone: string, anchor: Date, after: Date): Date | null {
  const rule = ruleFor(text, timeZone, anchor);
  // Wall-clock time can run backwards (autumn): step on until a run's instant is after `after`.
  let cursor = new Date(toWall(after.getTime(), timeZone) - 3_600_000 * 3);
  for (let i = 0; i < 50; i++) {
    const run = rule.after(cursor, false);
    if (!run) return null;
    const at = fromWall(run.getTime(), timeZone);
    if (at > after.getTime()) return new Date(at);
    cursor = run;
  }
  return null;
}
