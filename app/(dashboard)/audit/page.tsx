import Link from "next/link";
import { AUDIT_FILTER_KEYS, AuditFilters, filterQuery, type AuditFilterValues } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { ChainStatus } from "@/components/audit/chain-status";
import { EmptyState, PageHeader } from "@/components/ui/empty";
import { ErrorMessage } from "@/components/ui/form";
import { requireUser } from "@/lib/auth/session";
import { auditScope, can } from "@/lib/auth/permissions";
import { auditFilterSchema } from "@/lib/actions/schemas/audit";
import {
  EXPORT_CAP,
  getAuditHead,
  getLastAuditVerification,
  listAuditActionNames,
  listAuditActorLabels,
  listAuditEvents,
  type AuditPage as AuditEventsPage,
} from "@/lib/queries/audit";
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
  const query = filterQuery(values);
  const filtered = query.length > 0;

  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          seesAll
            ? "Every change and every refused attempt, newest first. Append-only in the database and hash-chained."
            : "Your own actions, newest first. Administrators see everyone's."
        }
        actions={
          seesAll ? (
            <div className="flex gap-2 text-sm" title={`Up to ${EXPORT_CAP.toLocaleString("en")} events of the current filter`}>
              <a
                href={`/api/v1/audit/export?${filterQuery(values, { format: "csv" })}`}
                download
                className="rounded-md bg-white px-3 py-2 font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
                data-testid="audit-export-csv"
              >
                Export CSV
              </a>
              <a
                href={`/api/v1/audit/export?${filterQuery(values, { format: "json" })}`}
                download
                className="rounded-md bg-white px-3 py-2 font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
                data-testid="audit-export-json"
              >
                Export JSON
              </a>
            </div>
          ) : null
        }
      />
      {head ? <ChainStatus head={head} lastVerify={lastVerify} verify={verifyAuditChainNow} /> : null}
      <AuditFilters values={values} actionNames={actionNames} actorLabels={actorLabels} />
      {problem ? (
        <div className="mb-4">
          <ErrorMessage>Check the filter: {problem}</ErrorMessage>
        </div>
      ) : null}
      {page.events.length === 0 ? (
        problem ? null : (
          <EmptyState title={filtered ? "No events match this filter" : "No events yet"}>
            {filtered ? <Link className="text-indigo-600 underline" href="/audit">Show everything</Link> : "Sign-ins, changes and refusals show up here as they happen."}
          </EmptyState>
        )
      ) : (
        <AuditTable events={page.events} />
      )}
      <nav aria-label="Audit pages" className="mt-4 flex justify-between text-sm">
        {parsed.success && parsed.data.cursor !== undefined ? (
          <Link href={`/audit${query ? `?${query}` : ""}`} className="text-indigo-600 underline" data-testid="audit-newest">
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {page.nextCursor ? (
          <Link href={`/audit?${filterQuery(values, { cursor: page.nextCursor })}`} className="text-indigo-600 underline" data-testid="audit-older">
            Older →
          </Link>
        ) : null}
      </nav>
    </>
  );
}
