"use client";

import { useHydrated } from "../use-hydrated";
import { formatTime } from "./time";

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-12-03 11:04:05 GMT+1": the viewer's local time in the same stable shape as formatTime. */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  const zone = new Intl.DateTimeFormat("en", { timeZoneName: "short" }).formatToParts(d).find((p) => p.type === "timeZoneName")?.value ?? "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`.trim();
}

/**
 * A moment in the viewer's time zone, the UTC time on hover. The server (and the first client render)
 * show UTC, so both agree and nothing mismatches at hydration; the local time replaces it after mount.
 */
export function LocalTime({ ms, ...rest }: { ms: number | null | undefined; "data-testid"?: string }) {
  const mounted = useHydrated();
  if (ms === null || ms === undefined) return <>—</>;
  const utc = formatTime(ms);
  const local = mounted ? formatLocalTime(ms) : null;
  return (
    <time dateTime={new Date(ms).toISOString()} title={utc} {...rest}>
      {local ?? utc}
    </time>
  );
}
