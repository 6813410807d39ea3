"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { listMonitorFormOptions } from "@/lib/queries/monitors";
import { useServerAction, type Action } from "../use-server-action";
import { Button, ErrorMessage, Field, Select, TextInput } from "../ui/form";
import { ChannelPicker, channelIdsFromForm } from "../alerts/channel-picker";

export type MonitorFormOptions = Awaited<ReturnType<typeof listMonitorFormOptions>>;

export interface MonitorFormValues {
  id?: string;
  name: string;
  type: "http" | "tcp" | "ssh";
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
  isAppHealth?: boolean;
  /** null: its app's or the default channels. */
  channelIds: string[] | null;
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
  channelIds: null,
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
    ...(locked ? {} : { type, appId: get("appId") || null }),
  };
  const specific =
    type === "http"
      ? { ...(locked ? {} : { url: get("url") }), method: get("method"), expectedStatus: get("expectedStatus"), keyword: get("keyword") || null }
      : type === "tcp"
        ? { host: get("host"), port: get("port") }
        : { serverId: get("serverId"), command: get("command") };
  return { ...common, ...specific };
}

function HttpFields({ values, locked }: { values: MonitorFormValues; locked: boolean }) {
  return (
    <>
      <div className="sm:col-span-2">
        <Field label="URL" hint={locked ? "Set on the app: this is its health URL." : "Up to 5 redirects are followed; each hop is checked against the network policy."}>
          <TextInput name="url" type="url" required={!locked} disabled={locked} defaultValue={values.url} placeholder="https://shop.internal/health" />
        </Field>
      </div>
      <Field label="Method">
        <Select name="method" defaultValue={values.method}>
          {["GET", "HEAD", "POST", "OPTIONS"].map((m) => (
            <option key={m}>{m}</option>
          ))}
        </Select>
      </Field>
      <Field label="Expected status" hint="e.g. 200-399 or 200,204">
        <TextInput name="expectedStatus" defaultValue={values.expectedStatus} />
      </Field>
      <div className="sm:col-span-2">
        <Field label="Body keyword (optional)" hint="Down unless the body contains it, e.g. a dependency's “ok”.">
          <TextInput name="keyword" defaultValue={values.keyword} placeholder='"db":"ok"' />
        </Field>
      </div>
    </>
  );
}

function TcpFields({ values }: { values: MonitorFormValues }) {
  return (
    <>
      <Field label="Host">
        <TextInput name="host" required defaultValue={values.host} placeholder="db.internal" />
      </Field>
      <Field label="Port">
        <TextInput name="port" type="number" min={1} max={65535} required defaultValue={values.port} />
      </Field>
    </>
  );
}

function SshFields({ values, servers }: { values: MonitorFormValues; servers: MonitorFormOptions["servers"] }) {
  return (
    <>
      <Field label="Server">
        <Select name="serverId" required defaultValue={values.serverId}>
          <option value="">Choose a server…</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Command" hint="Exit status 0 means up.">
        <TextInput name="command" required defaultValue={values.command} className="font-mono" />
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
  initial,
}: {
  action: Action<{ id: string }>;
  apps: MonitorFormOptions["apps"];
  servers: MonitorFormOptions["servers"];
  channels: MonitorFormOptions["channels"];
  initial?: MonitorFormValues;
}) {
  const router = useRouter();
  const values = initial ?? EMPTY;
  const editing = Boolean(values.id);
  const locked = Boolean(values.isAppHealth);
  const [type, setType] = useState(values.type);
  const { error, pending, run } = useServerAction(action);
  const [saved, setSaved] = useState(false);
  return (
    <form
      data-testid="monitor-form"
      className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        setSaved(false);
        run(monitorPayload(new FormData(form), type, values, locked), (data) => {
          if (editing) {
            setSaved(true);
            router.refresh();
          } else {
            form.reset();
            router.push(`/monitors/${data.id}`);
          }
        });
      }}
    >
      <Field label="Name">
        <TextInput name="name" required defaultValue={values.name} placeholder="checkout API" />
      </Field>
      <Field label="Type">
        <Select name="type" value={type} disabled={locked || editing} onChange={(e) => setType(e.target.value as MonitorFormValues["type"])}>
          <option value="http">HTTP(S)</option>
          <option value="tcp">TCP connect</option>
          <option value="ssh">SSH command</option>
        </Select>
      </Field>
      {type === "http" ? <HttpFields values={values} locked={locked} /> : null}
      {type === "tcp" ? <TcpFields values={values} /> : null}
      {type === "ssh" ? <SshFields values={values} servers={servers} /> : null}
      <Field label="Interval (seconds)" hint="10 s to 24 h">
        <TextInput name="intervalSeconds" type="number" min={10} max={86400} required defaultValue={values.intervalSeconds} />
      </Field>
      <Field label="Timeout (seconds)" hint="A check that hangs is cut here.">
        <TextInput name="timeoutSeconds" type="number" min={1} max={120} required defaultValue={values.timeoutSeconds} />
      </Field>
      <Field label="Retries before down" hint="Down after this many + 1 failures in a row.">
        <TextInput name="retries" type="number" min={0} max={10} required defaultValue={values.retries} />
      </Field>
      <Field label="App (optional)" hint="Its deploys are marked on the chart and silence alerts while they run.">
        <Select name="appId" defaultValue={values.appId} disabled={locked}>
          <option value="">None</option>
          {apps.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </Select>
      </Field>
      <ChannelPicker channels={channels} selected={values.channelIds} inheritsFrom="app" />
      <div className="flex items-end gap-3 sm:col-span-2 lg:col-span-4">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save monitor" : "Add monitor"}
        </Button>
        {saved ? <span className="text-sm text-emerald-700">Saved.</span> : null}
      </div>
      <div className="sm:col-span-2 lg:col-span-4">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
    </form>
  );
}
