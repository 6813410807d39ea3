import { AUDIT_FILTER_KEYS, AuditFilters, type AuditFilterValues } from "@/components/audit/audit-filters";
import { AuditResults } from "@/components/audit/audit-results";
import { ChainStatus } from "@/components/audit/chain-status";
import { AuditExportLinks } from "@/components/audit/export-links";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { auditScope, can } from "@/lib/auth/permissions";
import { auditFilterSchema } from "@/lib/actions/schemas/audit";
import { EXPORT_CAP, getAuditHead, getLastAuditVerification, listAuditActionNames, listAuditActorLabels, listAuditEvents, type AuditPage as AuditEventsPage } from "@/lib/queries/audit";
import { knownAuditActionNames } from "@/lib/actions/names";
import { verifyAuditChainNow } from "./actions";

export const metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireUser();
  const scope = auditScope(user);
  const seesAll = scope.kind === "all";
  const showChain = can.verifyAuditChain(user);
  const params = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const values: AuditFilterValues = Object.fromEntries(AUDIT_FILTER_KEYS.filter((k) => params[k]).map((k) => [k, params[k]!]));
  const parsed = auditFilterSchema.safeParse({ ...params, limit: undefined });
  const problem = parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join(".") || "filter"}: ${i.message}`).join("; ");

  const empty: AuditEventsPage = { events: [], nextCursor: null };
  const [page, actionNames, actorLabels, head, lastVerify] = await Promise.all([
    parsed.success ? listAuditEvents(parsed.data, scope) : Promise.resolve(empty),
    listAuditActionNames(),
    seesAll ? listAuditActorLabels() : Promise.resolve(null),
    showChain ? getAuditHead() : Promise.resolve(null),
    showChain ? getLastAuditVerification() : Promise.resolve(null),
  ]);

  return (
    <>
      <PageHeader
        title="Audit log"
        description={seesAll ? "Every change and every refused attempt, newest first. Append-only in the database and hash-chained." : "Your own actions, newest first. Administrators see everyone's."}
        actions={seesAll ? <AuditExportLinks values={values} cap={EXPORT_CAP} /> : null}
      />
      {head ? <ChainStatus head={head} lastVerify={lastVerify} verify={verifyAuditChainNow} /> : null}
      <AuditFilters values={values} actionNames={[...new Set([...knownAuditActionNames(), ...actionNames])].sort()} actorLabels={actorLabels} />
      <AuditResults page={page} values={values} problem={problem} paged={parsed.success && parsed.data.cursor !== undefined} />
    </>
  );
}
