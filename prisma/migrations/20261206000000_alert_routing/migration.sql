-- Alert providers and routing: six more channel types, typed encrypted configs (a channel saved before keeps
-- its encrypted URL, read as {url}, until the worker rewrites it at start: only the application holds the key),
-- default channels, muting, severities, and each monitor's and app's own choice of channels.
-- Existing channels are default channels taking every severity, so they keep getting every alert as before.

-- AlterEnum (PostgreSQL 12+ allows these in one transaction as long as the new values are not used in it)
ALTER TYPE "ChannelType" ADD VALUE 'discord';
ALTER TYPE "ChannelType" ADD VALUE 'teams';
ALTER TYPE "ChannelType" ADD VALUE 'telegram';
ALTER TYPE "ChannelType" ADD VALUE 'ntfy';
ALTER TYPE "ChannelType" ADD VALUE 'pagerduty';
ALTER TYPE "ChannelType" ADD VALUE 'email';

-- AlterTable
ALTER TABLE "App" ADD COLUMN     "useDefaultChannels" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Monitor" ADD COLUMN     "useDefaultChannels" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "NotificationChannel" ADD COLUMN     "encryptedConfig" TEXT,
ADD COLUMN     "isDefault" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "muted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "mutedUntil" TIMESTAMP(3),
ADD COLUMN     "severities" TEXT[] DEFAULT ARRAY['down', 'degraded', 'recovered', 'deploy_failed', 'deploy_succeeded']::TEXT[],
ALTER COLUMN "encryptedUrl" DROP NOT NULL;

-- CreateTable
CREATE TABLE "MonitorChannel" (
    "monitorId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    CONSTRAINT "MonitorChannel_pkey" PRIMARY KEY ("monitorId","channelId")
);

-- CreateTable
CREATE TABLE "AppChannel" (
    "appId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,

    CONSTRAINT "AppChannel_pkey" PRIMARY KEY ("appId","channelId")
);

-- CreateIndex
CREATE INDEX "MonitorChannel_channelId_idx" ON "MonitorChannel"("channelId");

-- CreateIndex
CREATE INDEX "AppChannel_channelId_idx" ON "AppChannel"("channelId");

-- AddForeignKey
ALTER TABLE "MonitorChannel" ADD CONSTRAINT "MonitorChannel_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MonitorChannel" ADD CONSTRAINT "MonitorChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppChannel" ADD CONSTRAINT "AppChannel_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AppChannel" ADD CONSTRAINT "AppChannel_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "NotificationChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;
