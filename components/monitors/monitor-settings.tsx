import type { MonitorView } from "@/lib/queries/monitors";
import { Section } from "../ui/section";
import type { Action } from "../use-server-action";
import type { AssertionRow } from "./check-option-fields";
import { MonitorForm, type MonitorFormOptions, type MonitorFormValues } from "./monitor-form";

/** Stored assertions (JSON) as editor rows; values shown as typed, JSON for non-strings. */
function assertionRows(stored: unknown): AssertionRow[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((a: { path?: unknown; op?: unknown; value?: unknown }) =>
    typeof a?.path === "string" && typeof a.op === "string" ? [{ path: a.path, op: a.op, value: a.value === undefined ? "" : typeof a.value === "string" ? a.value : JSON.stringify(a.value) }] : [],
  );
}

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
    assertions: assertionRows(monitor.assertions),
    degradedAfterMs: monitor.degradedAfterMs ? String(monitor.degradedAfterMs) : "",
    certWarnDays: monitor.certWarnDays.join(", "),
  };
}

export function MonitorSettings({ monitor, options, save }: { monitor: MonitorView; options: MonitorFormOptions; save: Action<{ id: string }> }) {
  return (
    <Section title="Settings" size="lg">
      <MonitorForm action={save} apps={options.apps} servers={options.servers} channels={options.channels} monitors={options.monitors} initial={formValues(monitor)} />
    </Section>
  );
}
