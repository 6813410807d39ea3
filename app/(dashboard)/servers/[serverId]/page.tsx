import { notFound } from "next/navigation";
import { DeployHistory } from "@/components/deploy/deploy-history";
import { ServerKeys } from "@/components/servers/server-keys";
import { ServerManage } from "@/components/servers/server-manage";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { NotFoundError } from "@/lib/errors";
import { listDeploys } from "@/lib/queries/deploys";
import { getServer } from "@/lib/queries/servers";
import { pinHostKey, verifyServer } from "../../actions";
import { removeServer, updateServer } from "../actions";
import { serverTitle } from "@/lib/queries/titles";
import type { Metadata } from "next";

export async function generateMetadata({ params }: { params: Promise<{ serverId: string }> }): Promise<Metadata> {
  const { serverId } = await params;
  return { title: (await serverTitle(serverId)) ?? "Server" };
}

export default async function ServerPage({ params }: { params: Promise<{ serverId: string }> }) {
  const user = await requireUser();
  const { serverId } = await params;
  const server = await getServer(serverId).catch((err: unknown) => (err instanceof NotFoundError ? null : Promise.reject(err)));
  if (!server) notFound();
  const deploys = await listDeploys({ serverId });
  return (
    <>
      <PageHeader title={server.name} description={`${server.username}@${server.host}:${server.port}`} />
      <ServerKeys server={server} verify={verifyServer} pin={pinHostKey} canManage={can.manageServers(user)} />
      {can.manageServers(user) ? <ServerManage server={server} update={updateServer} remove={removeServer} /> : null}
      <Section title="Deploys to this server">
        <DeployHistory deploys={deploys} showApp />
      </Section>
    </>
  );
}
