import Link from "next/link";
import type { ReactNode } from "react";
import type { OverviewRow } from "@/lib/queries/monitors";
import { Sparkline } from "../charts/sparkline";
import { Badge } from "../ui/badge";
import { Table } from "../ui/table";
import { formatTime } from "../ui/time";
import { formatUptime, timeAgo, uptimeTone } from "./format";
import { CertDaysLeft } from "./check-findings";

/** Every monitor at a glance: down ones first (the query sorts), uptime, a latency sparkline, the last check. */
export function MonitorTable({ rows, now, empty }: { rows: OverviewRow[]; now: number; empty: ReactNode }) {
  return (
    <Table
      variant="framed"
      data-testid="monitor-table"
      rows={rows}
      rowKey={(m) => m.id}
      rowProps={(m) => ({
        "data-testid": "monitor-row",
        "data-monitor-id": m.id,
        "data-monitor-name": m.name,
        "data-status": m.status,
        "data-maintenance": m.inMaintenance ? "true" : "false",
        className: m.inMaintenance ? undefined : m.status === "down" ? "bg-rose-50/40" : m.status === "degraded" ? "bg-amber-50/40" : undefined,
      })}
      empty={empty}
      columns={[
        { header: "Status", cellProps: () => ({ "data-testid": "monitor-status" }), cell: (m) => (m.inMaintenance ? <Badge value="maintenance" /> : <Badge value={m.status} />) },
        {
          header: "Monitor",
          className: "max-w-xs",
          cell: (m) => (
            <>
              <Link href={`/monitors/${m.id}`} className="font-medium text-indigo-700 hover:underline">
                {m.name}
              </Link>
              <span className="block truncate text-xs text-slate-500" title={m.target}>
                {m.type.toUpperCase()} · {m.target}
                {m.app ? ` · ${m.app}` : ""}
              </span>
              {m.certDaysLeft !== null ? <CertDaysLeft days={m.certDaysLeft} /> : null}
            </>
          ),
        },
        {
          header: "Uptime 24 h",
          align: "right",
          className: "tabular-nums",
          cellProps: (m) => ({ className: uptimeTone(m.uptime24h), "data-testid": "uptime-24h" }),
          cell: (m) => formatUptime(m.uptime24h),
        },
        {
          header: "Uptime 30 d",
          align: "right",
          className: "tabular-nums",
          cellProps: (m) => ({ className: uptimeTone(m.uptime30d), "data-testid": "uptime-30d" }),
          cell: (m) => formatUptime(m.uptime30d),
        },
        { header: "Latency (last 30 checks)", cell: (m) => <Sparkline points={m.sparkline} /> },
        {
          header: "Last check",
          className: "text-slate-600",
          cellProps: (m) => ({ title: formatTime(m.lastCheckedAt), "data-testid": "last-check" }),
          cell: (m) => timeAgo(m.lastCheckedAt, now),
        },
      ]}
    />
  );
}
