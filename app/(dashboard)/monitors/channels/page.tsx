import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { ChannelsSection } from "@/components/monitors/channel-table";
import { DeliveriesSection } from "@/components/monitors/delivery-table";
import { NetworkPolicySection } from "@/components/monitors/network-policy";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { getNetworkPolicy, listNotificationChannels, listRecentDeliveries } from "@/lib/queries/notification-channels";
import { createChannel, deleteChannel, testChannel, updateChannel, updateNetworkPolicy } from "../actions";

export const metadata = { title: "Alert channels" };

export default async function ChannelsPage() {
  const user = await requireUser();
  if (!can.manageMonitors(user)) notFound();
  const [channels, deliveries, policy] = await Promise.all([listNotificationChannels(), listRecentDeliveries(), getNetworkPolicy()]);
  return (
    <>
      <PageHeader
        title="Alert channels"
        description={
          <>
            A monitor going down (after its retries) and coming back up sends one message per incident to every enabled channel.{" "}
            <Link href="/monitors" className="text-indigo-700 underline">
              Back to monitors
            </Link>
          </>
        }
        actions={<AutoRefresh seconds={10} />}
      />
      <ChannelsSection channels={channels} actions={{ create: createChannel, update: updateChannel, remove: deleteChannel, test: testChannel }} />
      <DeliveriesSection deliveries={deliveries} />
      <NetworkPolicySection policy={policy} save={updateNetworkPolicy} />
    </>
  );
}
