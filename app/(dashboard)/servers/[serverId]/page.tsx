import { notFound } from "next/navigation";
import { DeployHistory } from "@/components/deploy/deploy-history";
import { ServerActions } from "@/components/deploy/server-actions";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/empty";
import { formatTime } from "@/components/ui/time";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { listDeploys } from "@/lib/queries/deploys";
import { getServer } from "@/lib/queries/servers";
import { pinHostKey, verifyServer } from "../../actions";

export default async function ServerPage({ params }: { params: Promise<{ serverId: string }> }) {
  const user = await requireUser();
  const { serverId } = await params;
  const server = await getServer(serverId).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!server) notFound();
  const deploys = await listDeploys({ serverId });
  return (
    <>
      <PageHeader title={server.name} description={`${server.username}@${server.host}:${server.port}`} />
      <div className="mb-8 grid gap-4 sm:grid-cols-2">
        <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="mb-2 font-semibold">Host key</h2>
          <p>
            <Badge value={server.hostKeyStatus} /> <span className="font-mono text-xs">{server.hostKeyFingerprint ?? "not pinned"}</span>
          </p>
          <p className="mt-1 text-xs text-slate-500">Last checked {formatTime(server.hostKeyCheckedAt)}</p>
          <div className="mt-3">
            <ServerActions serverId={server.id} verify={verifyServer} pin={pinHostKey} canManage={can.manageServers(user)} />
          </div>
        </section>
        <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
          <h2 className="mb-2 font-semibold">Deploy key</h2>
          <p className="font-mono text-xs break-all">{server.sshKey.publicKey}</p>
          <p className="mt-1 font-mono text-xs text-slate-500">{server.sshKey.fingerprint}</p>
        </section>
      </div>
      <section className="rounded-xl bg-white p-5 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-3 font-semibold">Deploys to this server</h2>
        <DeployHistory deploys={deploys} showApp />
      </section>
    </>
  );
}
