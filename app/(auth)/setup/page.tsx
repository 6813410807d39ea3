import { redirect } from "next/navigation";
import { SetupForm } from "@/components/setup-form";
import { getSetupState } from "@/lib/queries/setup";
import { setupAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata = { title: "Set up" };

export default async function SetupPage() {
  if (!(await getSetupState()).needsSetup) redirect("/login");
  return <SetupForm action={setupAction} />;
}
