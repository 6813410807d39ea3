-- Heartbeat (push) monitors (issue 14): a monitor of type heartbeat is called by the job it watches (its push
-- URL holds a secret token: a SHA-256 of it to find the monitor, the token itself encrypted so admins can see
-- the URL again), expected every intervalSeconds or per a cron expression in a time zone, with a grace period.
-- Its nextRunAt is the deadline of the next beat (the health scheduler does not probe heartbeat monitors).

-- AlterEnum (PostgreSQL 12+ allows this in a transaction as long as the new value is not used in it)
ALTER TYPE "MonitorType" ADD VALUE 'heartbeat';

-- AlterTable
ALTER TABLE "Monitor" ADD COLUMN     "pushTokenHash" TEXT,
ADD COLUMN     "pushTokenEncrypted" TEXT,
ADD COLUMN     "graceSeconds" INTEGER,
ADD COLUMN     "cron" TEXT,
ADD COLUMN     "cronTimeZone" TEXT,
ADD COLUMN     "lastBeatAt" TIMESTAMP(3);

-- CreateIndex
CREATE UNIQUE INDEX "Monitor_pushTokenHash_key" ON "Monitor"("pushTokenHash");
