import { db, type Db } from "../db/client";
import { NotFoundError } from "../errors";
import { decryptSecrets } from "./secrets";

export interface DeployableApp {
  id: string;
  name: string;
  repoUrl: string;
  deployPath: string;
  keepReleases: number;
  installCommand: string;
  buildCommand: string;
  smokeCommand: string;
  restartCommand: string;
  healthUrl: string | null;
  strategy: "parallel" | "rolling";
  batchSize: number;
  serverIds: string[];
  env: Record<string, string>;
}

/** The app as the worker needs it, secrets decrypted (they never leave the worker). */
export async function loadDeployableApp(appId: string, client: Db = db()): Promise<DeployableApp> {
  const app = await client.app.findUnique({
    where: { id: appId },
    include: { targets: { orderBy: { position: "asc" }, select: { serverId: true } }, secrets: { omit: { encryptedValue: false } } },
  });
  if (!app) throw new NotFoundError("App");
  return {
    id: app.id,
    name: app.name,
    repoUrl: app.repoUrl,
    deployPath: app.deployPath,
    keepReleases: app.keepReleases,
    installCommand: app.installCommand,
    buildCommand: app.buildCommand,
    smokeCommand: app.smokeCommand,
    restartCommand: app.restartCommand,
    healthUrl: app.healthUrl,
    strategy: app.strategy,
    batchSize: app.batchSize,
    serverIds: app.targets.map((t) => t.serverId),
    env: decryptSecrets(app.secrets),
  };
}
