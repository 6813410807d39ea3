import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { EmptyState, PageHeader } from "@/components/ui/empty";
import { formatTime } from "@/components/ui/time";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listApps } from "@/lib/queries/apps";

export const metadata = { title: "Apps" };

export default async function AppsPage() {
  const user = await requireUser();
  const apps = await listApps();
  return (
    <>
      <PageHeader
        title="Apps"
        description="Each app deploys one git repository to its servers, one release folder per deploy."
        actions={can.manageApps(user) ? <Link href="/apps/new" className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">New app</Link> : null}
      />
      {apps.length === 0 ? (
        <EmptyState title="No apps yet">{can.manageApps(user) ? <Link className="text-indigo-600 underline" href="/apps/new">Create the first app</Link> : "An administrator adds apps."}</EmptyState>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {apps.map((a) => (
            <Link key={a.id} href={`/apps/${a.id}`} className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-indigo-300" data-testid={`app-card-${a.name}`}>
              <div className="flex items-center justify-between">
                <p className="font-semibold">{a.name}</p>
                {a.lastDeploy ? <Badge value={a.lastDeploy.status} /> : null}
              </div>
              <p className="mt-1 truncate font-mono text-xs text-slate-500">{a.repoUrl}</p>
              <p className="mt-3 text-sm">
                Current: <span className="font-mono">{a.current ? a.current.commit.slice(0, 10) : "nothing deployed"}</span>
              </p>
              <p className="text-xs text-slate-500">
                {a.targets} server(s), {a.strategy}
                {a.lastDeploy ? ` · last ${a.lastDeploy.kind} ${formatTime(a.lastDeploy.createdAt)} by ${a.lastDeploy.actorLabel}` : ""}
              </p>
            </Link>
          ))}
        </div>
      )}
    </>
  );
}
