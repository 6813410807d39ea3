"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { listMonitorFormOptions } from "@/lib/queries/monitors";
import type { Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { ErrorMessage, Field, Select, SubmitButton, TextInput } from "../ui/form";
import { ChannelPicker, channelIdsFromForm } from "../alerts/channel-picker";
import { IncidentFields, incidentFieldsFromForm } from "./incident-fields";
import { AssertionEditor, assertionsFromForm, certWarnDaysFromForm, CheckOptionFields, type AssertionRow } from "./check-option-fields";

export type MonitorFormOptions = Awaited<ReturnType<typeof listMonitorFormOptions>>;

export interface MonitorFormValues {
  id?: string;
  name: string;
  type: "http" | "tcp" | "ssh" | "heartbeat" | "certificate";
  url: string;
  method: string;
  expectedStatus: string;
  keyword: string;
  host: string;
  port: string;
  serverId: string;
  command: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  appId: string;
  /** Heartbeat: grace seconds, and a cron expression with its time zone ("" for every interval). */
  graceSeconds: string;
  cron: string;
  timeZone: string;
  isAppHealth?: boolean;
  /** null: its app's or the default channels. */
  channelIds: string[] | null;
  dependsOnId?: string;
  renotifyMinutes?: string;
  assertions: AssertionRow[];
  degradedAfterMs: string;
  /** "30, 14, 7" */
  certWarnDays: string;
}

const EMPTY: MonitorFormValues = {
  name: "",
  type: "http",
  url: "",
  method: "GET",
  expectedStatus: "200-399",
  keyword: "",
  host: "",
  port: "",
  serverId: "",
  command: "systemctl is-active ",
  intervalSeconds: 60,
  timeoutSeconds: 10,
  retries: 1,
  appId: "",
  graceSeconds: "60",
  cron: "",
  timeZone: "UTC",
  channelIds: null,
  assertions: [],
  degradedAfterMs: "",
  certWarnDays: "",
};

/** What the form sends: the common fields, and only the fields of the chosen type. */
function monitorPayload(f: FormData, type: MonitorFormValues["type"], values: MonitorFormValues, locked: boolean) {
  const get = (k: string) => (f.get(k) as string | null) ?? "";
  const common = {
    ...(values.id ? { id: values.id } : {}),
    name: get("name"),
    intervalSeconds: get("intervalSeconds"),
    timeoutSeconds: get("timeoutSeconds"),
    retries: get("retries"),
    channelIds: channelIdsFromForm(f),
    ...incidentFieldsFromForm(f),
    degradedAfterMs: get("degradedAfterMs") || null,
    ...(locked ? {} : { type, appId: get("appId") || null }),
  };
  const certWarnDays = certWarnDaysFromForm(f);
  const specific =
    type === "http"
      ? { ...(locked ? {} : { url: get("url") }), method: get("method"), expectedStatus: get("expectedStatus"), keyword: get("keyword") || null, assertions: assertionsFromForm(f), certWarnDays }
      : type === "tcp"
        ? { host: get("host"), port: get("port") }
        : type === "heartbeat"
          ? { graceSeconds: get("graceSeconds"), cron: get("cron") || null, timeZone: get("cron") ? get("timeZone") || "UTC" : null }
          : type === "certificate"
            ? { host: get("host"), port: get("port"), certWarnDays }
            : { serverId: get("serverId"), command: get("command") };
  // A heartbeat has no timeout or retries of its own: a missed deadline is down at once.
  return type === "heartbeat" ? { ...common, timeoutSeconds: "1", retries: "0", ...specific } : { ...common, ...specific };
}

type ErrorOf = (name: string) => string | undefined;

function HttpFields({ values, locked, errorOf }: { values: MonitorFormValues; locked: boolean; errorOf: ErrorOf }) {
  return (
    <>
      <div className="sm:col-span-2">
        <Field error={errorOf("url")} label="URL" hint={locked ? "Set on the app: this is its health URL." : "Up to 5 redirects are followed; each hop is checked against the network policy."}>
          <TextInput name="url" type="url" required={!locked} disabled={locked} defaultValue={values.url} placeholder="https://shop.internal/health" />
        </Field>
      </div>
      <Field error={errorOf("method")} label="Method">
        <Select name="method" defaultValue={values.method}>
          {["GET", "HEAD", "POST", "OPTIONS"].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </Select>
      </Field>
      <Field error={errorOf("expectedStatus")} label="Expected status" hint="e.g. 200-399 or 200,204">
        <TextInput name="expectedStatus" defaultValue={values.expectedStatus} />
      </Field>
      <div className="sm:col-span-2">
        <Field error={errorOf("keyword")} label="Body keyword (optional)" hint="Down unless the body contains it, e.g. a dependency's “ok”.">
          <TextInput name="keyword" defaultValue={values.keyword} placeholder='"db":"ok"' />
        </Field>
      </div>
      <AssertionEditor initial={values.assertions} />
    </>
  );
}

function TcpFields({ values, errorOf, tls }: { values: MonitorFormValues; errorOf: ErrorOf; tls?: boolean }) {
  return (
    <>
      <Field error={errorOf("host")} label="Host" hint={tls ? "Sent as SNI; the certificate must match it." : undefined}>
        <TextInput name="host" required defaultValue={values.host} placeholder={tls ? "shop.example.com" : "db.internal"} />
      </Field>
      <Field error={errorOf("port")} label="Port">
        <TextInput name="port" type="number" min={1} max={65535} required defaultValue={values.port || (tls ? "443" : "")} />
      </Field>
    </>
  );
}

function SshFields({ values, servers, errorOf }: { values: MonitorFormValues; servers: MonitorFormOptions["servers"]; errorOf: ErrorOf }) {
  return (
    <>
      <Field error={errorOf("serverId")} label="Server">
        <Select name="serverId" required defaultValue={values.serverId}>
          <option value="">Choose a server…</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field error={errorOf("command")} label="Command" hint="Exit status 0 means up.">
        <TextInput name="command" required defaultValue={values.command} className="font-mono" />
      </Field>
    </>
  );
}

function HeartbeatFields({ values, errorOf }: { values: MonitorFormValues; errorOf: ErrorOf }) {
  return (
    <>
      <Field error={errorOf("graceSeconds")} label="Grace (seconds)" hint="How late a beat may be before the monitor is down.">
        <TextInput name="graceSeconds" type="number" min={0} max={604800} required defaultValue={values.graceSeconds} />
      </Field>
      <Field error={errorOf("cron")} label="Cron schedule (optional)" hint="e.g. 0 3 * * * for a nightly job; empty: a beat every interval.">
        <TextInput name="cron" defaultValue={values.cron} placeholder="0 3 * * *" className="font-mono" />
      </Field>
      <Field error={errorOf("timeZone")} label="Time zone of the schedule" hint="IANA name, e.g. Europe/Berlin.">
        <TextInput name="timeZone" defaultValue={values.timeZone} placeholder="UTC" />
      </Field>
    </>
  );
}

/** Create or edit a monitor. Only the fields of the chosen type are sent; the server validates everything again. */
export function MonitorForm({
  action,
  apps,
  servers,
  channels,
  monitors = [],
  initial,
}: {
  action: Action<{ id: string }>;
  apps: MonitorFormOptions["apps"];
  servers: MonitorFormOptions["servers"];
  channels: MonitorFormOptions["channels"];
  /** What it can depend on. */
  monitors?: { id: string; name: string }[];
  initial?: MonitorFormValues;
}) {
  const router = useRouter();
  const values = initial ?? EMPTY;
  const editing = Boolean(values.id);
  const locked = Boolean(values.isAppHealth);
  const [type, setType] = useState(values.type);
  const [saved, setSaved] = useState(false);
  const toInput = (f: FormData) => (setSaved(false), monitorPayload(f, type, values, locked));
  const { state, pending, errorOf, formProps } = useActionForm(action, toInput, (data, form) => {
    if (editing) {
      setSaved(true);
      router.refresh();
    } else {
      form.reset();
      router.push(`/monitors/${data.id}`);
    }
  });
  return (
    <form data-testid="monitor-form" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" {...formProps}>
      <Field error={errorOf("name")} label="Name">
        <TextInput name="name" required defaultValue={values.name} placeholder="checkout API" />
      </Field>
      <Field error={errorOf("type")} label="Type">
        <Select name="type" value={type} disabled={locked || editing} onChange={(e) => setType(e.target.value as MonitorFormValues["type"])}>
          <option value="http">HTTP(S)</option>
          <option value="tcp">TCP connect</option>
          <option value="ssh">SSH command</option>
          <option value="heartbeat">Heartbeat (push)</option>
          <option value="certificate">TLS certificate</option>
        </Select>
      </Field>
      {type === "http" ? <HttpFields values={values} locked={locked} errorOf={errorOf} /> : null}
      {type === "tcp" ? <TcpFields values={values} errorOf={errorOf} /> : null}
      {type === "certificate" ? <TcpFields values={values} errorOf={errorOf} tls /> : null}
      {type === "ssh" ? <SshFields values={values} servers={servers} errorOf={errorOf} /> : null}
      {type === "heartbeat" ? <HeartbeatFields values={values} errorOf={errorOf} /> : null}
      <Field error={errorOf("intervalSeconds")} label={type === "heartbeat" ? "Beat expected every (seconds)" : "Interval (seconds)"} hint={type === "heartbeat" ? "10 s to 24 h; ignored with a cron schedule" : "10 s to 24 h"}>
        <TextInput name="intervalSeconds" type="number" min={10} max={86400} required defaultValue={values.intervalSeconds} />
      </Field>
      {type === "heartbeat" ? null : (
        <>
          <Field error={errorOf("timeoutSeconds")} label="Timeout (seconds)" hint="A check that hangs is cut here.">
            <TextInput name="timeoutSeconds" type="number" min={1} max={120} required defaultValue={values.timeoutSeconds} />
          </Field>
          <Field error={errorOf("retries")} label="Retries before down" hint="Down after this many + 1 failures in a row.">
            <TextInput name="retries" type="number" min={0} max={10} required defaultValue={values.retries} />
          </Field>
        </>
      )}
      <Field error={errorOf("appId")} label="App (optional)" hint="Its deploys are marked on the chart and silence alerts while they run.">
        <Select name="appId" defaultValue={values.appId} disabled={locked}>
          <option value="">None</option>
          {apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      <IncidentFields monitors={monitors} selfId={values.id} dependsOnId={values.dependsOnId ?? ""} renotifyMinutes={values.renotifyMinutes ?? ""} />
      {type === "heartbeat" ? null : <CheckOptionFields degradedAfterMs={values.degradedAfterMs} certWarnDays={values.certWarnDays} tls={type === "http" || type === "certificate"} />}
      <ChannelPicker channels={channels} selected={values.channelIds} inheritsFrom="app" />
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-4">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          {editing ? "Save monitor" : "Add monitor"}
        </SubmitButton>
        {saved ? <span className="text-sm text-emerald-700">Saved.</span> : null}
      </div>
      <div className="sm:col-span-2 lg:col-span-4">
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
    </form>
  );
}
