import type { RecentCheck } from "@/lib/queries/monitors";
import type { UptimeHour } from "@/lib/queries/overview";
import { formatMs, formatSpan, formatUp, formatWhen } from "./format";

export type CellState = "up" | "degraded" | "down" | "partial" | "deploy" | "none";

export interface StatusCell {
  key: string;
  state: CellState;
  title: string;
}

const CELL_CLASS: Record<CellState, string> = {
  up: "bg-emerald-500",
  degraded: "bg-amber-500",
  down: "bg-rose-500",
  partial: "bg-rose-300",
  deploy: "bg-amber-400",
  none: "bg-slate-100",
};

/** A row of equal cells, oldest on the left, `slots` wide: missing ones on the left are grey padding. */
export function StatusCells({ cells, slots, label, height = "h-8", testId = "status-bar" }: { cells: StatusCell[]; slots: number; label: string; height?: string; testId?: string }) {
  const padding = Math.max(0, slots - cells.length);
  return (
    <div className={`flex ${height} items-stretch gap-px`} data-testid={testId} role="img" aria-label={label}>
      {Array.from({ length: padding }, (_, i) => (
        <span key={`pad-${i}`} className={`flex-1 rounded-sm ${CELL_CLASS.none}`} />
      ))}
      {cells.map((c) => (
        <span key={c.key} data-state={c.state} data-ok={c.state === "up" || c.state === "degraded" ? "true" : c.state === "none" ? undefined : "false"} title={c.title} className={`flex-1 rounded-sm ${CELL_CLASS[c.state]}`} />
      ))}
    </div>
  );
}

/** One bar per recent check, oldest on the left: green up, amber degraded (slow), red down, light amber a failure during a deploy. */
export function StatusBar({ checks, slots = 90 }: { checks: RecentCheck[]; slots?: number }) {
  const cells = checks.map((c) => ({
    key: c.id,
    state: (c.ok ? (c.degraded ? "degraded" : "up") : c.inDeployWindow ? "deploy" : "down") as CellState,
    title: `${formatWhen(c.t)} · ${c.ok ? (c.degraded ? "degraded" : "up") : "down"} · ${formatMs(c.latencyMs)}${c.detail ? ` · ${c.detail}` : ""}${c.inDeployWindow ? " · during a deploy" : ""}`,
  }));
  return <StatusCells cells={cells} slots={slots} label={`${checks.length} recent checks, ${checks.filter((c) => !c.ok).length} failed`} />;
}

/** One bar per hour of the last 24: green all up, light red some failed, red all failed, grey no checks. */
export function UptimeBar({ hours, uptime }: { hours: UptimeHour[]; uptime: number | null }) {
  const cells = hours.map((h) => ({
    key: String(h.t),
    state: (h.checks === 0 ? "none" : h.failures === 0 ? "up" : h.failures === h.checks ? "down" : "partial") as CellState,
    title: `${formatSpan(h.t, h.t + 3_600_000)} · ${h.checks ? `${formatUp(h.checks, h.failures)} · ${h.checks} checks` : "no checks"}`,
  }));
  const label = `last 24 hours by the hour: ${uptime === null ? "no checks yet" : `${uptime} % up`}, ${hours.filter((h) => h.failures > 0).length} hours with failures`;
  return <StatusCells cells={cells} slots={24} label={label} height="h-6" testId="uptime-bar" />;
}
