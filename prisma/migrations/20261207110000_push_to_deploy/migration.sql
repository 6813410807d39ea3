-- Push to deploy (issue 15): each app's inbound webhook (its secret encrypted at rest), its deploy hooks (only
-- a SHA-256 of each token kept), and the deliveries seen, unique per app by the provider's delivery id so a
-- replayed delivery is refused. Nothing existing changes.

-- CreateTable
CREATE TABLE "AppWebhook" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "branch" TEXT,
    "tagPattern" TEXT,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "encryptedSecret" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,

    CONSTRAINT "AppWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeployHook" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "ref" TEXT NOT NULL,
    "environment" TEXT NOT NULL DEFAULT 'production',
    "tokenHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdBy" TEXT NOT NULL,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "DeployHook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT NOT NULL,
    "ref" TEXT,
    "commit" TEXT,
    "deployId" TEXT,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AppWebhook_appId_key" ON "AppWebhook"("appId");

-- CreateIndex
CREATE UNIQUE INDEX "DeployHook_tokenHash_key" ON "DeployHook"("tokenHash");

-- CreateIndex
CREATE UNIQUE INDEX "DeployHook_appId_name_key" ON "DeployHook"("appId", "name");

-- CreateIndex
CREATE INDEX "WebhookDelivery_deployId_idx" ON "WebhookDelivery"("deployId");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_appId_deliveryId_key" ON "WebhookDelivery"("appId", "deliveryId");

-- AddForeignKey
ALTER TABLE "AppWebhook" ADD CONSTRAINT "AppWebhook_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeployHook" ADD CONSTRAINT "DeployHook_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_appId_fkey" FOREIGN KEY ("appId") REFERENCES "App"("id") ON DELETE CASCADE ON UPDATE CASCADE;
