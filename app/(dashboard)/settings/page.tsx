import Link from "next/link";
import { buttonClass } from "@/components/ui/form";
import { StorageSection } from "@/components/settings/storage-section";
import { TokensSection } from "@/components/settings/tokens-section";
import { UsersSection } from "@/components/settings/users-section";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { requireUser } from "@/lib/auth/session";
import { getStorageFigures } from "@/lib/queries/storage";
import { getTwoFactorPolicy, listApiTokens, listUsers } from "@/lib/queries/users";
import * as actions from "./actions";

export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = requirePageAccess(await requireUser(), "/settings");
  const [users, tokens, twoFactorPolicy, storage] = await Promise.all([listUsers(), listApiTokens(), getTwoFactorPolicy(), getStorageFigures()]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="People, roles, sign-in and API tokens."
        actions={
          <Link href="/settings/status-pages" className={buttonClass("secondary")}>
            Status pages
          </Link>
        }
      />
      <UsersSection
        users={users}
        selfId={user.id}
        twoFactorPolicy={twoFactorPolicy}
        actions={{
          create: actions.createUser,
          setRole: actions.setUserRole,
          remove: actions.deleteUser,
          setDisabled: actions.setUserDisabled,
          setPassword: actions.setUserPassword,
          unlock: actions.unlockUser,
          resetTwoFactor: actions.resetTwoFactor,
          setTwoFactorPolicy: actions.setTwoFactorPolicy,
        }}
      />
      <TokensSection tokens={tokens} now={Date.now()} create={actions.createToken} revoke={actions.revokeToken} />
      <StorageSection figures={storage} />
    </>
  );
}
