import type { ReleaseRow } from "@/lib/queries/deploys";
import { RollbackButton, type Started } from "../deploy/deploy-controls";
import { Badge } from "../ui/badge";
import { Table } from "../ui/table";
import { formatTime } from "../ui/time";
import type { Action } from "../use-server-action";

/** Every retained release, newest first; any good one that is not live can be rolled back to. */
export function ReleaseTable({ appId, releases, rollback, canDeploy }: { appId: string; releases: ReleaseRow[]; rollback: Action<Started>; canDeploy: boolean }) {
  return (
    <Table
      data-testid="releases"
      rows={releases}
      rowKey={(r) => r.id}
      rowProps={(r) => ({ "data-testid": `release-${r.dir}`, "data-current": r.current ? "true" : "false" })}
      empty="No releases yet: the first deploy creates one."
      columns={[
        { header: "Release", className: "font-mono text-xs", cell: (r) => <>{r.dir} {r.current ? <Badge value="succeeded" label="current" /> : null}</> },
        { header: "Commit", className: "font-mono text-xs", cell: (r) => r.commit.slice(0, 10) },
        { header: "Who", cell: (r) => r.deployedBy ?? "—" },
        { header: "When", cell: (r) => formatTime(r.createdAt) },
        { header: "Status", cell: (r) => <Badge value={r.status} /> },
        {
          header: "",
          align: "right",
          cell: (r) => (r.status === "succeeded" && !r.current ? <RollbackButton appId={appId} releaseId={r.id} label={r.dir} action={rollback} canDeploy={canDeploy} /> : null),
        },
      ]}
    />
  );
}
