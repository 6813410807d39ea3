import Link from "next/link";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { DeployHistory } from "@/components/deploy/deploy-history";
import { MonitorTable } from "@/components/monitors/monitor-table";
import { AppHealthList } from "@/components/overview/app-health";
import { GettingStarted } from "@/components/overview/getting-started";
import { OverviewCountTiles } from "@/components/overview/overview-counts";
import { EmptyState } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listActiveAndRecentDeploys } from "@/lib/queries/deploys";
import { listMonitorOverview } from "@/lib/queries/monitors";
import { getOverviewCounts, listAppOverview } from "@/lib/queries/overview";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const user = await requireUser();
  const [counts, apps, monitors, deploys] = await Promise.all([getOverviewCounts(), listAppOverview(), listMonitorOverview(), listActiveAndRecentDeploys()]);
  const now = Date.now();
  return (
    <>
      <PageHeader title="Overview" description="Everything Deckhand deploys and watches, at a glance." />
      <OverviewCountTiles counts={counts} />
      {counts.apps === 0 ? <GettingStarted canManageServers={can.manageServers(user)} /> : null}
      {apps.length > 0 ? (
        <Section bare size="lg" title="Apps" description="Status, what is live, the last deploy and the last 24 h of each app's health check." className="mt-8">
          <AppHealthList apps={apps} now={now} />
        </Section>
      ) : null}
      <Section bare size="lg" title="Health" actions={<AutoRefresh seconds={5} />} className="mt-8" data-testid="overview-monitors">
        <MonitorTable
          rows={monitors}
          now={now}
          empty={
            <EmptyState title="Nothing is watched yet">
              Every app with a health URL gets a monitor; more are added on{" "}
              <Link className="text-indigo-600 underline" href="/monitors">
                Monitors
              </Link>
              .
            </EmptyState>
          }
        />
      </Section>
      {counts.apps > 0 ? (
        <Section bare size="lg" title={deploys.active > 0 ? `Deploys · ${deploys.active} running` : "Deploys"} description="Running ones first, then the latest across every app." className="mt-8" data-testid="overview-deploys">
          <DeployHistory deploys={deploys.rows} showApp />
        </Section>
      ) : null}
    </>
  );
}
