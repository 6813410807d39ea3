import { Suspense } from "react";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/login-form";
import { getSetupState } from "@/lib/queries/setup";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage() {
  if ((await getSetupState()).needsSetup) redirect("/setup");
  return (
    <Suspense>
      <LoginForm />
    </Suspense>
  );
}
