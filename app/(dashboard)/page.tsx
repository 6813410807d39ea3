import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/ui/empty";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getOverviewCounts } from "@/lib/queries/overview";
import { listMonitorOverview } from "@/lib/queries/monitors";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { MonitorTable } from "@/components/monitors/monitor-table";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requireUser();
  const [counts, monitors] = await Promise.all([getOverviewCounts(), listMonitorOverview()]);
  const stats = [
    { label: "Apps", value: counts.apps, href: "/apps" },
    { label: "Servers", value: counts.servers, href: "/servers" },
    { label: "Monitors", value: counts.monitors, href: "/monitors" },
    { label: "Deploys", value: counts.deploys, href: "/apps" },
  ];
  return (
    <>
      <PageHeader title="Overview" description="Everything Deckhand deploys and watches, at a glance." />
      <dl className="mb-8 grid grid-cols-2 gap-4 sm:grid-cols-4">
        {stats.map((s) => (
          <Link key={s.label} href={s.href} className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300">
            <dt className="text-sm text-slate-500">{s.label}</dt>
            <dd className="text-2xl font-semibold">{s.value}</dd>
          </Link>
        ))}
      </dl>
      {counts.apps === 0 ? (
        <EmptyState title="Nothing deployed yet">
          {can.manageServers(user) ? (
            <>
              Start by <Link className="text-indigo-600 underline" href="/servers">adding a server</Link>, then{" "}
              <Link className="text-indigo-600 underline" href="/apps">an app</Link> to deploy to it.
            </>
          ) : (
            "An administrator adds servers and apps; they will show up here."
          )}
        </EmptyState>
      ) : null}
      <section className="mt-8" data-testid="overview-monitors">
        <div className="mb-3 flex items-center justify-between">
          <h2 className="text-lg font-semibold">Health</h2>
          <AutoRefresh seconds={5} />
        </div>
        {monitors.length ? (
          <MonitorTable rows={monitors} now={Date.now()} />
        ) : (
          <EmptyState title="Nothing is watched yet">
            Every app with a health URL gets a monitor; more are added on <Link className="text-indigo-600 underline" href="/monitors">Monitors</Link>.
          </EmptyState>
        )}
      </section>
    </>
  );
}
