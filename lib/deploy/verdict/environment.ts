import type { Db } from "../../db/client";

export interface ReleasePolicy {
  environmentId: string;
  name: string;
  soakMinutes: number;
  verdict: "off" | "alert" | "rollback";
  verdictMaxErrorRateIncrease: number;
  verdictMaxLatencyRatio: number;
}

const select = { id: true, name: true, soakMinutes: true, verdict: true, verdictMaxErrorRateIncrease: true, verdictMaxLatencyRatio: true } as const;

/** The environment a deploy releases to: its own (Deploy.environmentId), else the app's `production`; null when neither exists. */
export async function deployEnvironment(client: Db, deployId: string, appId: string): Promise<ReleasePolicy | null> {
  const d = await client.deploy.findUnique({ where: { id: deployId }, select: { environment: { select } } });
  const e = d?.environment ?? (await client.environment.findUnique({ where: { appId_name: { appId, name: "production" } }, select }));
  if (!e) return null;
  const { id, ...rest } = e;
  return { environmentId: id, ...rest };
}
