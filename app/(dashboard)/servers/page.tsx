import Link from "next/link";
import { ServerActions } from "@/components/deploy/server-actions";
import { ServerForm } from "@/components/deploy/server-form";
import { Badge } from "@/components/ui/badge";
import { EmptyState, PageHeader } from "@/components/ui/empty";
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
      {servers.length === 0 ? (
        <EmptyState title="No servers yet">{admin ? "Add the first one below." : "An administrator adds servers."}</EmptyState>
      ) : (
        <div className="mb-8 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-slate-500">
              <tr>
                <th className="px-4 py-2 font-medium">Name</th>
                <th className="px-4 py-2 font-medium">Address</th>
                <th className="px-4 py-2 font-medium">Host key</th>
                <th className="px-4 py-2 font-medium">Apps</th>
                <th className="px-4 py-2 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {servers.map((s) => (
                <tr key={s.id} data-testid={`server-${s.name}`}>
                  <td className="px-4 py-3 font-medium">
                    <Link className="text-indigo-700 hover:underline" href={`/servers/${s.id}`}>
                      {s.name}
                    </Link>
                  </td>
                  <td className="px-4 py-3 font-mono text-xs">
                    {s.username}@{s.host}:{s.port}
                  </td>
                  <td className="px-4 py-3">
                    <Badge value={s.hostKeyStatus} />
                    {s.hostKeyFingerprint ? <div className="mt-1 font-mono text-[11px] text-slate-500">{s.hostKeyFingerprint}</div> : null}
                    {s.hostKeyStatus === "mismatch" ? <div className="mt-1 text-xs text-rose-700">presented {s.hostKeyPresented}</div> : null}
                  </td>
                  <td className="px-4 py-3">{s.targets.map((t) => t.app.name).join(", ") || "—"}</td>
                  <td className="px-4 py-3">
                    <ServerActions serverId={s.id} verify={verifyServer} pin={pinHostKey} canManage={admin} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {admin ? (
        <section className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <h2 className="mb-4 text-lg font-semibold">Add a server</h2>
          <ServerForm action={createServer} />
        </section>
      ) : null}
    </>
  );
}
