import { notFound } from "next/navigation";
import { AppForm } from "@/components/deploy/app-form";
import { PageHeader } from "@/components/ui/empty";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listServerOptions } from "@/lib/queries/apps";
import { createApp } from "../../actions";

export const metadata = { title: "New app" };

export default async function NewAppPage() {
  const user = await requireUser();
  if (!can.manageApps(user)) notFound();
  const servers = await listServerOptions();
  return (
    <>
      <PageHeader title="New app" />
      <section className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <AppForm action={createApp} servers={servers} />
      </section>
    </>
  );
}
