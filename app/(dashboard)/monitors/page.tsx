import Link from "next/link";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { MonitorTable } from "@/components/monitors/monitor-table";
import { EmptyState } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listMonitorFormOptions, listMonitorOverview } from "@/lib/queries/monitors";
import { createMonitor } from "./actions";

export const metadata = { title: "Monitors" };

export default async function MonitorsPage() {
  const user = await requireUser();
  const admin = can.manageMonitors(user);
  const [rows, options] = await Promise.all([listMonitorOverview(), admin ? listMonitorFormOptions() : Promise.resolve({ apps: [], servers: [], channels: [], monitors: [] })]);
  return (
    <>
      <PageHeader
        title="Monitors"
        description="HTTP, TCP and SSH checks of every app and server, with uptime and latency history."
        actions={
          <div className="flex items-center gap-4">
            <AutoRefresh seconds={10} />
            <Link href="/incidents" className="text-sm text-indigo-700 underline">
              Incidents
            </Link>
            {admin ? (
              <Link href="/settings/maintenance" className="text-sm text-indigo-700 underline">
                Maintenance
              </Link>
            ) : null}
            {admin ? (
              <Link href="/settings/alerts" className="text-sm text-indigo-700 underline">
                Alert channels &amp; network policy
              </Link>
            ) : null}
          </div>
        }
      />
      <MonitorTable
        rows={rows}
        now={Date.now()}
        empty={<EmptyState title="No monitors yet">{admin ? "Add one below; every app with a health URL gets one automatically." : "An administrator adds monitors; every app with a health URL gets one automatically."}</EmptyState>}
      />
      {admin ? (
        <Section title="Add a monitor" size="lg" className="mt-8">
          <MonitorForm action={createMonitor} apps={options.apps} servers={options.servers} channels={options.channels} monitors={options.monitors} />
        </Section>
      ) : null}
    </>
  );
}
