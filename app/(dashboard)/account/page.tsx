import { OwnTokensSection } from "@/components/account/own-tokens-section";
import { PasswordForm } from "@/components/account/password-form";
import { SessionsSection } from "@/components/account/sessions-section";
import { TwoFactorSection } from "@/components/account/two-factor-section";
import { PageHeader } from "@/components/ui/page-header";
import { requireSession } from "@/lib/auth/session";
import { sessionLimitsText } from "@/lib/auth/sessions";
import { getOwnAccount } from "@/lib/queries/account";
import { changePassword, confirmTwoFactor, disableTwoFactor, endAllSessions, endSession, revokeOwnToken, startTwoFactor } from "./actions";

export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const { principal, sessionId } = await requireSession();
  const account = await getOwnAccount(principal, sessionId);
  return (
    <>
      <PageHeader title="Your account" description={`${principal.email} · ${principal.role}`} />
      <SessionsSection sessions={account.sessions} limits={sessionLimitsText()} end={endSession} endAll={endAllSessions} />
      <OwnTokensSection tokens={account.tokens} revoke={revokeOwnToken} />
      <TwoFactorSection twoFactor={account.twoFactor} actions={{ start: startTwoFactor, confirm: confirmTwoFactor, disable: disableTwoFactor }} />
      <PasswordForm action={changePassword} />
    </>
  );
}
