import type { Db } from "../../db/client";
import type { Sample } from "./maths";

/**
 * The one place the release verdict reads check results: every result of the app's probing monitors (HTTP,
 * TCP, SSH; heartbeats and certificate checks say nothing about a release) taken in [from, to), outside
 * maintenance windows, oldest first. By time, not by CheckResult.releaseId: while a deploy runs (its soak
 * included) results are still recorded against the release that was live before it.
 */
export async function checkSamples(client: Db, appId: string, from: Date, to: Date): Promise<Sample[]> {
  const rows = await client.checkResult.findMany({
    where: { at: { gte: from, lt: to }, inMaintenance: false, monitor: { appId, type: { in: ["http", "tcp", "ssh"] } } },
    orderBy: { at: "asc" },
    take: 20_000,
    select: { at: true, ok: true, latencyMs: true },
  });
  return rows;
}
