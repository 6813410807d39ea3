import Link from "next/link";
import { notFound } from "next/navigation";
import { ApprovalControls } from "@/components/deploy/approval-controls";
import { DeployLive } from "@/components/deploy/deploy-live";
import { DeployIncidents } from "@/components/deploy/deploy-verdict";
import { incidentsAfterDeploy } from "@/lib/queries/deploy-incidents";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { getDeploy, isOwnDeployRequest, listDeployLogAfter } from "@/lib/queries/deploys";
import { approveDeploy, cancelDeploy, rejectDeploy } from "../../../../actions";
import { deployTitle } from "@/lib/queries/titles";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ appId: string; deployId: string }> }): Promise<Metadata> {
  const { appId, deployId } = await params;
  return { title: (await deployTitle(appId, deployId)) ?? "Deploy" };
}

export default async function DeployPage({ params }: { params: Promise<{ appId: string; deployId: string }> }) {
  const user = await requireUser();
  const { appId, deployId } = await params;
  const deploy = await getDeploy(deployId).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!deploy || deploy.app.id !== appId) notFound();
  const [log, incidents] = await Promise.all([listDeployLogAfter(deployId, 0n, 20_000), incidentsAfterDeploy(deployId)]);
  return (
    <>
      <PageHeader
        title={`${deploy.kind === "rollback" ? "Rollback" : "Deploy"} of ${deploy.app.name}`}
        description={
          <Link className="text-indigo-700 hover:underline" href={`/apps/${appId}`}>
            ← back to {deploy.app.name}
          </Link>
        }
      />
      {deploy.status === "awaiting_approval" ? (
        <div className="mb-4">
          <ApprovalControls deployId={deploy.id} requestedBy={deploy.requestedBy} isRequester={await isOwnDeployRequest(deploy.id, user)} canDeploy={can.deploy(user)} approve={approveDeploy} reject={rejectDeploy} />
        </div>
      ) : null}
      {/* Keyed by status: an approved request starts following its run from a fresh view. */}
      <DeployLive key={deploy.status} initial={deploy} initialLog={log} cancel={cancelDeploy} canDeploy={can.deploy(user)} />
      {deploy.finishedAt ? (
        <div className="mt-4">
          <DeployIncidents incidents={incidents} />
        </div>
      ) : null}
    </>
  );
}
