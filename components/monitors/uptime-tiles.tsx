import type { UptimeFigure } from "@/lib/queries/monitors";
import { Card } from "../ui/card";
import { formatUptime, uptimeTone } from "./format";

/** One tile per uptime window (24 h, 7 d, 30 d, 90 d). */
export function UptimeTiles({ uptime }: { uptime: UptimeFigure[] }) {
  return (
    <dl className="mb-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
      {uptime.map((u) => (
        <Card key={u.window} padding="sm" data-testid={`uptime-${u.window}`}>
          <dt className="text-sm text-slate-500">Uptime {u.window}</dt>
          <dd className={`text-2xl font-semibold tabular-nums ${uptimeTone(u.uptimePercent)}`}>{formatUptime(u.uptimePercent)}</dd>
          <dd className="text-xs text-slate-500">
            {u.checks} checks, {u.failures} failed
          </dd>
        </Card>
      ))}
    </dl>
  );
}
