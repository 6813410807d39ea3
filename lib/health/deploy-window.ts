import { Prisma } from "../generated/prisma/client";
import { db, type Db, type Tx } from "../db/client";

/**
 * A deploy's restart blips the app: its monitors keep recording but neither count failures nor alert
 * while a deploy of the app is queued or running, and for this long after it finished.
 */
export const DEPLOY_GRACE_SECONDS = 30;

/** SQL: the release that was `current` for the app at the given time (the check's start). */
export function currentReleaseSql(appId: Prisma.Sql, at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`coalesce(
    (SELECT d."releaseId" FROM "Deploy" d
      WHERE d."appId" = ${appId} AND d.status = 'succeeded' AND d."releaseId" IS NOT NULL AND d."finishedAt" <= ${at}
      ORDER BY d."finishedAt" DESC LIMIT 1),
    (SELECT r.id FROM "Release" r
      WHERE r."appId" = ${appId} AND r.status = 'succeeded' AND r."createdAt" <= ${at}
      ORDER BY r."createdAt" DESC LIMIT 1))`;
}

/** SQL: whether the app was inside a deploy window at the given time. */
export function inDeployWindowSql(appId: Prisma.Sql, at: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "Deploy" d
    WHERE d."appId" = ${appId}
      AND (d.status IN ('queued', 'running')
        OR (d."finishedAt" IS NOT NULL AND d.status NOT IN ('rejected', 'expired') AND d."finishedAt" > ${at} - make_interval(secs => ${DEPLOY_GRACE_SECONDS})
            AND coalesce(d."startedAt", d."createdAt") <= ${at})))`;
}

/**
 * The release that was live for an app at a moment: the one switched to by the latest successful deploy or
 * rollback that finished by then (or, with no deploy rows, the newest succeeded release created by then).
 */
export async function currentReleaseIdForApp(appId: string, at: Date = new Date(), client: Db | Tx = db()): Promise<string | null> {
  const rows = await client.$queryRaw<{ id: string | null }[]>`SELECT ${currentReleaseSql(Prisma.sql`${appId}`, Prisma.sql`${at}::timestamp`)} AS id`;
  return rows[0]?.id ?? null;
}

export async function isAppInDeployWindow(appId: string, at: Date = new Date(), client: Db | Tx = db()): Promise<boolean> {
  const rows = await client.$queryRaw<{ yes: boolean }[]>`SELECT ${inDeployWindowSql(Prisma.sql`${appId}`, Prisma.sql`${at}::timestamp`)} AS yes`;
  return rows[0]?.yes ?? false;
}
