import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { HeartbeatPush } from "@/components/monitors/heartbeat-push";
import { IncidentList } from "@/components/monitors/incident-list";
import { CheckFindings } from "@/components/monitors/check-findings";
import { LatencySection } from "@/components/monitors/latency-section";
import { MonitorControls } from "@/components/monitors/monitor-controls";
import { MonitorSettings } from "@/components/monitors/monitor-settings";
import { MonitorSummary } from "@/components/monitors/monitor-summary";
import { RecentChecks } from "@/components/monitors/recent-checks";
import { UptimeTiles } from "@/components/monitors/uptime-tiles";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { chartRangeSchema } from "@/lib/actions/schemas/monitors";
import { getMonitorIncidentPanel } from "@/lib/queries/incidents";
import { CHART_RANGES, getMonitorPage, listMonitorFormOptions, type ChartRange } from "@/lib/queries/monitors";
import { acknowledgeIncident, addIncidentNote, deleteMonitor, pauseMonitor, resumeMonitor, rotatePushToken, updateMonitor } from "../actions";
import { monitorTitle } from "@/lib/queries/titles";
import type { Metadata } from "next";
import { pushUrlOf } from "@/lib/actions/heartbeat";

const RANGES = Object.keys(CHART_RANGES) as ChartRange[];

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: (await monitorTitle(id)) ?? "Monitor" };
}

export default async function MonitorPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ range?: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const range = chartRangeSchema.catch("24h").parse((await searchParams).range);
  const data = await getMonitorPage(id, range).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!data) notFound();
  const { monitor, uptime, chart, recentChecks, lastCheck } = data;
  const admin = can.manageMonitors(user);
  const [options, panel] = await Promise.all([admin ? listMonitorFormOptions() : null, getMonitorIncidentPanel(monitor, chart)]);
  const onCall = can.deploy(user) ? { acknowledge: acknowledgeIncident, addNote: addIncidentNote } : null;
  const pushUrl = admin && monitor.type === "heartbeat" ? await pushUrlOf(monitor.id) : null;
  return (
    <>
      <PageHeader
        title={monitor.name}
        description={<MonitorSummary monitor={monitor} inMaintenance={panel.inMaintenance} />}
        actions={
          <div className="flex items-start gap-4">
            <AutoRefresh seconds={10} />
            {admin ? <MonitorControls monitor={monitor} pause={pauseMonitor} resume={resumeMonitor} remove={deleteMonitor} /> : null}
          </div>
        }
      />
      <span hidden data-testid="monitor-status" data-status={monitor.status} data-maintenance={panel.inMaintenance ? "true" : "false"} />
      {monitor.type === "heartbeat" ? <HeartbeatPush monitorId={monitor.id} pushUrl={pushUrl} lastBeatAt={monitor.lastBeatAt} rotate={rotatePushToken} /> : null}
      <UptimeTiles uptime={uptime} />
      <CheckFindings monitor={monitor} lastCheck={lastCheck} />
      <RecentChecks checks={recentChecks} lastCheckedAt={monitor.lastCheckedAt} />
      <LatencySection chart={chart} ranges={RANGES} hasApp={monitor.app !== null} maintenance={panel.maintenance} />
      <Section title="Incidents" className="mb-6">
        <IncidentList incidents={panel.incidents} actions={onCall} now={chart.to} />
      </Section>
      {options ? <MonitorSettings monitor={monitor} options={options} save={updateMonitor} /> : null}
    </>
  );
}
