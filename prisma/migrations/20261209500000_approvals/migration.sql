-- Approvals (issue 15): a deploy to an environment that requires approval waits as awaiting_approval (it does
-- not hold the lock: "Deploy_one_active_per_app" covers only queued and running) until a different deployer
-- approves it (→ queued) or rejects it (→ rejected), or it expires (→ expired) after approvalTtlMinutes.
ALTER TYPE "DeployStatus" ADD VALUE 'awaiting_approval';
ALTER TYPE "DeployStatus" ADD VALUE 'rejected';
ALTER TYPE "DeployStatus" ADD VALUE 'expired';

-- Who approved or rejected, when, and the rejection's reason.
ALTER TABLE "Deploy" ADD COLUMN "decidedByLabel" TEXT,
ADD COLUMN "decidedAt" TIMESTAMP(3),
ADD COLUMN "rejectReason" TEXT;
