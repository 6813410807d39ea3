-- The credential of a repository URL is stored encrypted beside a masked URL. Encryption needs
-- DECKHAND_SECRET, which SQL does not have: existing URLs stay as they are (deploys keep working) and the
-- worker seals them at start-up (lib/apps/repo-credentials.ts sealPlainRepoCredentials); until then every
-- read masks them.
ALTER TABLE "App" ADD COLUMN "encryptedRepoCredential" TEXT;
