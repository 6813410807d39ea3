import { notFound } from "next/navigation";
import { AppForm } from "@/components/apps/app-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { listServerOptions } from "@/lib/queries/apps";
import { listChannelOptions } from "@/lib/queries/notification-channels";
import { createApp } from "../../actions";

export const metadata = { title: "New app" };

export default async function NewAppPage() {
  const user = await requireUser();
  if (!can.manageApps(user)) notFound();
  const [servers, channels] = await Promise.all([listServerOptions(), listChannelOptions()]);
  return (
    <>
      <PageHeader title="New app" />
      <Card as="section" padding="lg">
        <AppForm action={createApp} servers={servers} channels={channels} />
      </Card>
    </>
  );
}
