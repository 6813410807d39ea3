"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorMessage, Field, Select, SubmitButton, TextArea, TextInput } from "../ui/form";
import type { AppInput } from "@/lib/apps/schemas";
import type { listServerOptions } from "@/lib/queries/apps";
import type { ChannelOption } from "@/lib/queries/notification-channels";
import { ChannelPicker, channelIdsFromForm } from "../alerts/channel-picker";
import { useActionForm } from "../use-action-form";
import type { Action } from "../use-server-action";
import { notify } from "../ui/toaster";

/** The app input the API validates, as the form shows it: variables by name only (values never reach a browser). */
export type AppFormValues = Omit<AppInput, "env" | "healthUrl"> & { appId?: string; healthUrl: string | null; secretNames: string[]; channelIds?: string[] | null };

const EMPTY: AppFormValues = {
  name: "",
  repoUrl: "",
  deployPath: "/srv/",
  keepReleases: 5,
  installCommand: "npm ci",
  buildCommand: "npm run build",
  smokeCommand: "",
  restartCommand: "",
  healthUrl: "",
  strategy: "parallel",
  batchSize: 1,
  serverIds: [],
  secretNames: [],
};

type ServerOption = Awaited<ReturnType<typeof listServerOptions>>[number];

/** Parses KEY=value lines; an empty value line "KEY=" keeps the variable with an empty value. */
function parseEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith("#")) continue;
    const eq = trimmed.indexOf("=");
    if (eq > 0) out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1);
  }
  return out;
}

/** The global values an app's empty health fields fall back to, shown as placeholders. */
export interface HealthDefaults {
  healthRetries: number;
  healthRetryDelayMs: number;
  monitorIntervalSeconds: number;
}

/** The create/update action's input, read from the submitted form (the action's zod schema checks it). */
function appInputFromForm(f: FormData, values: AppFormValues) {
  const envText = String(f.get("env") ?? "");
  return {
    ...(values.appId ? { appId: values.appId } : {}),
    name: f.get("name"),
    repoUrl: f.get("repoUrl"),
    deployPath: f.get("deployPath"),
    keepReleases: f.get("keepReleases"),
    installCommand: f.get("installCommand"),
    buildCommand: f.get("buildCommand"),
    smokeCommand: f.get("smokeCommand"),
    restartCommand: f.get("restartCommand"),
    healthUrl: f.get("healthUrl"),
    strategy: f.get("strategy"),
    batchSize: f.get("batchSize") ?? 1,
    healthRetries: f.get("healthRetries"),
    healthRetryDelayMs: f.get("healthRetryDelayMs"),
    monitorIntervalSeconds: f.get("monitorIntervalSeconds"),
    serverIds: f.getAll("serverIds"),
    channelIds: channelIdsFromForm(f),
    ...(envText.trim() ? { env: parseEnv(envText) } : {}),
  };
}

