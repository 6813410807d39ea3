import { principalLabel } from "../auth/roles";
import { createIncident, deleteIncident, updateIncident } from "../status-pages/incidents";
import { createStatusPage, deleteStatusPage, updateStatusPage, type StatusPageView } from "../status-pages/pages";
import { forgetPublicStatus } from "../status-pages/public";
import { createIncidentSchema, createStatusPageSchema, incidentIdSchema, statusPageIdSchema, updateIncidentSchema, updateStatusPageSchema } from "../status-pages/schemas";
import { defineAction } from "./core";

/** What the audit event keeps of a page (a data: logo only as its length). */
function auditView(p: StatusPageView) {
  return {
    slug: p.slug,
    title: p.title,
    logoUrl: p.logoUrl && p.logoUrl.startsWith("data:") ? `data: URL, ${p.logoUrl.length} characters` : p.logoUrl,
    footer: p.footer,
    showTargets: p.showTargets,
    groups: p.groups.map((g) => ({ name: g.name, monitorIds: g.monitors.map((m) => m.monitorId) })),
  };
}

export const createStatusPageAction = defineAction({
  name: "status_page.create",
  permission: "manageMonitors",
  input: createStatusPageSchema,
  async handler(input, ctx) {
    const page = await createStatusPage(ctx.tx, input);
    ctx.audit({ type: "status_page", id: page.id, name: page.slug }, auditView(page));
    return page;
  },
  afterCommit: async (page) => forgetPublicStatus(page.slug),
});

export const updateStatusPageAction = defineAction({
  name: "status_page.update",
  permission: "manageMonitors",
  input: updateStatusPageSchema,
  async handler(input, ctx) {
    const { before, after } = await updateStatusPage(ctx.tx, input);
    ctx.audit({ type: "status_page", id: after.id, name: after.slug }, { before: auditView(before), after: auditView(after) });
    return { ...after, previousSlug: before.slug };
  },
  afterCommit: async (page) => forgetPublicStatus(page.slug, page.previousSlug),
});

export const deleteStatusPageAction = defineAction({
  name: "status_page.delete",
  permission: "manageMonitors",
  input: statusPageIdSchema,
  async handler({ id }, ctx) {
    const before = await deleteStatusPage(ctx.tx, id);
    ctx.audit({ type: "status_page", id, name: before.slug }, { title: before.title });
    return { id, slug: before.slug, deleted: true as const };
  },
  afterCommit: async (r) => forgetPublicStatus(r.slug),
});

export const createIncidentAction = defineAction({
  name: "status_page.incident.create",
  permission: "manageMonitors",
  input: createIncidentSchema,
  async handler(input, ctx) {
    const { page, incident } = await createIncident(ctx.tx, input, principalLabel(ctx.principal));
    ctx.audit({ type: "status_page", id: page.id, name: page.slug }, { incidentId: incident.id, title: incident.title, state: incident.state, body: input.body });
    return { ...incident, slug: page.slug };
  },
  afterCommit: async (r) => forgetPublicStatus(r.slug),
});

export const updateIncidentAction = defineAction({
  name: "status_page.incident.update",
  permission: "manageMonitors",
  input: updateIncidentSchema,
  async handler(input, ctx) {
    const { page, incident, before } = await updateIncident(ctx.tx, input, principalLabel(ctx.principal));
    ctx.audit({ type: "status_page", id: page.id, name: page.slug }, { incidentId: incident.id, title: input.title, state: { before, after: incident.state }, body: input.body });
    return { ...incident, slug: page.slug };
  },
  afterCommit: async (r) => forgetPublicStatus(r.slug),
});

export const deleteIncidentAction = defineAction({
  name: "status_page.incident.delete",
  permission: "manageMonitors",
  input: incidentIdSchema,
  async handler({ id, incidentId }, ctx) {
    const { page, title } = await deleteIncident(ctx.tx, id, incidentId);
    ctx.audit({ type: "status_page", id: page.id, name: page.slug }, { incidentId, title });
    return { id: incidentId, slug: page.slug, deleted: true as const };
  },
  afterCommit: async (r) => forgetPublicStatus(r.slug),
});
