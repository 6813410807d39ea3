import { db } from "../db/client";
import { pushSettings } from "../deploy/push-hooks";

/** The app page's "Push to deploy" card: the webhook's settings (never its secret) and the deploy hooks (never their URLs). */
export interface PushSettingsView {
  webhook: { branch: string | null; tagPattern: string | null; environment: string; createdAt: number; rotatedAt: number; createdBy: string } | null;
  deployHooks: { id: string; name: string; ref: string; environment: string; createdAt: number; createdBy: string; lastUsedAt: number | null }[];
}

export async function getPushSettings(appId: string): Promise<PushSettingsView> {
  const { webhook, deployHooks } = await pushSettings(db(), appId);
  return {
    webhook: webhook ? { ...webhook, createdAt: webhook.createdAt.getTime(), rotatedAt: webhook.rotatedAt.getTime() } : null,
    deployHooks: deployHooks.map((h) => ({ ...h, createdAt: h.createdAt.getTime(), lastUsedAt: h.lastUsedAt?.getTime() ?? null })),
  };
}
