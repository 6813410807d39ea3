import { env } from "../env";
import { APP_MONITOR_DEFAULT_INTERVAL_SECONDS } from "../health/monitors";

/** The global values an app's health settings fall back to when it has not chosen its own (null). */
export function appHealthDefaults(): { healthRetries: number; healthRetryDelayMs: number; monitorIntervalSeconds: number } {
  return {
    healthRetries: env().DECKHAND_HEALTH_RETRIES,
    healthRetryDelayMs: env().DECKHAND_HEALTH_RETRY_DELAY_MS,
    monitorIntervalSeconds: APP_MONITOR_DEFAULT_INTERVAL_SECONDS,
  };
}
