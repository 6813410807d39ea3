-- The release scorecard's figures for a closed period, computed once (lib/queries/scorecard.ts).
-- CreateTable
CREATE TABLE "ReleaseScore" (
    "deployId" TEXT NOT NULL,
    "periodEnd" TIMESTAMP(3) NOT NULL,
    "monitors" TEXT NOT NULL,
    "checks" INTEGER NOT NULL,
    "failures" INTEGER NOT NULL,
    "p95" DOUBLE PRECISION,
    "source" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReleaseScore_pkey" PRIMARY KEY ("deployId")
);

-- AddForeignKey
ALTER TABLE "ReleaseScore" ADD CONSTRAINT "ReleaseScore_deployId_fkey" FOREIGN KEY ("deployId") REFERENCES "Deploy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

