import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/empty";
import { formatMinute } from "@/components/ui/time";
import { CreateTokenForm, CreateUserForm, RevokeTokenButton, UserRow } from "@/components/settings-forms";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listApiTokens, listUsers } from "@/lib/queries/users";
import { createToken, createUser, revokeToken, setUserDisabled, setUserPassword, setUserRole } from "./actions";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  if (!can.manageSettings(user)) notFound();
  const [users, tokens] = await Promise.all([listUsers(), listApiTokens()]);
  return (
    <>
      <PageHeader title="Settings" description="People, roles and API tokens." />
      <section className="mb-10 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-4 text-lg font-semibold">Users</h2>
        <table className="mb-6 w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="pb-2 font-medium">Email</th>
              <th className="pb-2 font-medium">Role</th>
              <th className="pb-2 font-medium">Password</th>
              <th className="pb-2 font-medium">Access</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <UserRow key={u.id} user={u} isSelf={u.id === user.id} setRole={setUserRole} setDisabled={setUserDisabled} setPassword={setUserPassword} />
            ))}
          </tbody>
        </table>
        <CreateUserForm action={createUser} />
      </section>
      <section className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-1 text-lg font-semibold">API tokens</h2>
        <p className="mb-4 text-sm text-slate-500">
          For CI: <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> on <code className="font-mono">/api/v1/*</code>. Also{" "}
          <code className="font-mono">npx deckhand token create --name ci --role deployer</code>.
        </p>
        {tokens.length === 0 ? <p className="mb-4 text-sm text-slate-500">No tokens yet.</p> : (
          <table className="mb-6 w-full text-left text-sm">
            <thead className="text-slate-500">
              <tr>
                <th className="pb-2 font-medium">Name</th>
                <th className="pb-2 font-medium">Role</th>
                <th className="pb-2 font-medium">Prefix</th>
                <th className="pb-2 font-medium">Last used</th>
                <th className="pb-2 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.map((t) => (
                <tr key={t.id} className={t.revokedAt ? "text-slate-400" : undefined}>
                  <td className="py-2">{t.name}</td>
                  <td className="py-2">{t.role}</td>
                  <td className="py-2 font-mono text-xs">{t.prefix}…</td>
                  <td className="py-2">{t.lastUsedAt ? formatMinute(t.lastUsedAt) : "never"}</td>
                  <td className="py-2 text-right">{t.revokedAt ? "revoked" : <RevokeTokenButton tokenId={t.id} action={revokeToken} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <CreateTokenForm action={createToken} />
      </section>
    </>
  );
}
