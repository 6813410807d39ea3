"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { EnvironmentJson } from "@/lib/queries/environments";
import { ErrorMessage, Field, Select, SubmitButton, TextInput } from "../ui/form";
import { notify } from "../ui/toaster";
import { useActionForm } from "../use-action-form";
import type { Action } from "../use-server-action";

export type ServerOption = { id: string; name: string; host: string };

/** What the form starts from: an existing environment (edit) or nothing (add). */
type Initial = Pick<
  EnvironmentJson,
  "name" | "position" | "deployPath" | "healthUrl" | "strategy" | "batchSize" | "requireApproval" | "approvalTtlMinutes" | "soakMinutes" | "verdict" | "verdictMaxErrorRateIncrease" | "verdictMaxLatencyRatio"
> & {
  serverIds: string[];
};

/** A number field as the action's schema wants it: empty is "not given", text that is no number goes as typed (the schema says "must be a number"). */
function numberOf(value: FormDataEntryValue | null): number | string | undefined {
  const text = String(value ?? "").trim();
  if (!text) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

const textOf = (value: FormDataEntryValue | null) => String(value ?? "").trim();

/**
 * The create/update action's input from the form. Adding, an empty field is left out (the schema's default);
 * editing, an empty override (deploy path, health URL, rollout, batch size) is null: the app's own value again.
 */
export function environmentInputFromForm(f: FormData, appId: string, editing: string | null) {
  const empty = editing ? null : undefined;
  const optional = (key: string) => numberOf(f.get(key));
  const input = {
    appId,
    name: editing ?? f.get("name"),
    serverIds: f.getAll("serverIds"),
    position: optional("position"),
    deployPath: textOf(f.get("deployPath")) || empty,
    healthUrl: textOf(f.get("healthUrl")) || empty,
    strategy: textOf(f.get("strategy")) || empty,
    batchSize: optional("batchSize") ?? empty,
    requireApproval: f.get("requireApproval") === "on",
    approvalTtlMinutes: optional("approvalTtlMinutes"),
    soakMinutes: optional("soakMinutes"),
    verdict: textOf(f.get("verdict")) || undefined,
    verdictMaxErrorRateIncrease: optional("verdictMaxErrorRateIncrease"),
    verdictMaxLatencyRatio: optional("verdictMaxLatencyRatio"),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/** Add an environment (no `initial`) or edit one: servers, place in the promotion order, path and release policy. */
export function EnvironmentForm({ appId, servers, initial, action }: { appId: string; servers: ServerOption[]; initial?: Initial; action: Action<{ name: string }> }) {
  const router = useRouter();
  const editing = initial?.name ?? null;
  const [approval, setApproval] = useState(initial?.requireApproval ?? false);
  const serversErrorId = useId();
  const { state, pending, errorOf, formProps } = useActionForm(
    action,
    (f) => environmentInputFromForm(f, appId, editing),
    (data, form) => {
      notify(editing ? `${data.name} saved` : `${data.name} added`);
      if (!editing) {
        form.reset();
        setApproval(false);
      }
      router.refresh();
    },
  );
  const serversError = errorOf("serverIds");
  return (
    <div className="@container">
      <form className="grid gap-4 @xl:grid-cols-2" aria-label={editing ? `Edit ${editing}` : "Add environment"} data-testid={editing ? `edit-environment-${editing}` : "add-environment"} {...formProps}>
        {editing ? null : (
          <Field label="Name" error={errorOf("name")} hint="Lowercase letters, digits and -, such as staging or qa.">
            <TextInput name="name" required autoComplete="off" placeholder="staging" />
          </Field>
        )}
        <Field label="Position in the promotion order" error={errorOf("position")} hint="Promotion goes to the next higher number. production is 100; staging before it could be 10.">
          <TextInput name="position" type="number" inputMode="numeric" defaultValue={initial?.position ?? ""} placeholder="10" />
        </Field>
        <fieldset className="@xl:col-span-2">
          <legend className="text-sm font-medium text-slate-700">Servers to deploy to</legend>
          {servers.length === 0 ? <p className="text-sm text-slate-500">Add a server first (Servers).</p> : null}
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-2">
            {servers.map((s) => (
              <label key={s.id} className="flex min-w-0 items-center gap-2 text-sm">
                <input type="checkbox" name="serverIds" value={s.id} defaultChecked={initial?.serverIds.includes(s.id)} aria-invalid={serversError ? true : undefined} aria-describedby={serversError ? serversErrorId : undefined} />
                <span className="break-all">
                  {s.name} <span className="text-slate-500">{s.host}</span>
                </span>
              </label>
            ))}
          </div>
          <p className="mt-1 text-xs text-slate-500">A server serves one environment of an app.</p>
          {serversError ? (
            <p id={serversErrorId} className="mt-1 text-sm font-medium text-rose-700" data-field-error>
              {serversError}
            </p>
          ) : null}
        </fieldset>
        <Field label="Deploy path (optional)" error={errorOf("deployPath")} hint="Empty: the app's deploy path. Two environments on one machine need paths of their own.">
          <TextInput name="deployPath" defaultValue={initial?.deployPath ?? ""} className="font-mono" autoComplete="off" placeholder="/srv/shop-staging" />
        </Field>
        <Field label="Health URL (optional)" error={errorOf("healthUrl")} hint="Empty: the app's health URL.">
          <TextInput name="healthUrl" type="url" defaultValue={initial?.healthUrl ?? ""} autoComplete="off" placeholder="http://127.0.0.1:3001/health" />
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Rollout" error={errorOf("strategy")}>
            <Select name="strategy" defaultValue={initial?.strategy ?? ""}>
              <option value="">the app&apos;s</option>
              <option value="parallel">parallel</option>
              <option value="rolling">rolling</option>
            </Select>
          </Field>
          <Field label="Batch size" error={errorOf("batchSize")} hint="Rolling only; empty: the app's.">
            <TextInput name="batchSize" type="number" inputMode="numeric" defaultValue={initial?.batchSize ?? ""} />
          </Field>
        </div>
        <fieldset className="grid gap-3 @xl:col-span-2 @xl:grid-cols-2">
          <legend className="mb-1 text-sm font-medium text-slate-700">Approval</legend>
          <label className="flex items-center gap-2 self-center text-sm">
            <input type="checkbox" name="requireApproval" checked={approval} onChange={(e) => setApproval(e.target.checked)} /> Require approval: a deploy waits until another deployer approves it
          </label>
          <Field label="Approval expires after (minutes)" error={errorOf("approvalTtlMinutes")} hint="An unanswered request expires (default 1440, a day).">
            <TextInput name="approvalTtlMinutes" type="number" inputMode="numeric" defaultValue={initial?.approvalTtlMinutes ?? ""} placeholder="1440" disabled={!approval} />
          </Field>
        </fieldset>
        <fieldset className="grid gap-3 @xl:col-span-2 @xl:grid-cols-2">
          <legend className="mb-1 text-sm font-medium text-slate-700">Release verdict</legend>
          <Field label="After the health check" error={errorOf("verdict")} hint="Compares the new release with the previous one on the app's monitors.">
            <Select name="verdict" defaultValue={initial?.verdict ?? "off"}>
              <option value="off">no verdict (off)</option>
              <option value="alert">alert on a regression</option>
              <option value="rollback">roll back on a regression</option>
            </Select>
          </Field>
          <Field label="Soak (minutes)" error={errorOf("soakMinutes")} hint="How long the new release runs before it is judged.">
            <TextInput name="soakMinutes" type="number" inputMode="numeric" defaultValue={initial?.soakMinutes ?? ""} placeholder="5" />
          </Field>
          <Field label="Error rate may rise by (points)" error={errorOf("verdictMaxErrorRateIncrease")} hint="Percentage points over the previous release (default 5).">
            <TextInput name="verdictMaxErrorRateIncrease" type="number" inputMode="decimal" step="any" defaultValue={initial?.verdictMaxErrorRateIncrease ?? ""} placeholder="5" />
          </Field>
          <Field label="p95 latency may grow by (×)" error={errorOf("verdictMaxLatencyRatio")} hint="A factor of the previous release's p95 (default 2).">
            <TextInput name="verdictMaxLatencyRatio" type="number" inputMode="decimal" step="any" defaultValue={initial?.verdictMaxLatencyRatio ?? ""} placeholder="2" />
          </Field>
        </fieldset>
        <div className="flex flex-wrap items-center gap-3 @xl:col-span-2">
          <SubmitButton pending={pending} pendingLabel="Saving…">
            {editing ? "Save environment" : "Add environment"}
          </SubmitButton>
          <ErrorMessage>{state.formError}</ErrorMessage>
        </div>
      </form>
    </div>
  );
}
