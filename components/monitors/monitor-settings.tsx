import type { MonitorView } from "@/lib/queries/monitors";
import { Section } from "../ui/section";
import type { Action } from "../use-server-action";
import { MonitorForm, type MonitorFormOptions, type MonitorFormValues } from "./monitor-form";

/** The stored monitor as the form edits it: every field a string or number, empty where unset. */
function formValues(monitor: MonitorView): MonitorFormValues {
  return {
    id: monitor.id,
    name: monitor.name,
    type: monitor.type,
    url: monitor.url ?? "",
    method: monitor.method,
    expectedStatus: monitor.expectedStatus,
    keyword: monitor.keyword ?? "",
    host: monitor.host ?? "",
    port: monitor.port ? String(monitor.port) : "",
    serverId: monitor.serverId ?? "",
    command: monitor.command ?? "",
    intervalSeconds: monitor.intervalSeconds,
    timeoutSeconds: monitor.timeoutSeconds,
    retries: monitor.retries,
    appId: monitor.appId ?? "",
    graceSeconds: monitor.graceSeconds === null ? "60" : String(monitor.graceSeconds),
    cron: monitor.cron ?? "",
    timeZone: monitor.cronTimeZone ?? "UTC",
    isAppHealth: monitor.isAppHealth,
    channelIds: monitor.channelIds,
    dependsOnId: monitor.dependsOnId ?? "",
    renotifyMinutes: monitor.renotifyMinutes ? String(monitor.renotifyMinutes) : "",
  };
}

export function MonitorSettings({ monitor, options, save }: { monitor: MonitorView; options: MonitorFormOptions; save: Action<{ id: string }> }) {
  return (
    <Section title="Settings" size="lg">
      <MonitorForm action={save} apps={options.apps} servers={options.servers} channels={options.channels} monitors={options.monitors} initial={formValues(monitor)} />
    </Section>
  );
}
