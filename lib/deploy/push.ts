import { loadDeployableApp } from "../apps/deployable";
import { recordAudit, type RequestMeta } from "../audit/record";
import { db, type Db, type Tx } from "../db/client";
import { AppError, ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from "../errors";
import { log } from "../log";
import { openSession } from "./changes";
import { resolveRefCommand } from "./layout";
import { supersedeQueued } from "./lifecycle";
import { deployHookByToken, webhookForVerifying } from "./push-hooks";
import { deliveryHeaderOf, deliveryIdOf, detectProvider, readPushRequest, refVerdict, verifyPushSignature, type PushProvider } from "./push-signature";
import { createDeployRequest } from "./requests";

/**
 * What a provider's delivery does (issue 15). In order: the app's webhook, the signature (401), the delivery id
 * (claimed at once, so a replay — or the same delivery twice at the same moment — is refused), what the
 * payload asks; a push to the configured branch or a matching tag is checked against the remote (the commit
 * must be the ref's head now: an older delivery arriving late deploys nothing), then queued as a deploy of
 * that exact commit, attributed to "webhook:<provider>" in the audit chain. A newer push supersedes a deploy
 * that an earlier push queued and that has not started yet.
 */
export interface HookRequest {
  get(name: string): string | null;
  body: string;
  meta: RequestMeta;
  now?: number;
}

export type HookAnswer = { status: 202; body: { deployId: string } | { ignored: string }; deployId?: string };

const ignored = (reason: string): HookAnswer => ({ status: 202, body: { ignored: reason } });

/** Claims the delivery id; false when it was seen before. */
async function claimDelivery(client: Db, appId: string, provider: PushProvider, deliveryId: string): Promise<string | null> {
  const rows = await client.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookDelivery" ("id", "appId", "provider", "deliveryId", "outcome", "receivedAt")
    VALUES (${crypto.randomUUID()}, ${appId}, ${provider}, ${deliveryId}, 'received', now())
    ON CONFLICT ("appId", "deliveryId") DO NOTHING RETURNING "id"`;
  return rows[0]?.id ?? null;
}

/** The commit `ref` names on the remote now, as `git ls-remote` on the app's first server answers (a tag's peeled commit too). */
export async function remoteHead(appId: string, ref: string, client: Db = db()): Promise<{ head: string | null; peeled: string | null }> {
  const app = await loadDeployableApp(appId, client);
  const serverId = app.serverIds[0];
  if (!serverId) throw new ValidationError(`${app.name} has no target servers; add one before deploying`);
  const session = await openSession(serverId, client);
  try {
    const r = await session.exec(resolveRefCommand(app.repoUrl, ref), { timeoutMs: 60_000 });
    if (r.exitCode !== 0) {
      throw new AppError(502, "remote_unavailable", `git ls-remote ${app.shownRepoUrl} failed: ${r.stderr.trim().split("\n").at(-1) || `exit ${r.exitCode ?? r.signal}`}`);
    }
    const refs = new Map<string, string>();
    for (const line of r.stdout.split("\n")) {
      const [sha, name] = line.trim().split(/\s+/);
      if (sha && name && /^[0-9a-f]{40}$/.test(sha)) refs.set(name, sha);
    }
    return { head: refs.get(ref) ?? null, peeled: refs.get(`${ref}^{}`) ?? null };
  } finally {
    session.close();
  }
}

async function setOutcome(client: Db | Tx, id: string, data: { outcome: string; ref?: string; commit?: string; deployId?: string }): Promise<void> {
  await client.webhookDelivery.update({ where: { id }, data });
}

async function verified(appId: string, req: HookRequest, client: Db) {
  const hook = await webhookForVerifying(client, appId);
  if (!hook) throw new NotFoundError("Webhook");
  const provider = detectProvider(req.get);
  if (!provider) throw new UnauthenticatedError("No signature: send X-Hub-Signature-256, X-Gitea-Signature, X-Gitlab-Token or X-Deckhand-Signature");
  const verdict = verifyPushSignature(provider, hook.secret, req.get, req.body, req.now);
  if (!verdict.ok) {
    log.warn({ appId, provider, ip: req.meta.ip, reason: verdict.reason }, "webhook delivery refused: bad signature");
    throw new UnauthenticatedError(verdict.reason);
  }
  const deliveryId = deliveryIdOf(provider, req.get);
  if (!deliveryId) throw new ValidationError(`${deliveryHeaderOf(provider)}: a delivery id is required (it is how a replayed delivery is refused)`);
  return { hook, provider, deliveryId, payload: payloadOf(req) };
}

/**
 * The delivery's JSON: the body itself, or (GitHub's and Gitea's other content type) the `payload` field of a
 * form-encoded body. Read only after the signature, which covers the body as it was sent.
 */
function payloadOf(req: HookRequest): unknown {
  const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  const text = type === "application/x-www-form-urlencoded" ? new URLSearchParams(req.body).get("payload") : req.body;
  if (text === null) throw new ValidationError("payload: a form-encoded delivery carries its JSON in the payload field, and this one has none");
  try {
    return JSON.parse(text);
  } catch {
    throw new ValidationError(type === "application/x-www-form-urlencoded" ? "payload: the form's payload field is not JSON" : "The body is not JSON: set the webhook's content type to application/json");
  }
}

export async function receivePush(appId: string, req: HookRequest, client: Db = db()): Promise<HookAnswer> {
  const { hook, provider, deliveryId, payload } = await verified(appId, req, client);
  const claimed = await claimDelivery(client, appId, provider, deliveryId);
  if (!claimed) throw new ConflictError(`Delivery ${deliveryId} was received before: a replayed delivery deploys nothing`);
  try {
    const asked = readPushRequest(provider, req.get, payload);
    if (asked.kind === "ignored") {
      await setOutcome(client, claimed, { outcome: `ignored: ${asked.reason}` });
      return ignored(asked.reason);
    }
    const match = refVerdict(hook, asked.ref);
    if (!match.deploys) {
      await setOutcome(client, claimed, { outcome: `ignored: ${match.reason}`, ref: asked.ref, commit: asked.sha });
      return ignored(match.reason);
    }
    const remote = await remoteHead(appId, asked.ref, client);
    if (asked.sha !== remote.head && asked.sha !== remote.peeled) {
      const reason = `${asked.sha.slice(0, 12)} is not the head of ${asked.ref} (${remote.head ? `it is ${(remote.peeled ?? remote.head).slice(0, 12)} now` : "the remote no longer has it"}): a newer push deploys instead`;
      await setOutcome(client, claimed, { outcome: `ignored: ${reason}`, ref: asked.ref, commit: asked.sha });
      return ignored(reason);
    }
    const commit = remote.peeled ?? asked.sha;
    const name = asked.ref.replace(/^refs\/(heads|tags)\//, "");
    const deployId = await queuePushDeploy(client, { appId, appName: hook.app.name, provider, deliveryId, delivery: claimed, ref: name, fullRef: asked.ref, commit, environment: hook.environment, meta: req.meta });
    return { status: 202, body: { deployId }, deployId };
  } catch (err) {
    // Not deployed for a reason that may pass (the app is busy, the server unreachable): the provider's redelivery is let in.
    await client.webhookDelivery.delete({ where: { id: claimed } }).catch(() => undefined);
    throw err;
  }
}

interface PushDeploy {
  appId: string;
  appName: string;
  provider: PushProvider;
  deliveryId: string;
  delivery: string;
  ref: string;
  fullRef: string;
  commit: string;
  /** The environment the webhook deploys to. */
  environment: string;
  meta: RequestMeta;
}

async function queuePushDeploy(client: Db, p: PushDeploy): Promise<string> {
  const actor = { kind: "system" as const, label: `webhook:${p.provider}` };
  return client.$transaction(async (tx) => {
    const superseded = await supersedeQueuedPush(tx, p, actor);
    const deploy = await createDeployRequest(tx, p.appId, p.ref, actor, { commit: p.commit, environment: p.environment });
    await setOutcome(tx, p.delivery, { outcome: "deployed", ref: p.fullRef, commit: p.commit, deployId: deploy.id });
    await recordAudit(tx, {
      actor,
      meta: p.meta,
      action: "deploy.start",
      target: { type: "deploy", id: deploy.id, name: p.appName },
      outcome: "success",
      summary: { appId: p.appId, ref: p.ref, commit: p.commit, provider: p.provider, deliveryId: p.deliveryId, supersededDeployId: superseded },
    });
    return deploy.id;
  });
}

/** A deploy an earlier push queued and no worker has started: cancelled, saying which push replaced it. */
async function supersedeQueuedPush(tx: Tx, p: PushDeploy, actor: { kind: "system"; label: string }): Promise<string | null> {
  const queued = await tx.deploy.findFirst({ where: { appId: p.appId, status: "queued", environment: { name: p.environment } }, select: { id: true } });
  if (!queued) return null;
  const fromPush = await tx.webhookDelivery.findFirst({ where: { deployId: queued.id }, select: { id: true } });
  if (!fromPush) return null;
  const reason = `superseded by a newer push: ${p.commit.slice(0, 12)} to ${p.fullRef}`;
  if (!(await supersedeQueued(tx, queued.id, reason))) return null;
  await recordAudit(tx, { actor, meta: p.meta, action: "deploy.cancel", target: { type: "deploy", id: queued.id, name: p.appName }, outcome: "success", summary: { appId: p.appId, reason } });
  return queued.id;
}

/** POST to a deploy hook's URL: deploys the hook's ref (resolved when the deploy runs), as "deploy-hook:<name>". */
export async function receiveDeployHook(token: string, meta: RequestMeta, client: Db = db()): Promise<HookAnswer> {
  const hook = await deployHookByToken(client, token);
  if (!hook) throw new NotFoundError("Deploy hook");
  const actor = { kind: "system" as const, label: `deploy-hook:${hook.name}` };
  const deployId = await client.$transaction(async (tx) => {
    const deploy = await createDeployRequest(tx, hook.app.id, hook.ref, actor, { environment: hook.environment });
    await tx.deployHook.update({ where: { id: hook.id }, data: { lastUsedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      meta,
      action: "deploy.start",
      target: { type: "deploy", id: deploy.id, name: hook.app.name },
      outcome: "success",
      summary: { appId: hook.app.id, ref: hook.ref, deployHookId: hook.id, environment: hook.environment },
    });
    return deploy.id;
  });
  return { status: 202, body: { deployId }, deployId };
}
