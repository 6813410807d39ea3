import Link from "next/link";
import type { OverviewRow } from "@/lib/queries/monitors";
import { Sparkline } from "../charts/sparkline";
import { Badge } from "../ui/badge";
import { formatTime } from "../ui/time";
import { formatUptime, timeAgo, uptimeTone } from "./format";

/** Every monitor at a glance: down ones first (the query sorts), uptime, a latency sparkline, the last check. */
export function MonitorTable({ rows, now }: { rows: OverviewRow[]; now: number }) {
  return (
    <div className="overflow-x-auto rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="w-full text-left text-sm" data-testid="monitor-table">
        <thead className="border-b border-slate-100 text-slate-500">
          <tr>
            <th className="px-4 py-2 font-medium">Status</th>
            <th className="px-4 py-2 font-medium">Monitor</th>
            <th className="px-4 py-2 text-right font-medium">Uptime 24 h</th>
            <th className="px-4 py-2 text-right font-medium">Uptime 30 d</th>
            <th className="px-4 py-2 font-medium">Latency (last 30 checks)</th>
            <th className="px-4 py-2 font-medium">Last check</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((m) => (
            <tr key={m.id} data-testid="monitor-row" data-monitor-id={m.id} data-monitor-name={m.name} data-status={m.status} className={m.status === "down" ? "bg-rose-50/40" : undefined}>
              <td className="px-4 py-2" data-testid="monitor-status">
                <Badge value={m.status} />
              </td>
              <td className="max-w-xs px-4 py-2">
                <Link href={`/monitors/${m.id}`} className="font-medium text-indigo-700 hover:underline">
                  {m.name}
                </Link>
                <span className="block truncate text-xs text-slate-500" title={m.target}>
                  {m.type.toUpperCase()} · {m.target}
                  {m.app ? ` · ${m.app}` : ""}
                </span>
              </td>
              <td className={`px-4 py-2 text-right tabular-nums ${uptimeTone(m.uptime24h)}`} data-testid="uptime-24h">
                {formatUptime(m.uptime24h)}
              </td>
              <td className={`px-4 py-2 text-right tabular-nums ${uptimeTone(m.uptime30d)}`} data-testid="uptime-30d">
                {formatUptime(m.uptime30d)}
              </td>
              <td className="px-4 py-2">
                <Sparkline points={m.sparkline} />
              </td>
              <td className="px-4 py-2 text-slate-600" title={formatTime(m.lastCheckedAt)} data-testid="last-check">
                {timeAgo(m.lastCheckedAt, now)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
