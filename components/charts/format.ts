/** Chart labels in UTC, like every time Deckhand shows: server and browser render the same text. */
const hm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });
const md = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const full = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });

export function formatTick(t: number, spanMs: number): string {
  if (spanMs <= 36 * 3_600_000) return hm.format(t);
  if (spanMs <= 8 * 86_400_000) return `${md.format(t)} ${hm.format(t)}`;
  return md.format(t);
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
