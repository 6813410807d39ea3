-- Per-app health settings: the deploy health step's attempts and delay, and the interval of the app's own
-- health monitor. NULL means the global value (DECKHAND_HEALTH_RETRIES, DECKHAND_HEALTH_RETRY_DELAY_MS, 60 s),
-- so existing apps keep behaving exactly as before.

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "healthRetries" INTEGER,
ADD COLUMN     "healthRetryDelayMs" INTEGER,
ADD COLUMN     "monitorIntervalSeconds" INTEGER;
