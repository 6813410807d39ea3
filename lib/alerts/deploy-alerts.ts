import type { Db, Tx } from "../db/client";
import { rollbackTarget } from "./context";
import { enqueueAlert } from "./deliveries";
import type { DeployAlertPayload, DeployEvent } from "./payload";

function eventOf(status: string, autoRolledBack: boolean, verdict: string | null): DeployEvent | null {
  // Alert mode of the release verdict: the deploy succeeded and its release stays, but it regressed.
  if (status === "succeeded") return verdict === "regressed" ? "deploy.regressed" : "deploy.succeeded";
  if (status === "failed") return autoRolledBack ? "deploy.rolled_back" : "deploy.failed";
  if (status === "interrupted") return "deploy.interrupted";
  // A cancel was asked for by a person, who already knows.
  return null;
}

/**
 * The alert for a deploy or rollback that just ended, queued in the transaction that ends it (called by
 * lib/deploy/lifecycle.ts right after the status change): routed to the app's channels, else the default ones.
 * Returns the number of deliveries queued.
 */
export async function enqueueDeployAlert(tx: Tx, deployId: string): Promise<number> {
  const d = await tx.deploy.findUnique({
    where: { id: deployId },
    select: {
      id: true,
      kind: true,
      status: true,
      autoRolledBack: true,
      commit: true,
      error: true,
      actorLabel: true,
      startedAt: true,
      finishedAt: true,
      verdict: true,
      verdictSummary: true,
      app: { select: { id: true, name: true } },
      release: { select: { id: true, dir: true, commit: true, createdAt: true } },
    },
  });
  const event = d ? eventOf(d.status, d.autoRolledBack, d.verdict) : null;
  if (!d || !event) return 0;
  const finishedAt = (d.finishedAt ?? new Date()).toISOString();
  const payload: DeployAlertPayload = {
    event,
    deploy: {
      id: d.id,
      kind: d.kind,
      status: d.status,
      app: d.app,
      release: d.release?.dir ?? null,
      commit: d.commit ?? d.release?.commit ?? null,
      by: d.actorLabel,
      error: d.error,
      startedAt: d.startedAt?.toISOString() ?? null,
      finishedAt,
      autoRolledBack: d.autoRolledBack,
      verdict: d.verdict ? { outcome: d.verdict, summary: d.verdictSummary } : null,
    },
    at: finishedAt,
    detail: d.error ?? (d.verdict === "regressed" && d.verdictSummary ? d.verdictSummary : d.status),
    // A failed or interrupted deploy that built a release may have left it live: say where a rollback would go.
    rollbackTo: (event === "deploy.failed" || event === "deploy.interrupted" || event === "deploy.regressed") && d.kind === "deploy" && d.release ? await rollbackTarget(tx, d.app.id, d.release) : null,
  };
  return enqueueAlert(tx, payload);
}

/** The alert for a deploy request that waits for approval, queued in the transaction that creates it. */
export async function enqueueApprovalAlert(tx: Tx | Db, deployId: string): Promise<number> {
  const d = await tx.deploy.findUnique({
    where: { id: deployId },
    select: { id: true, kind: true, status: true, ref: true, commit: true, actorLabel: true, createdAt: true, app: { select: { id: true, name: true } }, environment: { select: { name: true } } },
  });
  if (!d || d.status !== "awaiting_approval") return 0;
  const at = d.createdAt.toISOString();
  const payload: DeployAlertPayload = {
    event: "deploy.awaiting_approval",
    deploy: { id: d.id, kind: d.kind, status: d.status, app: d.app, release: null, commit: d.commit, by: d.actorLabel, error: null, startedAt: null, finishedAt: at, autoRolledBack: false },
    at,
    detail: "awaiting approval",
    ref: d.ref,
    environment: d.environment?.name ?? null,
  };
  return enqueueAlert(tx, payload);
}
