import type { Db } from "../db/client";
import { formatBytes, storageFigures, type RetentionDays } from "../health/storage";
import type { CheckResult } from "./types";

/** The database's size, its growth per day and what it will settle at under the configured retention (issue 16). */
export async function checkStorage(client: Db, retention: RetentionDays): Promise<CheckResult> {
  const f = await storageFigures(client, retention);
  return {
    name: "storage",
    status: "ok",
    detail:
      `database ${formatBytes(f.databaseBytes)} (check history ${formatBytes(f.historyBytes)}), growing ${formatBytes(f.growthBytesPerDay)} a day; ` +
      `about ${formatBytes(f.projectedBytes)} at the configured retention (raw ${retention.raw} d, minute rollups ${retention.minute} d, hour and day ${retention.hour} d)`,
  };
}
