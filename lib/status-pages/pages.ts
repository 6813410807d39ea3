import type { Db, Tx } from "../db/client";
import { ConflictError, NotFoundError, ValidationError } from "../errors";
import type { CreateStatusPageInput, GroupInput, UpdateStatusPageInput } from "./schemas";

/** A status page as the admin API and the settings page show it: its settings and groups, in order. */
export interface StatusPageView {
  id: string;
  slug: string;
  title: string;
  logoUrl: string | null;
  footer: string | null;
  showTargets: boolean;
  url: string;
  groups: { name: string; monitors: { monitorId: string; name: string; displayName: string | null }[] }[];
  createdAt: string;
  updatedAt: string;
}

const viewInclude = {
  groups: { orderBy: { position: "asc" }, include: { monitors: { orderBy: { position: "asc" }, include: { monitor: { select: { name: true } } } } } },
} as const;

type PageRow = NonNullable<Awaited<ReturnType<typeof findPage>>>;

function findPage(client: Db | Tx, id: string) {
  return client.statusPage.findUnique({ where: { id }, include: viewInclude });
}

function viewOf(p: PageRow): StatusPageView {
  return {
    id: p.id,
    slug: p.slug,
    title: p.title,
    logoUrl: p.logoUrl,
    footer: p.footer,
    showTargets: p.showTargets,
    url: `/status/${p.slug}`,
    groups: p.groups.map((g) => ({ name: g.name, monitors: g.monitors.map((m) => ({ monitorId: m.monitorId, name: m.monitor.name, displayName: m.displayName })) })),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export async function listStatusPages(client: Db | Tx): Promise<StatusPageView[]> {
  const rows = await client.statusPage.findMany({ include: viewInclude, orderBy: { title: "asc" } });
  return rows.map(viewOf);
}

export async function getStatusPage(client: Db | Tx, id: string): Promise<StatusPageView> {
  const p = await findPage(client, id);
  if (!p) throw new NotFoundError("Status page");
  return viewOf(p);
}

async function assertSlugFree(tx: Db | Tx, slug: string, exceptId?: string): Promise<void> {
  const clash = await tx.statusPage.findUnique({ where: { slug }, select: { id: true } });
  if (clash && clash.id !== exceptId) throw new ConflictError(`slug: a status page is already at /status/${slug}`);
}

/** Every monitor the groups name must exist: a typo is named, not dropped. */
async function assertMonitorsExist(tx: Db | Tx, groups: GroupInput[]): Promise<void> {
  const ids = [...new Set(groups.flatMap((g) => g.monitorIds))];
  if (ids.length === 0) return;
  const found = new Set((await tx.monitor.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((m) => m.id));
  groups.forEach((g, gi) =>
    g.monitorIds.forEach((id, mi) => {
      if (!found.has(id)) throw new ValidationError(`groups.${gi}.monitorIds.${mi}: no monitor has the id "${id}"`);
    }),
  );
  groups.forEach((g, gi) => {
    for (const key of Object.keys(g.displayNames ?? {})) {
      if (!g.monitorIds.includes(key)) throw new ValidationError(`groups.${gi}.displayNames: "${key}" is not one of the group's monitorIds`);
    }
  });
}

async function writeGroups(tx: Db | Tx, pageId: string, groups: GroupInput[]): Promise<void> {
  await tx.statusPageGroup.deleteMany({ where: { pageId } });
  for (const [position, g] of groups.entries()) {
    await tx.statusPageGroup.create({
      data: {
        pageId,
        name: g.name,
        position,
        monitors: { create: g.monitorIds.map((monitorId, i) => ({ monitorId, position: i, displayName: g.displayNames?.[monitorId] ?? null })) },
      },
    });
  }
}

export async function createStatusPage(tx: Db | Tx, input: CreateStatusPageInput): Promise<StatusPageView> {
  await assertSlugFree(tx, input.slug);
  await assertMonitorsExist(tx, input.groups);
  const page = await tx.statusPage.create({ data: { slug: input.slug, title: input.title, logoUrl: input.logoUrl ?? null, footer: input.footer ?? null, showTargets: input.showTargets } });
  await writeGroups(tx, page.id, input.groups);
  return getStatusPage(tx, page.id);
}

export async function updateStatusPage(tx: Db | Tx, input: UpdateStatusPageInput): Promise<{ before: StatusPageView; after: StatusPageView }> {
  const before = await getStatusPage(tx, input.id);
  if (input.slug !== undefined) await assertSlugFree(tx, input.slug, input.id);
  if (input.groups) await assertMonitorsExist(tx, input.groups);
  await tx.statusPage.update({
    where: { id: input.id },
    data: { slug: input.slug, title: input.title, logoUrl: input.logoUrl, footer: input.footer, showTargets: input.showTargets, updatedAt: new Date() },
  });
  if (input.groups) await writeGroups(tx, input.id, input.groups);
  return { before, after: await getStatusPage(tx, input.id) };
}

export async function deleteStatusPage(tx: Db | Tx, id: string): Promise<StatusPageView> {
  const before = await getStatusPage(tx, id);
  await tx.statusPage.delete({ where: { id } });
  return before;
}
