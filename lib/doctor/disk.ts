import { existsSync } from "node:fs";
import { statfs } from "node:fs/promises";
import path from "node:path";
import type { CheckResult } from "./types";

export interface DiskThresholds {
  /** Below this many free bytes: WARN. */
  warnBytes: number;
  /** Below this many free bytes: FAIL (Postgres stops accepting writes when its disk fills). */
  failBytes: number;
}

export const DEFAULT_DISK_THRESHOLDS: DiskThresholds = { warnBytes: 1024 ** 3, failBytes: 100 * 1024 ** 2 };

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 || unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** The data dir may not exist yet on a fresh install: measure the filesystem it will be created on. */
function nearestExisting(dir: string): string {
  let current = path.resolve(dir);
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

/** Free space (for an unprivileged user, as Postgres and Deckhand run) on the data dir's filesystem. */
export async function checkDisk(dataDir: string, thresholds: DiskThresholds = DEFAULT_DISK_THRESHOLDS): Promise<CheckResult> {
  const where = nearestExisting(dataDir);
  try {
    const s = await statfs(where);
    const free = s.bavail * s.bsize;
    const size = s.blocks * s.bsize;
    const detail = `${formatBytes(free)} free of ${formatBytes(size)} at ${where}`;
    if (free < thresholds.failBytes) return { name: "disk", status: "fail", detail: `${detail}: under ${formatBytes(thresholds.failBytes)}, free space now` };
    if (free < thresholds.warnBytes) return { name: "disk", status: "warn", detail: `${detail}: under ${formatBytes(thresholds.warnBytes)}` };
    return { name: "disk", status: "ok", detail };
  } catch (err) {
    return { name: "disk", status: "fail", detail: `cannot measure free space at ${where}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
