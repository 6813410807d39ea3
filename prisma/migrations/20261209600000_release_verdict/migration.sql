-- Release verdict (issue 15): after the soak, a deploy records how its release compared with the previous one.

-- CreateEnum
CREATE TYPE "DeployVerdict" AS ENUM ('passed', 'regressed', 'inconclusive');

-- AlterTable
ALTER TABLE "Deploy" ADD COLUMN "verdict" "DeployVerdict",
ADD COLUMN "verdictSummary" TEXT,
ADD COLUMN "verdictNumbers" JSONB;
