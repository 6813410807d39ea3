import { z } from "zod";
import { gitRefSchema } from "../deploy/refs";
import { requestCancel } from "../deploy/lifecycle";
import { createDeployRequest, createRollbackRequest } from "../deploy/requests";
import { enqueueDeploy } from "../jobs/queues";
import { defineAction } from "./core";

const id = (name: string) => z.object({ [name]: z.string().min(1, "is required").max(64) });

export const startDeployAction = defineAction({
  name: "deploy.start",
  permission: "deploy",
  input: z.object({ appId: z.string().min(1).max(64), ref: gitRefSchema }),
  async handler(input, ctx) {
    const deploy = await createDeployRequest(ctx.tx, input.appId, input.ref, ctx.principal);
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: input.appId, ref: input.ref });
    return { id: deploy.id, status: deploy.status, appId: input.appId };
  },
  afterCommit: (result) => enqueueDeploy(result.id),
});

export const startRollbackAction = defineAction({
  name: "rollback.start",
  permission: "deploy",
  input: z.object({ appId: z.string().min(1).max(64), releaseId: z.string().min(1).max(64).optional() }),
  async handler(input, ctx) {
    const deploy = await createRollbackRequest(ctx.tx, input.appId, input.releaseId, ctx.principal);
    ctx.audit({ type: "deploy", id: deploy.id, name: deploy.app.name }, { appId: input.appId, releaseId: deploy.release.id, release: deploy.release.dir, commit: deploy.release.commit });
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
    return { id: deploy.id, status: deploy.status === "queued" ? "cancelled" : "cancelling" };
  },
});
