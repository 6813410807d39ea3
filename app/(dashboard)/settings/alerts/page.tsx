import { ChannelsSection } from "@/components/alerts/channels-section";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { DeliveriesSection } from "@/components/monitors/delivery-table";
import { NetworkPolicySection } from "@/components/monitors/network-policy";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { requireUser } from "@/lib/auth/session";
import { getNetworkPolicy, listNotificationChannels, listRecentDeliveries } from "@/lib/queries/notification-channels";
import { updateNetworkPolicy } from "../../monitors/actions";
import { createChannel, deleteChannel, testChannel, updateChannel } from "./actions";

export const metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const user = await requireUser();
  requirePageAccess(user, "/settings/alerts");
  const [channels, deliveries, policy] = await Promise.all([listNotificationChannels(), listRecentDeliveries(), getNetworkPolicy()]);
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Monitors going down, degraded and back up, and deploys ending, are sent to each monitor's or app's channels — or, when it chose none, to the default channels."
        actions={<AutoRefresh seconds={10} />}
      />
      <ChannelsSection channels={channels} actions={{ create: createChannel, update: updateChannel, remove: deleteChannel, test: testChannel }} />
      <DeliveriesSection deliveries={deliveries} />
      <NetworkPolicySection policy={policy} save={updateNetworkPolicy} />
    </>
  );
}
