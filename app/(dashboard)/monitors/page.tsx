import Link from "next/link";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { MonitorForm } from "@/components/monitors/monitor-form";
import { MonitorTable } from "@/components/monitors/monitor-table";
import { EmptyState, PageHeader } from "@/components/ui/empty";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listMonitorFormOptions, listMonitorOverview } from "@/lib/queries/monitors";
import { createMonitor } from "./actions";

export const metadata = { title: "Monitors" };

export default async function MonitorsPage() {
  const user = await requireUser();
  const admin = can.manageMonitors(user);
  const [rows, options] = await Promise.all([listMonitorOverview(), admin ? listMonitorFormOptions() : Promise.resolve({ apps: [], servers: [] })]);
  return (
    <>
      <PageHeader
        title="Monitors"
        description="HTTP, TCP and SSH checks of every app and server, with uptime and latency history."
        actions={
          <div className="flex items-center gap-4">
            <AutoRefresh seconds={10} />
            {admin ? (
              <Link href="/monitors/channels" className="text-sm text-indigo-700 underline">
                Alert channels &amp; network policy
              </Link>
            ) : null}
          </div>
        }
      />
      {rows.length === 0 ? (
        <EmptyState title="No monitors yet">
          {admin ? "Add one below; every app with a health URL gets one automatically." : "An administrator adds monitors; every app with a health URL gets one automatically."}
        </EmptyState>
      ) : (
        <MonitorTable rows={rows} now={Date.now()} />
      )}
      {admin ? (
        <section className="mt-8 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 className="mb-4 text-lg font-semibold">Add a monitor</h2>
          <MonitorForm action={createMonitor} apps={options.apps} servers={options.servers} />
        </section>
      ) : null}
    </>
  );
}
