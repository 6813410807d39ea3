import { z } from "zod";
import { approveDeploy, rejectDeploy } from "../deploy/approvals";
import { gitRefSchema } from "../deploy/refs";
import { requestCancel } from "../deploy/lifecycle";
import { createDeployRequest, createRollbackRequest } from "../deploy/requests";
import { enqueueDeploy } from "../jobs/queues";
import type { Tx } from "../db/client";
import { defineAction } from "./core";
import { environmentNameSchema, freezeOverrideSchema } from "./schemas/environments";

/** An admin's freeze override, in the audit event's summary. */
function overrideOf(d: { freezeOverrideReason: string | null }) {
  return d.freezeOverrideReason ? { freezeOverride: d.freezeOverrideReason } : {};
}

const id = (name: string) => z.object({ [name]: z.string().min(1, "is required").max(64) });

export const startDeployAction = defineAction({
  name: "deploy.start",
  permission: "deploy",
  input: z.object({ appId: z.string().min(1).max(64), ref: gitRefSchema, environment: environmentNameSchema.default("production"), override: freezeOverrideSchema.optional() }),
  async handler(input, ctx) {
    const deploy = await createDeployRequest(ctx.tx, input.appId, input.ref, ctx.principal, { environment: input.environment, override: input.override });
    ctx.audit(
      { type: "deploy", id: deploy.id, name: deploy.app.name },
      { appId: input.appId, ref: input.ref, environment: deploy.environment.name, ...overrideOf(deploy), ...(deploy.status === "awaiting_approval" ? { awaitingApproval: true } : {}) },
    );
    return { id: deploy.id, status: deploy.status, appId: input.appId };
  },
  // A request awaiting approval has no job until it is approved.
  afterCommit: async (result) => {
    if (result.status === "queued") await enqueueDeploy(result.id);
  },
});

export const startRollbackAction = defineAction({
  name: "rollback.start",
  permission: "deploy",
  input: z.object({ appId: z.string().min(1).max(64), releaseId: z.string().min(1).max(64).optional(), environment: environmentNameSchema.default("production"), override: freezeOverrideSchema.optional() }),
  async handler(input, ctx) {
    const deploy = await createRollbackRequest(ctx.tx, input.appId, input.releaseId, ctx.principal, { environment: input.environment, override: input.override });
    ctx.audit(
      { type: "deploy", id: deploy.id, name: deploy.app.name },
      { appId: input.appId, releaseId: deploy.release.id, release: deploy.release.dir, commit: deploy.release.commit, environment: deploy.environment.name, ...overrideOf(deploy) },
    );
    return { id: deploy.id, status: deploy.status, appId: input.appId };
  },
  afterCommit: (result) => enqueueDeploy(result.id),
});

export const cancelDeployAction = defineAction({
  name: "deploy.cancel",
  permission: "deploy",
  input: id("deployId"),
  async handler(input, ctx) {
    const deploy = await requestCancel(ctx.tx, String(input.deployId));
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: deploy.appId, kind: deploy.kind, wasStatus: deploy.status });
    return { id: deploy.id, status: deploy.status === "running" ? "cancelling" : "cancelled" };
  },
});

/** Approvals (lib/deploy/approvals.ts): a different deployer than the requester; the job is sent once it is queued. */
export const approveDeployAction = defineAction({
  name: "deploy.approve",
  permission: "deploy",
  input: id("deployId"),
  async handler(input, ctx) {
    const deploy = await approveDeploy(ctx.tx as Tx, String(input.deployId), ctx.principal);
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: deploy.appId, kind: deploy.kind, environment: deploy.environment?.name ?? null, requestedBy: deploy.actorLabel });
    return { id: deploy.id, status: "queued" as const, appId: deploy.appId };
  },
  afterCommit: (result) => enqueueDeploy(result.id),
});

export const rejectDeployAction = defineAction({
  name: "deploy.reject",
  permission: "deploy",
  input: z.object({ deployId: z.string().min(1, "is required").max(64), reason: z.string().trim().max(500, "at most 500 characters").optional() }),
  async handler(input, ctx) {
    const reason = input.reason ? input.reason : undefined;
    const deploy = await rejectDeploy(ctx.tx as Tx, input.deployId, ctx.principal, reason);
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: deploy.appId, kind: deploy.kind, environment: deploy.environment?.name ?? null, requestedBy: deploy.actorLabel, reason: reason ?? null });
    return { id: deploy.id, status: "rejected" as const, appId: deploy.appId };
  },
});
