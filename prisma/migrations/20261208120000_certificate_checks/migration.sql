-- TLS certificate expiry and response assertions (issue 14): a certificate monitor type, the degraded status,
-- per-monitor assertions, degraded threshold and certificate warning days, the last certificate seen and the
-- smallest threshold already alerted for it; each check result says whether it was degraded and what it found.

-- AlterEnum
ALTER TYPE "MonitorType" ADD VALUE 'certificate';

-- AlterEnum
ALTER TYPE "MonitorStatus" ADD VALUE 'degraded';

-- AlterTable
ALTER TABLE "Monitor" ADD COLUMN     "assertions" JSONB,
ADD COLUMN     "degradedAfterMs" INTEGER,
ADD COLUMN     "certWarnDays" INTEGER[] DEFAULT ARRAY[30, 14, 7]::INTEGER[],
ADD COLUMN     "certNotAfter" TIMESTAMP(3),
ADD COLUMN     "certSubject" TEXT,
ADD COLUMN     "certIssuer" TEXT,
ADD COLUMN     "certFingerprint" TEXT,
ADD COLUMN     "certAlertedDays" INTEGER;

-- AlterTable
ALTER TABLE "CheckResult" ADD COLUMN     "degraded" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "facts" JSONB;
