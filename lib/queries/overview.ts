import { db } from "../db/client";

export async function getOverviewCounts() {
  const client = db();
  const [apps, servers, monitors, deploys] = await Promise.all([
    client.app.count(),
    client.server.count(),
    client.monitor.count(),
    client.deploy.count(),
  ]);
  return { apps, servers, monitors, deploys };
}
