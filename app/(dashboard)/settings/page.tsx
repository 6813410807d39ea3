import { notFound } from "next/navigation";
import { TokensSection } from "@/components/settings/tokens-section";
import { UsersSection } from "@/components/settings/users-section";
import { PageHeader } from "@/components/ui/page-header";
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
      <UsersSection users={users} selfId={user.id} actions={{ create: createUser, setRole: setUserRole, setDisabled: setUserDisabled, setPassword: setUserPassword }} />
      <TokensSection tokens={tokens} create={createToken} revoke={revokeToken} />
    </>
  );
}
