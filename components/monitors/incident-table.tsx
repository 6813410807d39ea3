import type { MonitorPageData } from "@/lib/queries/monitors";
import { Badge } from "../ui/badge";
import { EmptyLine } from "../ui/empty";
import { Table } from "../ui/table";
import { LocalTime } from "../ui/local-time";
import { formatSeconds } from "./format";

/** The monitor's down periods, newest first; an open one is "ongoing". */
export function IncidentTable({ incidents }: { incidents: MonitorPageData["incidents"] }) {
  return (
    <Table
      data-testid="incidents"
      rows={incidents}
      rowKey={(i) => i.id}
      rowProps={(i) => ({ "data-testid": "incident-row", "data-open": i.endedAt ? "false" : "true" })}
      empty={<EmptyLine data-testid="incidents-empty">No down periods recorded.</EmptyLine>}
      columns={[
        { header: "Started", cell: (i) => <LocalTime ms={i.startedAt} /> },
        { header: "Ended", cell: (i) => (i.endedAt ? <LocalTime ms={i.endedAt} /> : <Badge value="down" label="ongoing" />) },
        { header: "Duration", className: "tabular-nums", cell: (i) => formatSeconds(i.durationSeconds) },
        { header: "Cause", className: "text-slate-600", cell: (i) => i.cause ?? "—" },
      ]}
    />
  );
}
