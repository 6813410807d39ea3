-- Environments (issue 15): every app gets `production`, created with the app by a trigger, so apps made by any
-- path (the API, the UI, a test's direct insert) have one; existing deploys are recorded against it.

-- CreateEnum
CREATE TYPE "VerdictMode" AS ENUM ('off', 'alert', 'rollback');

-- CreateTable
CREATE TABLE "Environment" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "healthUrl" TEXT,
    "strategy" "RolloutStrategy",
    "batchSize" INTEGER,
    "requireApproval" BOOLEAN NOT NULL DEFAULT false,
    "approvalTtlMinutes" INTEGER NOT NULL DEFAULT 1440,
    "soakMinutes" INTEGER NOT NULL DEFAULT 5,
    "verdict" "VerdictMode" NOT NULL DEFAULT 'off',
    "verdictMaxErrorRateIncrease" DOUBLE PRECISION NOT NULL DEFAULT 5,
    "verdictMaxLatencyRatio" DOUBLE PRECISION NOT NULL DEFAULT 2,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Environment_appId_name_key" ON "Environment"("appId", "name");

-- AddForeignKey
ALTER TABLE "Environment" ADD CONSTRAINT "Environment_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "Deploy" ADD COLUMN "environmentId" TEXT;

-- AddForeignKey
ALTER TABLE "Deploy" ADD CONSTRAINT "Deploy_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Every existing app: its production environment, and its deploys recorded against it.
INSERT INTO "Environment" ("id", "appId", "name", "position")
SELECT 'env' || md5(random()::text || "id"), "id", 'production', 100 FROM "App";

UPDATE "Deploy" d SET "environmentId" = e."id" FROM "Environment" e WHERE e."appId" = d."appId" AND e."name" = 'production';

-- Every new app: its production environment, in the same transaction as the app.
CREATE FUNCTION deckhand_app_production_environment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "Environment" ("id", "appId", "name", "position") VALUES ('env' || md5(random()::text || NEW."id"), NEW."id", 'production', 100);
  RETURN NEW;
END;
$$;

CREATE TRIGGER "App_production_environment" AFTER INSERT ON "App" FOR EACH ROW EXECUTE FUNCTION deckhand_app_production_environment();
