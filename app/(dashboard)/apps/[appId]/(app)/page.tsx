import { Suspense } from "react";
import { notFound } from "next/navigation";
import { CurrentRelease } from "@/components/apps/current-release";
import { DeployPanel } from "@/components/apps/deploy-panel";
import { DeleteApp } from "@/components/apps/delete-app";
import { EditApp } from "@/components/apps/edit-app";
import { EnvEditor } from "@/components/apps/env-editor";
import { EnvironmentNames } from "@/components/apps/environment-names";
import { EnvironmentsPanel } from "@/components/apps/environments-panel";
import { PushToDeploy } from "@/components/apps/push-to-deploy";
import { ReleaseTable } from "@/components/apps/release-table";
import { DeployHistory } from "@/components/deploy/deploy-history";
import { ReleaseScorecard } from "@/components/monitors/release-scorecard";
import { PageHeader } from "@/components/ui/page-header";
import { PageSkeleton, RowsSkeleton } from "@/components/ui/skeleton";
import { Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { appHealthDefaults, getApp, listServerOptions } from "@/lib/queries/apps";
import { listChannelOptions } from "@/lib/queries/notification-channels";
import { listDeploys, listReleases } from "@/lib/queries/deploys";
import { getReleaseScorecard } from "@/lib/queries/monitors";
import { getPushSettings } from "@/lib/queries/push";
import { environmentFreezesJson, environmentListJson } from "@/lib/queries/environments";
import { webhookUrl } from "@/lib/actions/push";
import { createDeployHook, deleteApp, deleteDeployHook, removeEnvVar, saveWebhook, setEnvVar, startDeploy, startPromotion, startRollback, updateApp } from "../../../actions";
import { createEnvironment, createFreeze, deleteEnvironment, deleteFreeze, updateEnvironment } from "../../../actions-environments";
import { appTitle } from "@/lib/queries/titles";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ appId: string }> }): Promise<Metadata> {
  const { appId } = await params;
  return { title: (await appTitle(appId)) ?? "App" };
}

async function Scorecard({ appId }: { appId: string }) {
  return <ReleaseScorecard rows={await getReleaseScorecard(appId)} />;
}

export default async function AppPage({ params }: { params: Promise<{ appId: string }> }) {
  const user = await requireUser();
  const { appId } = await params;
  const app = await getApp(appId).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!app) notFound();
  const canManage = can.manageApps(user);
  const [releases, deploys, servers, channels, push, environments, freezes] = await Promise.all([
    listReleases(appId),
    listDeploys({ appId }),
    canManage ? listServerOptions() : Promise.resolve([]),
    canManage ? listChannelOptions() : Promise.resolve([]),
    canManage ? getPushSettings(appId) : Promise.resolve(null),
    environmentListJson(appId),
    environmentFreezesJson(appId),
  ]);
  const environmentAdmin = canManage ? { servers, create: createEnvironment, update: updateEnvironment, remove: deleteEnvironment, createFreeze, deleteFreeze } : undefined;
  const canDeploy = can.deploy(user);
  return (
    <>
      <PageHeader
        title={app.name}
        description={
          <span className="font-mono">
            {app.repoUrl} → {app.deployPath}
          </span>
        }
      />
      <div className="mb-6 grid gap-4 lg:grid-cols-3">
        <CurrentRelease app={app} />
        <DeployPanel app={app} start={startDeploy} canDeploy={canDeploy} environments={environments} className="lg:col-span-2" />
      </div>
      <EnvironmentsPanel appId={app.id} environments={environments} freezes={freezes} promote={startPromotion} canDeploy={canDeploy} admin={environmentAdmin} className="mb-6" />
      <Section title="Releases" className="mb-6" id="releases">
        <ReleaseTable appId={app.id} releases={releases} rollback={startRollback} deploy={startDeploy} canDeploy={canDeploy} locked={app.active !== null} />
      </Section>
      <Section title="Release scorecard" className="mb-6">
        {/* Streamed: the current release's figures read its checks, and the rest of the page need not wait. */}
        <Suspense
          fallback={
            <PageSkeleton label="the release scorecard">
              <RowsSkeleton rows={3} />
            </PageSkeleton>
          }
        >
          <Scorecard appId={app.id} />
        </Suspense>
      </Section>
      <Section title="Deploy history" className="mb-6">
        <DeployHistory deploys={deploys} />
      </Section>
      {canManage ? <EnvEditor appId={app.id} names={app.secrets.map((s) => s.name)} setVar={setEnvVar} removeVar={removeEnvVar} className="mb-6" /> : <EnvironmentNames app={app} className="mb-6" />}
      {push ? <PushToDeploy appId={app.id} settings={push} webhookUrl={webhookUrl(app.id)} saveWebhook={saveWebhook} createHook={createDeployHook} removeHook={deleteDeployHook} className="mb-6" /> : null}
      {canManage ? <EditApp app={app} servers={servers} channels={channels} save={updateApp} healthDefaults={appHealthDefaults()} /> : null}
      {canManage ? <DeleteApp app={{ id: app.id, name: app.name, deployPath: app.deployPath, serverNames: app.targets.map((t) => t.server.name) }} remove={deleteApp} locked={app.active !== null} /> : null}
    </>
  );
}
