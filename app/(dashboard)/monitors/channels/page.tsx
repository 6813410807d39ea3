import Link from "next/link";
import { notFound } from "next/navigation";
import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { ChannelForm, ChannelRowActions, NetworkPolicyForm } from "@/components/monitors/channel-forms";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/empty";
import { formatTime } from "@/components/ui/time";
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

      <section className="mb-8 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-4 text-lg font-semibold">Channels</h2>
        {channels.length === 0 ? (
          <p className="mb-4 text-sm text-slate-500">No channels yet: alerts are recorded but not sent anywhere.</p>
        ) : (
          <table className="mb-6 w-full text-left text-sm" data-testid="channels">
            <thead className="text-slate-500">
              <tr>
                <th className="pb-2 font-medium">Name</th>
                <th className="pb-2 font-medium">Kind</th>
                <th className="pb-2 font-medium">URL</th>
                <th className="pb-2 font-medium">State</th>
                <th className="pb-2 font-medium" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {channels.map((c) => (
                <tr key={c.id} data-testid="channel-row" data-channel-name={c.name}>
                  <td className="py-2 font-medium">{c.name}</td>
                  <td className="py-2">{c.type === "slack" ? "Slack-compatible" : "JSON webhook"}</td>
                  <td className="py-2 font-mono text-xs text-slate-600">{c.urlHint}</td>
                  <td className="py-2">{c.enabled ? <Badge value="up" label="enabled" /> : <Badge value="paused" label="disabled" />}</td>
                  <td className="py-2">
                    <ChannelRowActions channel={c} update={updateChannel} remove={deleteChannel} test={testChannel} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ChannelForm action={createChannel} />
      </section>

      <section className="mb-8 rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-1 text-lg font-semibold">Deliveries</h2>
        <p className="mb-4 text-sm text-slate-500">Failed sends are retried with backoff (10 s, 20 s, 40 s … up to 8 attempts).</p>
        {deliveries.length === 0 ? (
          <p className="text-sm text-slate-500">Nothing sent yet.</p>
        ) : (
          <table className="w-full text-left text-sm" data-testid="deliveries">
            <thead className="text-slate-500">
              <tr>
                <th className="pb-2 font-medium">Queued</th>
                <th className="pb-2 font-medium">Channel</th>
                <th className="pb-2 font-medium">Event</th>
                <th className="pb-2 font-medium">Status</th>
                <th className="pb-2 text-right font-medium">Attempts</th>
                <th className="pb-2 font-medium">Last error / next attempt</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-status={d.status} data-event={d.event}>
                  <td className="py-2 text-xs">{formatTime(d.createdAt)}</td>
                  <td className="py-2">{d.channel}</td>
                  <td className="py-2">
                    {d.event}
                    {d.monitor ? <span className="text-slate-500"> · {d.monitor}</span> : null}
                  </td>
                  <td className="py-2">
                    <Badge value={d.status === "delivered" ? "succeeded" : d.status} label={d.status} />
                  </td>
                  <td className="py-2 text-right tabular-nums">{d.attempts}</td>
                  <td className="py-2 text-xs text-slate-600">
                    {d.lastError ?? ""}
                    {d.nextAttemptAt ? <span className="block text-slate-500">next {formatTime(d.nextAttemptAt)}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h2 className="mb-1 text-lg font-semibold">Network policy</h2>
        <p className="mb-3 text-sm text-slate-500">
          Checks and webhooks refuse these by default, after resolving names and on every redirect hop; private and loopback addresses are allowed.
        </p>
        <ul className="mb-4 grid gap-1 text-xs text-slate-600 sm:grid-cols-2" data-testid="default-denied">
          {policy.defaults.map((d) => (
            <li key={d.cidr}>
              <span className="font-mono">{d.cidr}</span> — {d.why}
            </li>
          ))}
        </ul>
        <NetworkPolicyForm action={updateNetworkPolicy} deny={policy.deny} allow={policy.allow} />
      </section>
    </>
  );
}
