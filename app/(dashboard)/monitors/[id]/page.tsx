import Link from "next/link";
import { notFound } from "next/navigation";
import { LatencyChart } from "@/components/charts/latency-chart";
import { StatusBar } from "@/components/charts/status-bar";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { formatSeconds, formatUptime, uptimeTone } from "@/components/monitors/format";
import { MonitorControls } from "@/components/monitors/monitor-controls";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/empty";
import { formatTime } from "@/components/ui/time";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { chartRangeSchema } from "@/lib/actions/schemas/monitors";
import { CHART_RANGES, getMonitorPage, listMonitorFormOptions } from "@/lib/queries/monitors";
import { deleteMonitor, pauseMonitor, resumeMonitor, updateMonitor } from "../actions";

export const metadata = { title: "Monitor" };

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export default async function MonitorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ range?: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const range = chartRangeSchema.catch("24h").parse((await searchParams).range);
  const data = await getMonitorPage(id, range).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!data) notFound();
  const { monitor, uptime, chart, recentChecks, incidents } = data;
  const admin = can.manageMonitors(user);
  const options = admin ? await listMonitorFormOptions() : null;
  return (
    <>
      <PageHeader
        title={monitor.name}
        description={
          <span>
            <Badge value={monitor.status} /> <span className="font-mono">{monitor.type.toUpperCase()} · {monitor.target}</span> · every {formatSeconds(monitor.intervalSeconds)}
            {monitor.app ? (
              <>
                {" "}· app{" "}
                <Link className="text-indigo-700 underline" href={`/apps/${monitor.app.id}`}>
                  {monitor.app.name}
                </Link>
              </>
            ) : null}
          </span>
        }
        actions={
          <div className="flex items-start gap-4">
            <AutoRefresh seconds={10} />
            {admin ? <MonitorControls monitor={{ id: monitor.id, name: monitor.name, status: monitor.status, isAppHealth: monitor.isAppHealth }} pause={pauseMonitor} resume={resumeMonitor} remove={deleteMonitor} /> : null}
          </div>
        }
      />
      <span hidden data-testid="monitor-status" data-status={monitor.status} />

      <dl className="mb-6 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {uptime.map((u) => (
          <div key={u.window} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={`uptime-${u.window}`}>
            <dt className="text-sm text-slate-500">Uptime {u.window}</dt>
            <dd className={`text-2xl font-semibold tabular-nums ${uptimeTone(u.uptimePercent)}`}>{formatUptime(u.uptimePercent)}</dd>
            <dd className="text-xs text-slate-500">
              {u.checks} checks, {u.failures} failed
            </dd>
          </div>
        ))}
      </dl>

      <section className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <div className="mb-2 flex items-center justify-between">
          <h2 className="font-semibold">Recent checks</h2>
          <span className="text-xs text-slate-500">last {recentChecks.length}, oldest on the left · last check {formatTime(monitor.lastCheckedAt)}</span>
        </div>
        <StatusBar checks={recentChecks} />
      </section>

      <section className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
          <h2 className="font-semibold">
            Latency <span className="text-sm font-normal text-slate-500">p50 (solid) and p95 (dashed) of successful checks, per {chart.bucket}</span>
          </h2>
          <nav aria-label="Chart range" className="flex gap-1">
            {(Object.keys(CHART_RANGES) as (keyof typeof CHART_RANGES)[]).map((r) => (
              <Link
                key={r}
                href={`?range=${r}`}
                scroll={false}
                aria-current={r === range ? "page" : undefined}
                className={`rounded-md px-2.5 py-1 text-sm ${r === range ? "bg-indigo-600 text-white" : "text-slate-600 ring-1 ring-slate-200 hover:bg-slate-50"}`}
              >
                {r}
              </Link>
            ))}
          </nav>
        </div>
        <LatencyChart points={chart.points} markers={chart.markers} from={chart.from} to={chart.to} bucketMs={BUCKET_MS[chart.bucket]} />
        {chart.markers.length ? (
          <ul className="mt-3 space-y-1 text-xs text-slate-600" data-testid="deploy-markers">
            {chart.markers.map((m) => (
              <li key={m.id} data-testid="deploy-marker-item" data-kind={m.kind}>
                <span className={`mr-1 inline-block h-2 w-2 rounded-full ${m.status !== "succeeded" ? "bg-rose-600" : m.kind === "rollback" ? "bg-amber-600" : "bg-indigo-600"}`} />
                {formatTime(m.t)} · {m.kind} {m.status}
                {m.release ? <> · <span className="font-mono">{m.release}</span></> : null}
                {m.commit ? <> · <span className="font-mono">{m.commit.slice(0, 7)}</span></> : null} · by {m.actor}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-3 text-xs text-slate-500">{monitor.app ? "No deploys or rollbacks in this range." : "Link this monitor to an app to see its deploys on the chart."}</p>
        )}
      </section>

      <section className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-3 font-semibold">Incidents</h2>
        {incidents.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="incidents-empty">No down periods recorded.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="incidents">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2 font-medium">Started</th>
                <th className="py-2 font-medium">Ended</th>
                <th className="py-2 font-medium">Duration</th>
                <th className="py-2 font-medium">Cause</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {incidents.map((i) => (
                <tr key={i.id} data-testid="incident-row" data-open={i.endedAt ? "false" : "true"}>
                  <td className="py-2">{formatTime(i.startedAt)}</td>
                  <td className="py-2">{i.endedAt ? formatTime(i.endedAt) : <Badge value="down" label="ongoing" />}</td>
                  <td className="py-2 tabular-nums">{formatSeconds(i.durationSeconds)}</td>
                  <td className="py-2 text-slate-600">{i.cause ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {admin && options ? (
        <section className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 className="mb-4 text-lg font-semibold">Settings</h2>
          <MonitorForm
            action={updateMonitor}
            apps={options.apps}
            servers={options.servers}
            initial={{
              id: monitor.id,
              name: monitor.name,
              type: monitor.type,
              url: monitor.url ?? "",
              method: monitor.method,
              expectedStatus: monitor.expectedStatus,
              keyword: monitor.keyword ?? "",
              host: monitor.host ?? "",
              port: monitor.port ? String(monitor.port) : "",
              serverId: monitor.serverId ?? "",
              command: monitor.command ?? "",
              intervalSeconds: monitor.intervalSeconds,
              timeoutSeconds: monitor.timeoutSeconds,
              retries: monitor.retries,
              appId: monitor.appId ?? "",
              isAppHealth: monitor.isAppHealth,
            }}
          />
        </section>
      ) : null}
    </>
  );
}
