-- Environments, part 1 (issue 15): servers, variables, releases and the deploy lock per environment; promotion and freeze windows.

-- A server serves one environment of an app (the key stays (appId, serverId)); variables are per environment.
ALTER TABLE "AppTarget" ADD COLUMN "environmentId" TEXT;
ALTER TABLE "AppSecret" ADD COLUMN "environmentId" TEXT;
ALTER TABLE "Release" ADD COLUMN "environmentId" TEXT;
ALTER TABLE "Deploy" ADD COLUMN "promotedFrom" TEXT;
ALTER TABLE "Deploy" ADD COLUMN "freezeOverrideReason" TEXT;

UPDATE "AppTarget" t SET "environmentId" = e."id" FROM "Environment" e WHERE e."appId" = t."appId" AND e."name" = 'production';
UPDATE "AppSecret" s SET "environmentId" = e."id" FROM "Environment" e WHERE e."appId" = s."appId" AND e."name" = 'production';
UPDATE "Release" r SET "environmentId" = e."id" FROM "Environment" e WHERE e."appId" = r."appId" AND e."name" = 'production';

-- A row inserted without an environment (the app-level API, older callers) belongs to the app's production.
CREATE FUNCTION deckhand_default_production_environment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."environmentId" IS NULL THEN
    SELECT "id" INTO NEW."environmentId" FROM "Environment" WHERE "appId" = NEW."appId" AND "name" = 'production';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER "AppTarget_default_environment" BEFORE INSERT ON "AppTarget" FOR EACH ROW EXECUTE FUNCTION deckhand_default_production_environment();
CREATE TRIGGER "AppSecret_default_environment" BEFORE INSERT ON "AppSecret" FOR EACH ROW EXECUTE FUNCTION deckhand_default_production_environment();
CREATE TRIGGER "Release_default_environment" BEFORE INSERT ON "Release" FOR EACH ROW EXECUTE FUNCTION deckhand_default_production_environment();

ALTER TABLE "AppTarget" ALTER COLUMN "environmentId" SET NOT NULL;
ALTER TABLE "AppSecret" ALTER COLUMN "environmentId" SET NOT NULL;

ALTER TABLE "AppTarget" ADD CONSTRAINT "AppTarget_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AppSecret" ADD CONSTRAINT "AppSecret_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Release" ADD CONSTRAINT "Release_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

DROP INDEX "AppSecret_appId_name_key";
CREATE UNIQUE INDEX "AppSecret_environmentId_name_key" ON "AppSecret"("environmentId", "name");
CREATE INDEX "AppTarget_environmentId_idx" ON "AppTarget"("environmentId");

-- The deploy lock is per environment: staging can deploy while production deploys.
UPDATE "Deploy" d SET "environmentId" = e."id" FROM "Environment" e WHERE d."environmentId" IS NULL AND e."appId" = d."appId" AND e."name" = 'production';
CREATE TRIGGER "Deploy_default_environment" BEFORE INSERT ON "Deploy" FOR EACH ROW EXECUTE FUNCTION deckhand_default_production_environment();
DROP INDEX "Deploy_one_active_per_app";
CREATE UNIQUE INDEX "Deploy_one_active_per_environment" ON "Deploy"("appId", "environmentId") WHERE "status" IN ('queued', 'running');

-- Freeze windows: deploys to the environment are refused between startsAt and endsAt (an admin may override).
CREATE TABLE "FreezeWindow" (
    "id" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "FreezeWindow_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "FreezeWindow_environmentId_endsAt_idx" ON "FreezeWindow"("environmentId", "endsAt");
ALTER TABLE "FreezeWindow" ADD CONSTRAINT "FreezeWindow_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
