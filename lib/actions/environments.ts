import { createEnvironment, deleteEnvironment, resolveEnvironment, updateEnvironment } from "../apps/environments";
import { principalLabel } from "../auth/roles";
import { createFreeze, deleteFreeze } from "../deploy/freezes";
import { createPromotionRequest } from "../deploy/requests";
import { enqueueDeploy } from "../jobs/queues";
import { defineAction } from "./core";
import { createEnvironmentSchema, createFreezeSchema, environmentParams, freezeParams, promotionSchema, updateEnvironmentSchema } from "./schemas/environments";

/** Environments (issue 15): an app's stages, promotion between them, and freeze windows. */
export const createEnvironmentAction = defineAction({
  name: "environment.create",
  permission: "manageApps",
  input: createEnvironmentSchema,
  async handler(input, ctx) {
    const { appId, ...rest } = input;
    const { app, environment } = await createEnvironment(ctx.tx, appId, rest);
    ctx.audit({ type: "app", id: app.id, name: app.name }, { environment: environment.name, ...rest });
    return { appId, ...environment };
  },
});

export const updateEnvironmentAction = defineAction({
  name: "environment.update",
  permission: "manageApps",
  input: updateEnvironmentSchema,
  async handler(input, ctx) {
    const { appId, name, ...rest } = input;
    const { before, after } = await updateEnvironment(ctx.tx, appId, name, rest);
    ctx.audit({ type: "app", id: appId, name }, { environment: name, before, after });
    return { appId, ...after };
  },
});

export const deleteEnvironmentAction = defineAction({
  name: "environment.delete",
  permission: "manageApps",
  input: environmentParams,
  async handler(input, ctx) {
    const env = await deleteEnvironment(ctx.tx, input.appId, input.name);
    ctx.audit({ type: "app", id: input.appId, name: input.name }, { environment: env.name, servers: env.targets.map((t) => t.server.name) });
    return null;
  },
});

export const startPromotionAction = defineAction({
  name: "promotion.start",
  permission: "deploy",
  input: promotionSchema,
  async handler(input, ctx) {
    const deploy = await createPromotionRequest(ctx.tx, input.appId, input, ctx.principal);
    ctx.audit(
      { type: "deploy", id: deploy.id, name: deploy.app.name },
      { appId: input.appId, from: input.from, to: input.to, commit: deploy.commit, release: deploy.fromRelease.dir, ...(deploy.freezeOverrideReason ? { freezeOverride: deploy.freezeOverrideReason } : {}) },
    );
    return { id: deploy.id, status: deploy.status, appId: input.appId, environment: input.to, commit: deploy.commit };
  },
  afterCommit: (result) => enqueueDeploy(result.id),
});

export const createFreezeAction = defineAction({
  name: "environment.freeze.create",
  permission: "manageApps",
  input: createFreezeSchema,
  async handler(input, ctx) {
    const env = await resolveEnvironment(ctx.tx, input.appId, input.name);
    const freeze = await createFreeze(ctx.tx, env, { startsAt: input.startsAt ? new Date(input.startsAt) : new Date(), endsAt: new Date(input.endsAt), reason: input.reason }, ctx.principal);
    ctx.audit({ type: "app", id: input.appId, name: env.name }, { environment: env.name, freezeId: freeze.id, startsAt: freeze.startsAt, endsAt: freeze.endsAt, reason: freeze.reason, by: principalLabel(ctx.principal) });
    return { environment: env.name, ...freeze, startsAt: freeze.startsAt.toISOString(), endsAt: freeze.endsAt.toISOString(), createdAt: freeze.createdAt.toISOString() };
  },
});

export const deleteFreezeAction = defineAction({
  name: "environment.freeze.delete",
  permission: "manageApps",
  input: freezeParams,
  async handler(input, ctx) {
    const env = await resolveEnvironment(ctx.tx, input.appId, input.name);
    const freeze = await deleteFreeze(ctx.tx, env.id, input.freezeId);
    ctx.audit({ type: "app", id: input.appId, name: env.name }, { environment: env.name, freezeId: freeze.id, reason: freeze.reason });
    return null;
  },
});
