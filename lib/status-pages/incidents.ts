import type { Db, Prisma, Tx } from "../db/client";
import { NotFoundError } from "../errors";
import type { CreateIncidentInput, IncidentState, UpdateIncidentInput } from "./schemas";

export interface IncidentUpdateView {
  state: IncidentState;
  body: string;
  /** ISO 8601, like every time the API answers. */
  at: string;
}

/** An incident as the public sees it: no authors, updates newest first. */
export interface IncidentView {
  id: string;
  title: string;
  state: IncidentState;
  createdAt: string;
  resolvedAt: string | null;
  updates: IncidentUpdateView[];
}

/** How far back a page's incident history goes (open incidents are shown however old). */
export const INCIDENT_HISTORY_DAYS = 90;
const MAX_INCIDENTS = 50;

const withUpdates = {
  updates: { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], select: { state: true, body: true, createdAt: true } },
} satisfies Prisma.StatusIncidentInclude;

function viewOf(i: { id: string; title: string; state: IncidentState; createdAt: Date; resolvedAt: Date | null; updates: { state: IncidentState; body: string; createdAt: Date }[] }): IncidentView {
  return {
    id: i.id,
    title: i.title,
    state: i.state,
    createdAt: i.createdAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    updates: i.updates.map((u) => ({ state: u.state, body: u.body, at: u.createdAt.toISOString() })),
  };
}

/** The page's open incidents and those of the last 90 days, newest first. */
export async function listIncidents(client: Db | Tx, pageId: string, now = new Date()): Promise<IncidentView[]> {
  const since = new Date(now.getTime() - INCIDENT_HISTORY_DAYS * 86_400_000);
  const rows = await client.statusIncident.findMany({
    where: { pageId, OR: [{ resolvedAt: null }, { createdAt: { gte: since } }] },
    include: withUpdates,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_INCIDENTS,
  });
  return rows.map(viewOf);
}

async function pageOf(tx: Db | Tx, id: string): Promise<{ id: string; slug: string; title: string }> {
  const page = await tx.statusPage.findUnique({ where: { id }, select: { id: true, slug: true, title: true } });
  if (!page) throw new NotFoundError("Status page");
  return page;
}

async function incidentView(tx: Db | Tx, incidentId: string): Promise<IncidentView> {
  return viewOf(await tx.statusIncident.findUniqueOrThrow({ where: { id: incidentId }, include: withUpdates }));
}

export async function createIncident(tx: Db | Tx, input: CreateIncidentInput, author: string): Promise<{ page: { id: string; slug: string }; incident: IncidentView }> {
  const page = await pageOf(tx, input.id);
  const now = new Date();
  const incident = await tx.statusIncident.create({
    data: { pageId: page.id, title: input.title, state: input.state, createdAt: now, resolvedAt: input.state === "resolved" ? now : null, updates: { create: { state: input.state, body: input.body, author, createdAt: now } } },
  });
  return { page, incident: await incidentView(tx, incident.id) };
}

/** A new title and/or an update appended (its state becomes the incident's; resolved stamps resolvedAt). */
export async function updateIncident(tx: Db | Tx, input: UpdateIncidentInput, author: string): Promise<{ page: { id: string; slug: string }; incident: IncidentView; before: IncidentState }> {
  const page = await pageOf(tx, input.id);
  const current = await tx.statusIncident.findFirst({ where: { id: input.incidentId, pageId: page.id }, select: { id: true, state: true, resolvedAt: true } });
  if (!current) throw new NotFoundError("Incident");
  const now = new Date();
  const state = input.state ?? current.state;
  if (input.body !== undefined) await tx.statusIncidentUpdate.create({ data: { incidentId: current.id, state, body: input.body, author, createdAt: now } });
  await tx.statusIncident.update({
    where: { id: current.id },
    data: { title: input.title, state, resolvedAt: state === "resolved" ? (current.resolvedAt ?? now) : null },
  });
  return { page, incident: await incidentView(tx, current.id), before: current.state };
}

export async function deleteIncident(tx: Db | Tx, pageId: string, incidentId: string): Promise<{ page: { id: string; slug: string }; title: string }> {
  const page = await pageOf(tx, pageId);
  const current = await tx.statusIncident.findFirst({ where: { id: incidentId, pageId }, select: { id: true, title: true } });
  if (!current) throw new NotFoundError("Incident");
  await tx.statusIncident.delete({ where: { id: current.id } });
  return { page, title: current.title };
}
