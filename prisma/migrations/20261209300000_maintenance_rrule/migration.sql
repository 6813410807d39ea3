-- RRULE recurrences for maintenance windows (issue 14): an RFC 5545 RRULE beside cron.
ALTER TABLE "MaintenanceWindow" ADD COLUMN "rrule" TEXT;
