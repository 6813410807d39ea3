import { apiQuery } from "@/lib/actions/api";
import { listAuditRead } from "@/lib/actions/reads";
import { iso } from "@/lib/actions/wire";
import { auditScope } from "@/lib/auth/permissions";
import { listAuditEvents } from "@/lib/queries/audit";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit?actor=&action=&target=&outcome=&from=&to=&q=&cursor=&limit=, newest first: every event for an admin, only their own for a signed-in user (see viewAudit). */
export const GET = apiQuery({
  ...listAuditRead,
  async handler(filter, principal) {
    const page = await listAuditEvents(filter, auditScope(principal));
    return {
      events: page.events.map((e) => ({
        id: e.id,
        at: iso(e.at),
        actor: e.actorLabel,
        actorType: e.actorType,
        actorId: e.actorId,
        actorRole: e.actorRole,
        action: e.action,
        target: { type: e.targetType, id: e.targetId, name: e.targetName },
        outcome: e.outcome,
        ip: e.ip,
        // What the event recorded (before/after, counts, the error of a failure), as hashed into the chain.
        details: e.summary ?? null,
        hash: e.hash,
      })),
      nextCursor: page.nextCursor,
    };
  },
});
