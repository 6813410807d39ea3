import type { PublicStatus } from "@/lib/queries/status-pages";
import { Badge } from "@/components/ui/badge";
import { StatusCells, type CellState } from "@/components/charts/status-bar";
import { formatSpan, formatUp } from "@/components/charts/format";

type PublicMonitor = PublicStatus["groups"][number]["monitors"][number];

/** One monitor: its name, status, 90-day uptime, and one cell per day (oldest left). */
export function MonitorRow({ monitor: m }: { monitor: PublicMonitor }) {
  const cells = m.days.map((d) => ({
    key: String(d.t),
    state: (d.checks === 0 ? "none" : d.failures === 0 ? "up" : d.failures === d.checks ? "down" : "partial") as CellState,
    title: `${formatSpan(d.t, d.t + 86_400_000)} · ${d.checks ? `${formatUp(d.checks, d.failures)} · ${d.checks} checks` : "no checks"}`,
  }));
  const badDays = m.days.filter((d) => d.failures > 0).length;
  const label = `${m.name}, last 90 days by the day: ${m.uptime90d === null ? "no checks yet" : `${m.uptime90d} % up`}, ${badDays} days with failures`;
  return (
    <li className="space-y-2" data-testid="status-monitor">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div className="min-w-0">
          <p className="break-words font-medium">{m.name}</p>
          {m.target ? <p className="break-all font-mono text-xs text-slate-500">{m.target}</p> : null}
        </div>
        <div className="flex items-center gap-2 text-sm">
          <span className="text-slate-600">{m.uptime90d === null ? "no checks yet" : `${m.uptime90d.toFixed(2)} % up`}</span>
          <Badge value={m.status} />
        </div>
      </div>
      <StatusCells cells={cells} slots={90} label={label} height="h-8" testId="uptime-days" />
      <div className="flex justify-between text-xs text-slate-500" aria-hidden="true">
        <span>90 days ago</span>
        <span>Today</span>
      </div>
    </li>
  );
}
