import { db, type Db } from "../db/client";
import { NotFoundError } from "../errors";
import { realRepoUrl, repoSecretOf } from "./repo-credentials";
import { maskRepoUrl, repoCredentialForms } from "./repo-url";
import { decryptSecrets } from "./secrets";

export interface DeployableApp {
  id: string;
  name: string;
  /** The URL the servers fetch from, with its credential: only ever inside a command, never shown. */
  repoUrl: string;
  /** The same URL as people see it (credential masked): what log lines and messages name. */
  shownRepoUrl: string;
  deployPath: string;
  keepReleases: number;
  installCommand: string;
  buildCommand: string;
  smokeCommand: string;
  restartCommand: string;
  healthUrl: string | null;
  /** Health-check attempts and the wait between them; null or left out: the global settings. */
  healthRetries?: number | null;
  healthRetryDelayMs?: number | null;
  strategy: "parallel" | "rolling";
  batchSize: number;
  serverIds: string[];
  env: Record<string, string>;
  /** Every value masked in this app's deploy output: environment values and the repository credential. */
  secretValues: string[];
}

/**
 * The app as the worker needs it for one environment (null: production), secrets decrypted (they never leave the
 * worker): that environment's servers and variables, its health URL, strategy and batch size where it sets them.
 */
export async function loadDeployableApp(appId: string, client: Db = db(), environmentId: string | null = null): Promise<DeployableApp> {
  const inEnv = environmentId ? { environmentId } : { environment: { name: "production" } };
  const app = await client.app.findUnique({
    where: { id: appId },
    include: { targets: { where: inEnv, orderBy: { position: "asc" }, select: { serverId: true } }, secrets: { where: inEnv, omit: { encryptedValue: false } } },
    omit: { encryptedRepoCredential: false },
  });
  if (!app) throw new NotFoundError("App");
  const stage = await client.environment.findFirst({ where: { appId, ...(environmentId ? { id: environmentId } : { name: "production" }) }, select: { healthUrl: true, strategy: true, batchSize: true, deployPath: true } });
  const env = decryptSecrets(app.secrets);
  const repoSecret = repoSecretOf(app);
  return {
    id: app.id,
    name: app.name,
    repoUrl: realRepoUrl(app),
    shownRepoUrl: maskRepoUrl(app.repoUrl),
    deployPath: stage?.deployPath ?? app.deployPath,
    keepReleases: app.keepReleases,
    installCommand: app.installCommand,
    buildCommand: app.buildCommand,
    smokeCommand: app.smokeCommand,
    restartCommand: app.restartCommand,
    healthUrl: stage?.healthUrl ?? app.healthUrl,
    healthRetries: app.healthRetries,
    healthRetryDelayMs: app.healthRetryDelayMs,
    strategy: stage?.strategy ?? app.strategy,
    batchSize: stage?.batchSize ?? app.batchSize,
    serverIds: app.targets.map((t) => t.serverId),
    env,
    secretValues: [...Object.values(env), ...(repoSecret ? repoCredentialForms(repoSecret) : [])],
  };
}
