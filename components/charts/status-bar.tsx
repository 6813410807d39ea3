import type { RecentCheck } from "@/lib/queries/monitors";
import { formatMs, formatWhen } from "./format";

/** One bar per recent check, oldest on the left: green up, red down, amber a failure during a deploy. */
export function StatusBar({ checks, slots = 90 }: { checks: RecentCheck[]; slots?: number }) {
  const padding = Math.max(0, slots - checks.length);
  return (
    <div className="flex h-8 items-stretch gap-px" data-testid="status-bar" aria-label={`${checks.length} recent checks, ${checks.filter((c) => !c.ok).length} failed`}>
      {Array.from({ length: padding }, (_, i) => (
        <span key={`pad-${i}`} className="flex-1 rounded-sm bg-slate-100" />
      ))}
      {checks.map((c) => (
        <span
          key={c.id}
          data-ok={c.ok ? "true" : "false"}
          title={`${formatWhen(c.t)} · ${c.ok ? "up" : "down"} · ${formatMs(c.latencyMs)}${c.detail ? ` · ${c.detail}` : ""}${c.inDeployWindow ? " · during a deploy" : ""}`}
          className={`flex-1 rounded-sm ${c.ok ? "bg-emerald-500" : c.inDeployWindow ? "bg-amber-400" : "bg-rose-500"}`}
        />
      ))}
    </div>
  );
}
