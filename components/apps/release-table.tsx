import type { ReleaseRow } from "@/lib/queries/deploys";
import { CommitSummary } from "../deploy/commit-summary";
import { ReleaseActions, type Started } from "../deploy/deploy-controls";
import { Badge } from "../ui/badge";
import { Table } from "../ui/table";
import { LocalTime } from "../ui/local-time";
import type { Action } from "../use-server-action";

/** Every retained release, newest first; any good one that is not live can be rolled back to, any one redeployed. */
export function ReleaseTable({
  appId,
  releases,
  rollback,
  deploy,
  canDeploy,
  locked,
}: {
  appId: string;
  releases: ReleaseRow[];
  rollback: Action<Started>;
  deploy: Action<Started>;
  canDeploy: boolean;
  /** A deploy or rollback holds the app's lock: nothing else can start. */
  locked: boolean;
}) {
  return (
    <Table
      data-testid="releases"
      rows={releases}
      rowKey={(r) => r.id}
      rowProps={(r) => ({ "data-testid": `release-${r.dir}`, "data-current": r.current ? "true" : "false" })}
      empty="No releases yet: the first deploy creates one."
      columns={[
        {
          header: "Release",
          className: "font-mono text-xs",
          cell: (r) => (
            <>
              {r.dir} {r.current ? <Badge value="succeeded" label="current" /> : null}
            </>
          ),
        },
        { header: "Commit", className: "max-w-xs", cell: (r) => <CommitSummary sha={r.commit} message={r.commitMessage} author={r.commitAuthor} committedAt={r.committedAt} /> },
        { header: "Who", cell: (r) => r.deployedBy ?? "—" },
        { header: "When", cell: (r) => <LocalTime ms={r.createdAt} /> },
        { header: "Status", cell: (r) => <Badge value={r.status} /> },
        {
          header: "",
          align: "right",
          cell: (r) => <ReleaseActions appId={appId} release={r} rollback={rollback} deploy={deploy} canDeploy={canDeploy} locked={locked} />,
        },
      ]}
    />
  );
}
