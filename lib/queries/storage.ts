import { db } from "../db/client";
import { env } from "../env";
import { storageFigures, type StorageFigures } from "../health/storage";

/** The Settings page's storage figures, at the configured retention. */
export async function getStorageFigures(): Promise<StorageFigures> {
  const e = env();
  return storageFigures(db(), {
    raw: e.DECKHAND_MONITOR_RAW_RETENTION_DAYS,
    minute: e.DECKHAND_MONITOR_MINUTE_ROLLUP_RETENTION_DAYS,
    hour: e.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS,
    day: e.DECKHAND_MONITOR_ROLLUP_RETENTION_DAYS,
  });
}
