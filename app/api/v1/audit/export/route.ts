import { apiQuery } from "@/lib/actions/api";
import { exportAuditRead } from "@/lib/actions/reads";
import { auditScope } from "@/lib/auth/permissions";
import { EXPORT_CAP, streamAuditExport } from "@/lib/queries/audit";

export const dynamic = "force-dynamic";

/** GET /api/v1/audit/export?format=csv|json&<the audit filter>: the events the search would show the same principal, as a download, newest first. */
export const GET = apiQuery({
  ...exportAuditRead,
  async handler({ format, ...filter }, principal) {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19);
    return new Response(streamAuditExport(filter, auditScope(principal), format), {
      headers: {
        "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="deckhand-audit-${stamp}.${format}"`,
        "cache-control": "no-store",
        "x-deckhand-export-cap": String(EXPORT_CAP),
      },
    });
  },
});
