/** Chart labels in UTC, like every time Deckhand shows: server and browser render the same text. */
const hm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });
const md = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const full = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });

export function formatTick(t: number, spanMs: number): string {
  if (spanMs <= 36 * 3_600_000) return hm.format(t);
  if (spanMs <= 8 * 86_400_000) return `${md.format(t)} ${hm.format(t)}`;
  return md.format(t);
}

const hms = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC", hour12: false });

/** A single check's time, to the second. */
export function formatWhenSeconds(t: number): string {
  return `${hms.format(t)} UTC`;
}

export function formatWhen(t: number): string {
  return `${full.format(t)} UTC`;
}

export function formatMs(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ms`;
}

/** A bucket's span, "14:00–15:00", with the day when it is not one day's hours ("3 Dec 14:00–4 Dec 00:00"). */
export function formatSpan(start: number, end: number): string {
  const sameDay = Math.floor(start / 86_400_000) === Math.floor((end - 1) / 86_400_000);
  if (end - start === 86_400_000 && start % 86_400_000 === 0) return `${md.format(start)}, all day UTC`;
  return sameDay ? `${md.format(start)} ${hm.format(start)}–${hm.format(end)} UTC` : `${md.format(start)} ${hm.format(start)}–${md.format(end)} ${hm.format(end)} UTC`;
}

/** "99.2 % up" (one decimal, never rounded up to 100 when something failed). */
export function formatUp(checks: number, failures: number): string {
  if (checks === 0) return "no checks";
  const pct = Math.floor(((checks - failures) / checks) * 1000) / 10;
  return `${pct.toFixed(pct === 100 ? 0 : 1)} % up`;
}

/** A latency tick: whole milliseconds (one decimal under 10 ms), seconds from 10 s; one line, never wrapped. */
export function formatMsTick(v: number): string {
  if (v >= 10_000) return `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)} s`;
  if (v >= 10 || v === 0) return `${Math.round(v)} ms`;
  return `${v.toFixed(1)} ms`;
}