export function AppForm({ action, servers, channels, initial, healthDefaults }: { action: Action<{ id: string }>; servers: ServerOption[]; channels: ChannelOption[]; initial?: AppFormValues; healthDefaults: HealthDefaults }) {
  const router = useRouter();
  const values = initial ?? EMPTY;
  const [strategy, setStrategy] = useState(values.strategy);
  const { state, pending, errorOf, formProps } = useActionForm(
    action,
    (f) => appInputFromForm(f, values),
    (data, form) => {
      // Editing stays on the app's page: a toast says it was saved.
      if (values.appId) notify(`${String(new FormData(form).get("name") ?? "App")} saved`);
      router.push(`/apps/${data.id}`);
    },
  );
  return (
    <form className="grid gap-4 sm:grid-cols-2" aria-label={values.appId ? "Edit app" : "New app"} {...formProps}>
      <Field error={errorOf("name")} label="Name">
        <TextInput name="name" required defaultValue={values.name} placeholder="shop" />
      </Field>
      <Field
        error={errorOf("repoUrl")}
        label="Git repository"
        hint="As the servers reach it: https://…, git@host:org/repo.git, or a path on the server. A credential in the URL (https://user:token@…) is stored encrypted and shown as ***; leave *** to keep it."
      >
        <TextInput name="repoUrl" required defaultValue={values.repoUrl} />
      </Field>
      <Field error={errorOf("deployPath")} label="Deploy path" hint="releases/, shared/ and current live here.">
        <TextInput name="deployPath" required defaultValue={values.deployPath} />
      </Field>
      <Field error={errorOf("keepReleases")} label="Releases to keep">
        <TextInput name="keepReleases" type="number" min={1} max={100} defaultValue={values.keepReleases} />
      </Field>
      <Field error={errorOf("installCommand")} label="Install command">
        <TextInput name="installCommand" defaultValue={values.installCommand} className="font-mono" />
      </Field>
      <Field error={errorOf("buildCommand")} label="Build command">
        <TextInput name="buildCommand" defaultValue={values.buildCommand} className="font-mono" />
      </Field>
      <Field error={errorOf("smokeCommand")} label="Smoke test command" hint="Runs in the new release before anything is switched.">
        <TextInput name="smokeCommand" defaultValue={values.smokeCommand} className="font-mono" />
      </Field>
      <Field error={errorOf("restartCommand")} label="Restart command" hint="Runs in current/ after the switch (systemctl, pm2, …).">
        <TextInput name="restartCommand" defaultValue={values.restartCommand} className="font-mono" />
      </Field>
      <Field error={errorOf("healthUrl")} label="Health URL" hint="Checked from each server after the restart; failure rolls back automatically.">
        <TextInput name="healthUrl" type="url" defaultValue={values.healthUrl ?? ""} placeholder="http://127.0.0.1:3000/health" />
      </Field>
      <fieldset className="sm:col-span-2 grid gap-3 sm:grid-cols-3" data-testid="health-settings">
        <legend className="mb-1 text-sm font-medium text-slate-700">Health checks (empty: the global setting)</legend>
        <Field error={errorOf("healthRetries")} label="Health check attempts" hint={`After each restart, per server. Global: ${healthDefaults.healthRetries}.`}>
          <TextInput name="healthRetries" type="number" min={1} max={100} defaultValue={values.healthRetries ?? ""} placeholder={String(healthDefaults.healthRetries)} />
        </Field>
        <Field error={errorOf("healthRetryDelayMs")} label="Retry delay (ms)" hint={`Wait between attempts. Global: ${healthDefaults.healthRetryDelayMs} ms.`}>
          <TextInput name="healthRetryDelayMs" type="number" min={0} max={60000} defaultValue={values.healthRetryDelayMs ?? ""} placeholder={String(healthDefaults.healthRetryDelayMs)} />
        </Field>
        <Field error={errorOf("monitorIntervalSeconds")} label="Monitor interval (s)" hint={`How often the app's health monitor checks the URL. Global: ${healthDefaults.monitorIntervalSeconds} s.`}>
          <TextInput name="monitorIntervalSeconds" type="number" min={10} max={86400} defaultValue={values.monitorIntervalSeconds ?? ""} placeholder={String(healthDefaults.monitorIntervalSeconds)} />
        </Field>
      </fieldset>
      <div className="grid grid-cols-2 gap-3">
        <Field error={errorOf("strategy")} label="Rollout">
          <Select name="strategy" value={strategy} onChange={(e) => setStrategy(e.target.value as "parallel" | "rolling")}>
            <option value="parallel">parallel</option>
            <option value="rolling">rolling</option>
          </Select>
        </Field>
        <Field error={errorOf("batchSize")} label="Batch size">
          <TextInput name="batchSize" type="number" min={1} defaultValue={values.batchSize} disabled={strategy !== "rolling"} />
        </Field>
      </div>
      <fieldset className="sm:col-span-2">
        <legend className="text-sm font-medium text-slate-700">Target servers</legend>
        {servers.length === 0 ? <p className="text-sm text-slate-500">Add a server first.</p> : null}
        <div className="mt-1 flex flex-wrap gap-4">
          {servers.map((s) => (
            <label key={s.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="serverIds" value={s.id} defaultChecked={values.serverIds.includes(s.id)} /> {s.name} <span className="text-slate-400">{s.host}</span>
            </label>
          ))}
        </div>
        {errorOf("serverIds") ? <p className="mt-1 text-sm font-medium text-rose-700">{errorOf("serverIds")}</p> : null}
      </fieldset>
      <div className="sm:col-span-2">
        <Field
          error={errorOf("env")}
          label="Environment variables (KEY=value per line)"
          hint={
            values.secretNames.length
              ? `Set (values are never shown): ${values.secretNames.join(", ")}. Leave empty to keep them; entering any replaces the whole set (to add, replace or remove one, use Environment above). Values of 4 or more characters are masked in deploy logs.`
              : "Stored encrypted and written to shared/.env (mode 0600) on each server."
          }
        >
          <TextArea name="env" rows={4} className="font-mono text-xs" />
        </Field>
      </div>
      <ChannelPicker channels={channels} selected={values.channelIds ?? null} inheritsFrom="defaults" />
      <div className="sm:col-span-2 flex items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          {values.appId ? "Save changes" : "Create app"}
        </SubmitButton>
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
    </form>
  );
}
