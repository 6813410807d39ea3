-- Environments (issue 15): an environment may deploy to its own path, so staging and production of one app can
-- share a machine. Null: the app's deployPath.
ALTER TABLE "Environment" ADD COLUMN "deployPath" TEXT;
