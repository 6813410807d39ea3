import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { RequiredEnrolment } from "@/components/auth/required-enrolment";
import { SecondFactorForm } from "@/components/auth/second-factor-form";
import { getSetupState } from "@/lib/queries/setup";
import { getSessionContext } from "@/lib/auth/session";
import { publicUrl } from "@/lib/auth/options";
import { afterSignInPath } from "@/lib/auth/redirect";
import { confirmTwoFactor, startTwoFactor } from "../../(dashboard)/account/actions";
import { secondFactorAction, signInAction, signOutAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

/** Every step of signing in, by where this browser's session stands: password, code, or required enrolment. */
export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if ((await getSetupState()).needsSetup) redirect("/setup");
  const raw = (await searchParams).callbackUrl;
  const next = afterSignInPath(typeof raw === "string" ? raw : null, publicUrl());
  const context = await getSessionContext();
  if (context?.stage === "active") redirect(next);
  if (context?.stage === "second_factor") return <SecondFactorForm email={context.principal.email} next={next} action={secondFactorAction} signOut={signOutAction} />;
  if (context?.stage === "enrol") return <RequiredEnrolment email={context.principal.email} next={next} start={startTwoFactor} confirm={confirmTwoFactor} signOut={signOutAction} />;
  // No Suspense boundary: content streamed into one is revealed by a script, and this form must work without.
  return <LoginForm next={next} action={signInAction} />;
}
