-- Incidents (H4): acknowledgement, notes and re-notification; monitor dependencies; maintenance windows.

-- AlterTable
ALTER TABLE "Monitor" ADD COLUMN     "renotifyMinutes" INTEGER,
ADD COLUMN     "dependsOnId" TEXT;

-- AlterTable
ALTER TABLE "CheckResult" ADD COLUMN     "inMaintenance" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedBy" TEXT,
ADD COLUMN     "lastNotifiedAt" TIMESTAMP(3),
ADD COLUMN     "suppressed" TEXT;

-- CreateTable
CREATE TABLE "IncidentNote" (
    "id" TEXT NOT NULL,
    "incidentId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IncidentNote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintenanceWindow" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "cron" TEXT,
    "durationMinutes" INTEGER,
    "timeZone" TEXT,
    "allMonitors" BOOLEAN NOT NULL DEFAULT false,
    "appIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MaintenanceWindow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MaintenanceMonitor" (
    "windowId" TEXT NOT NULL,
    "monitorId" TEXT NOT NULL,

    CONSTRAINT "MaintenanceMonitor_pkey" PRIMARY KEY ("windowId","monitorId")
);

-- CreateIndex
CREATE INDEX "Monitor_dependsOnId_idx" ON "Monitor"("dependsOnId");

-- CreateIndex
CREATE INDEX "Incident_endedAt_idx" ON "Incident"("endedAt");

-- CreateIndex
CREATE INDEX "IncidentNote_incidentId_createdAt_idx" ON "IncidentNote"("incidentId", "createdAt");

-- CreateIndex
CREATE INDEX "MaintenanceMonitor_monitorId_idx" ON "MaintenanceMonitor"("monitorId");

-- AddForeignKey
ALTER TABLE "Monitor" ADD CONSTRAINT "Monitor_dependsOnId_fkey" FOREIGN KEY ("dependsOnId") REFERENCES "Monitor"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "IncidentNote" ADD CONSTRAINT "IncidentNote_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaintenanceMonitor" ADD CONSTRAINT "MaintenanceMonitor_windowId_fkey" FOREIGN KEY ("windowId") REFERENCES "MaintenanceWindow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MaintenanceMonitor" ADD CONSTRAINT "MaintenanceMonitor_monitorId_fkey" FOREIGN KEY ("monitorId") REFERENCES "Monitor"("id") ON DELETE CASCADE ON UPDATE CASCADE;
