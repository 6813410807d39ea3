import Link from "next/link";
import type { DeployListRow } from "@/lib/queries/deploys";
import { Badge } from "../ui/badge";
import { CommitSummary } from "./commit-summary";
import { Table, type Column } from "../ui/table";
import { formatDuration } from "../ui/time";
import { LocalTime } from "../ui/local-time";

const appColumn: Column<DeployListRow> = { header: "App", cell: (d) => d.app.name };

export function DeployHistory({ deploys, showApp = false }: { deploys: DeployListRow[]; showApp?: boolean }) {
  return (
    <Table
      data-testid="deploy-history"
      rows={deploys}
      rowKey={(d) => d.id}
      empty="No deploys yet."
      columns={[
        {
          header: "When",
          cell: (d) => (
            <Link className="text-indigo-700 hover:underline" href={`/apps/${d.app.id}/deploys/${d.id}`}>
              <LocalTime ms={d.createdAt} />
            </Link>
          ),
        },
        ...(showApp ? [appColumn] : []),
        { header: "Kind", cell: (d) => d.kind },
        {
          header: "Ref / commit",
          className: "max-w-xs",
          cell: (d) => (
            <>
              {d.ref && d.ref !== d.commit ? <span className="mr-1 font-mono text-xs">{d.ref}</span> : null}
              {d.commitMessage !== null || d.commitAuthor !== null ? (
                <CommitSummary sha={d.commit} message={d.commitMessage} author={d.commitAuthor} committedAt={d.committedAt} />
              ) : (
                <span className="font-mono text-xs">{d.commit ? d.commit.slice(0, 10) : ""}</span>
              )}
            </>
          ),
        },
        { header: "Who", cell: (d) => d.actorLabel },
        {
          header: "Status",
          cell: (d) => (
            <>
              <Badge value={d.status} /> {d.autoRolledBack ? <span className="text-xs text-amber-700">auto-rolled back</span> : null}
              {d.error ? (
                <div className="max-w-md truncate text-xs text-slate-500" title={d.error}>
                  {d.error}
                </div>
              ) : null}
            </>
          ),
        },
        { header: "Took", className: "text-slate-500", cell: (d) => formatDuration(d.createdAt, d.finishedAt) },
      ]}
    />
  );
}
