import { ServerForm } from "@/components/servers/server-form";
import { ServerTable } from "@/components/servers/server-table";
import { EmptyState } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listServers } from "@/lib/queries/servers";
import { createServer, pinHostKey, verifyServer } from "../actions";

export const metadata = { title: "Servers" };

export default async function ServersPage() {
  const user = await requireUser();
  const servers = await listServers();
  const admin = can.manageServers(user);
  return (
    <>
      <PageHeader title="Servers" description="Machines Deckhand deploys to over SSH. Host keys are pinned: a changed key stops every connection before login." />
      <ServerTable servers={servers} verify={verifyServer} pin={pinHostKey} canManage={admin} empty={<EmptyState title="No servers yet">{admin ? "Add the first one below." : "An administrator adds servers."}</EmptyState>} />
      {admin ? (
        <Section title="Add a server" size="lg" className="mt-8">
          <ServerForm action={createServer} />
        </Section>
      ) : null}
    </>
  );
}
