import Link from "next/link";
import type { AuditPage } from "@/lib/queries/audit";
import { EmptyState } from "../ui/empty";
import { ErrorMessage } from "../ui/form";
import { filterQuery, type AuditFilterValues } from "./audit-filters";
import { AuditTable } from "./audit-table";

/**
 * One page of events under the filter: what is wrong with the filter if it does not parse, the table or
 * why it is empty, and links to the newest and to older events.
 */
export function AuditResults({ page, values, problem, paged }: { page: AuditPage; values: AuditFilterValues; problem: string | null; paged: boolean }) {
  const query = filterQuery(values);
  return (
    <>
      {problem ? (
        <div className="mb-4">
          <ErrorMessage>Check the filter: {problem}</ErrorMessage>
        </div>
      ) : null}
      <AuditTable
        events={page.events}
        empty={
          problem ? null : (
            <EmptyState title={query ? "No events match this filter" : "No events yet"}>
              {query ? (
                <Link className="text-indigo-600 underline" href="/audit">
                  Show everything
                </Link>
              ) : (
                "Sign-ins, changes and refusals show up here as they happen."
              )}
            </EmptyState>
          )
        }
      />
      <nav aria-label="Audit pages" className="mt-4 flex justify-between text-sm">
        {paged ? (
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
