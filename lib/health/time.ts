export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export type BucketUnit = "minute" | "hour" | "day";
export const UNIT_MS: Record<BucketUnit, number> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** UTC bucket boundaries: the database stores UTC and truncates in UTC, so these agree with date_trunc. */
export function floorTo(t: Date, unit: BucketUnit): Date {
  return new Date(Math.floor(t.getTime() / UNIT_MS[unit]) * UNIT_MS[unit]);
}

export function ceilTo(t: Date, unit: BucketUnit): Date {
  return new Date(Math.ceil(t.getTime() / UNIT_MS[unit]) * UNIT_MS[unit]);
}

export function minDate(a: Date, b: Date): Date {
  return a.getTime() <= b.getTime() ? a : b;
}

export function maxDate(a: Date, b: Date): Date {
  return a.getTime() >= b.getTime() ? a : b;
}
