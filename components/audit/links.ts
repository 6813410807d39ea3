import type { AuditEventRow } from "@/lib/queries/audit";

/** The link from a deploy or rollback event to its deploy page (its log is there). */
export function deployLinkFor(event: Pick<AuditEventRow, "targetType" | "targetId" | "summary">): string | null {
  if (event.targetType !== "deploy" || !event.targetId) return null;
  const summary = event.summary;
  const appId = summary && typeof summary === "object" && "appId" in summary ? (summary as { appId: unknown }).appId : null;
  return typeof appId === "string" && appId ? `/apps/${encodeURIComponent(appId)}/deploys/${encodeURIComponent(event.targetId)}` : null;
}
