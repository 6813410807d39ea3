import { AppForm } from "@/components/apps/app-form";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { requireUser } from "@/lib/auth/session";
import { appHealthDefaults, listServerOptions } from "@/lib/queries/apps";
import { listChannelOptions } from "@/lib/queries/notification-channels";
import { createApp } from "../../actions";

export const metadata = { title: "New app" };

export default async function NewAppPage() {
  requirePageAccess(await requireUser(), "/apps/new");
  const [servers, channels] = await Promise.all([listServerOptions(), listChannelOptions()]);
  return (
    <>
      <PageHeader title="New app" />
      <Card as="section" padding="lg">
        <AppForm action={createApp} servers={servers} channels={channels} healthDefaults={appHealthDefaults()} />
      </Card>
    </>
  );
}
