import Link from "next/link";
import type { AppOverviewRow } from "@/lib/queries/overview";
import { UptimeBar } from "../charts/status-bar";
import { formatUptime, timeAgo, uptimeTone } from "../monitors/format";
import { Badge } from "../ui/badge";
import { Card } from "../ui/card";
import { formatTime } from "../ui/time";

/** What the app's status is: a running deploy, else its health monitor's status, else its last deploy's. */
function appStatus(a: AppOverviewRow): { value: string; label: string } {
  if (a.lastDeploy && (a.lastDeploy.status === "running" || a.lastDeploy.status === "queued")) return { value: "running", label: `${a.lastDeploy.kind} ${a.lastDeploy.status}` };
  if (a.health?.inMaintenance) return { value: "maintenance", label: "maintenance" };
  if (a.health) return { value: a.health.status, label: a.health.status };
  if (a.lastDeploy) return { value: a.lastDeploy.status, label: `last deploy ${a.lastDeploy.status}` };
  return { value: "pending", label: "never deployed" };
}

/** One card per app: status, what is live, the last deploy, and a 24 h uptime bar from its health monitor. */
export function AppHealthList({ apps, now }: { apps: AppOverviewRow[]; now: number }) {
  return (
    <ul className="grid gap-4 lg:grid-cols-2" data-testid="overview-apps">
      {apps.map((a) => {
        const status = appStatus(a);
        return (
          <Card as="li" padding="sm" key={a.id} data-testid="overview-app" data-app-name={a.name} data-status={status.value}>
            <div className="flex min-w-0 items-center justify-between gap-2">
              <Link href={`/apps/${a.id}`} className="truncate font-semibold text-indigo-700 hover:underline">
                {a.name}
              </Link>
              <Badge value={status.value} label={status.label} />
            </div>
            <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-500">Current</dt>
              <dd className="truncate" data-testid="overview-app-release">
                {a.current ? (
                  <>
                    <span className="font-mono">{a.current.dir}</span> <span className="font-mono text-xs text-slate-500">{a.current.commit.slice(0, 7)}</span>
                  </>
                ) : (
                  <span className="text-slate-500">nothing deployed yet</span>
                )}
              </dd>
              <dt className="text-slate-500">Last deploy</dt>
              <dd className="truncate" data-testid="overview-app-last-deploy" title={a.lastDeploy ? formatTime(a.lastDeploy.createdAt) : undefined}>
                {a.lastDeploy ? (
                  <Link href={`/apps/${a.id}/deploys/${a.lastDeploy.id}`} className="hover:underline">
                    {a.lastDeploy.kind} {a.lastDeploy.status} · {timeAgo(a.lastDeploy.createdAt, now)} · by {a.lastDeploy.actorLabel}
                  </Link>
                ) : (
                  <span className="text-slate-500">none yet</span>
                )}
              </dd>
            </dl>
            <div className="mt-3">
              {a.health ? (
                <>
                  <div className="mb-1 flex items-baseline justify-between text-xs text-slate-500">
                    <Link href={`/monitors/${a.health.monitorId}`} className="hover:underline">
                      Uptime, last 24 h
                    </Link>
                    <span className={`font-medium ${uptimeTone(a.health.uptime24h)}`} data-testid="overview-app-uptime">
                      {formatUptime(a.health.uptime24h)}
                    </span>
                  </div>
                  <UptimeBar hours={a.health.hours} uptime={a.health.uptime24h} />
                  <div className="mt-0.5 flex justify-between text-[11px] text-slate-400" aria-hidden>
                    <span>24 h ago</span>
                    <span>now</span>
                  </div>
                </>
              ) : (
                <p className="text-xs text-slate-500" data-testid="overview-app-no-monitor">
                  No health URL: give the app one and its 24 h uptime shows here.
                </p>
              )}
            </div>
          </Card>
        );
      })}
    </ul>
  );
}
