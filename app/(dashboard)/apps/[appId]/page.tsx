import Link from "next/link";
import { notFound } from "next/navigation";
import { AppForm } from "@/components/deploy/app-form";
import { DeployForm, RollbackButton } from "@/components/deploy/deploy-controls";
import { DeployHistory } from "@/components/deploy/deploy-history";
import { ReleaseScorecard } from "@/components/monitors/release-scorecard";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/empty";
import { formatTime } from "@/components/ui/time";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { getApp, listServerOptions } from "@/lib/queries/apps";
import { listDeploys, listReleases } from "@/lib/queries/deploys";
import { getReleaseScorecard } from "@/lib/queries/monitors";
import { startDeploy, startRollback, updateApp } from "../../actions";

export default async function AppPage({ params }: { params: Promise<{ appId: string }> }) {
  const user = await requireUser();
  const { appId } = await params;
  const app = await getApp(appId).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!app) notFound();
  const [releases, deploys, scorecard, servers] = await Promise.all([
    listReleases(appId),
    listDeploys({ appId }),
    getReleaseScorecard(appId),
    can.manageApps(user) ? listServerOptions() : Promise.resolve([]),
  ]);
  const canDeploy = can.deploy(user);
  return (
    <>
      <PageHeader title={app.name} description={<span className="font-mono">{app.repoUrl} → {app.deployPath}</span>} />
      <div className="mb-6 grid gap-4 lg:grid-cols-3">
        <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="mb-2 font-semibold">Current release</h2>
          {app.current ? (
            <p data-testid="current-release">
              <span className="font-mono">{app.current.dir}</span>
              <br />
              <span className="font-mono text-xs text-slate-500">{app.current.commit}</span>
            </p>
          ) : (
            <p className="text-sm text-slate-500" data-testid="current-release">Nothing deployed yet.</p>
          )}
          <p className="mt-2 text-xs text-slate-500">
            {app.targets.map((t) => t.server.name).join(", ") || "no servers"} · {app.strategy}
            {app.strategy === "rolling" ? ` (batches of ${app.batchSize})` : ""} · keeps {app.keepReleases}
          </p>
        </section>
        <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200 lg:col-span-2">
          <h2 className="mb-2 font-semibold">Deploy</h2>
          {app.active ? (
            <p className="mb-2 text-sm">
              <Badge value={app.active.status} /> {app.active.kind} by {app.active.actorLabel} —{" "}
              <Link className="text-indigo-700 underline" href={`/apps/${app.id}/deploys/${app.active.id}`}>
                watch it
              </Link>
            </p>
          ) : null}
          <DeployForm appId={app.id} action={startDeploy} canDeploy={canDeploy} />
        </section>
      </div>
      <section className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-3 font-semibold">Releases</h2>
        {releases.length === 0 ? (
          <p className="text-sm text-slate-500">No releases yet: the first deploy creates one.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="releases">
            <thead className="text-slate-500">
              <tr>
                <th className="py-2 font-medium">Release</th>
                <th className="py-2 font-medium">Commit</th>
                <th className="py-2 font-medium">Who</th>
                <th className="py-2 font-medium">When</th>
                <th className="py-2 font-medium">Status</th>
                <th className="py-2 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {releases.map((r) => (
                <tr key={r.id} data-testid={`release-${r.dir}`} data-current={r.current ? "true" : "false"}>
                  <td className="py-2 font-mono text-xs">
                    {r.dir} {r.current ? <Badge value="succeeded" label="current" /> : null}
                  </td>
                  <td className="py-2 font-mono text-xs">{r.commit.slice(0, 10)}</td>
                  <td className="py-2">{r.deployedBy ?? "—"}</td>
                  <td className="py-2">{formatTime(r.createdAt)}</td>
                  <td className="py-2">
                    <Badge value={r.status} />
                  </td>
                  <td className="py-2 text-right">
                    {r.status === "succeeded" && !r.current ? <RollbackButton appId={app.id} releaseId={r.id} label={r.dir} action={startRollback} canDeploy={canDeploy} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-3 font-semibold">Release scorecard</h2>
        <ReleaseScorecard rows={scorecard} />
      </section>
      <section className="mb-6 rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-3 font-semibold">Deploy history</h2>
        <DeployHistory deploys={deploys} />
      </section>
      {can.manageApps(user) ? (
        <details className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <summary className="cursor-pointer font-semibold">Edit app</summary>
          <div className="mt-4">
            <AppForm
              action={updateApp}
              servers={servers}
              initial={{ ...app, appId: app.id, serverIds: app.targets.map((t) => t.server.id), secretNames: app.secrets.map((s) => s.name) }}
            />
          </div>
        </details>
      ) : null}
    </>
  );
}
