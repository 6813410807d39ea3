"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { PushSettingsView } from "@/lib/queries/push";
import { ConfirmButton } from "../ui/confirm-button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyLine } from "../ui/empty";
import { ErrorMessage, Field, Select, SubmitButton, TextInput } from "../ui/form";
import { Section } from "../ui/section";
import { formatTime } from "../ui/time";
import { CopyValue } from "../ui/copy-value";
import { useServerAction, type Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";

type Saved = { url: string; secret: string };

function WebhookForm({ appId, webhook, webhookUrl, save }: { appId: string; webhook: PushSettingsView["webhook"]; webhookUrl: string; save: Action }) {
  const router = useRouter();
  const [kind, setKind] = useState<"branch" | "tag">(webhook?.tagPattern ? "tag" : "branch");
  const [saved, setSaved] = useState<Saved | null>(null);
  // Saving an existing webhook rotates its secret: the form asks first, and is sent again once confirmed.
  const [rotating, setRotating] = useState<{ form: HTMLFormElement; seq: number } | null>(null);
  const confirmed = useRef(false);
  // The value's control is named as the input's field (branch or tagPattern), so the server's error lands on it.
  const field = kind === "branch" ? "branch" : "tagPattern";
  const toInput = (f: FormData) => ({ appId, environment: "production", [field]: String(f.get(field) ?? "").trim() });
  const { state, pending, errorOf, formProps } = useActionForm(save as Action<Saved>, toInput, (data) => {
    confirmed.current = false;
    setRotating(null);
    setSaved(data);
    router.refresh();
  });
  // A refused save says why inside the dialog that asked for it.
  const refused = rotating && state.seq > rotating.seq && state.ok === false ? (state.formError ?? Object.values(state.fieldErrors)[0] ?? null) : null;
  return (
    <div className="space-y-3">
      {webhook ? (
        <p className="text-sm" data-testid="webhook-settings">
          Deploys{" "}
          {webhook.branch ? (
            <>
              pushes to <span className="font-mono">{webhook.branch}</span>
            </>
          ) : (
            <>
              tags matching <span className="font-mono">{webhook.tagPattern}</span>
            </>
          )}{" "}
          to {webhook.environment}. URL <span className="break-all font-mono text-xs">{webhookUrl}</span>. Secret set {formatTime(webhook.rotatedAt)} by {webhook.createdBy}.
        </p>
      ) : (
        <EmptyLine>No webhook yet: create one to deploy on every push.</EmptyLine>
      )}
      <form
        aria-label="Push webhook"
        className="grid gap-2 sm:grid-cols-[auto_1fr_auto] sm:items-start"
        {...formProps}
        onSubmit={(e) => {
          if (webhook && !confirmed.current) {
            e.preventDefault();
            setRotating({ form: e.currentTarget, seq: state.seq });
            return;
          }
          formProps.onSubmit(e);
        }}
      >
        <Field label="Deploy on">
          <Select value={kind} onChange={(e) => setKind(e.target.value === "tag" ? "tag" : "branch")} name="kind">
            <option value="branch">a push to branch</option>
            <option value="tag">a tag matching</option>
          </Select>
        </Field>
        <Field label={kind === "branch" ? "Branch" : "Tag pattern"} error={errorOf(field)}>
          <TextInput name={field} required className="font-mono" placeholder={kind === "branch" ? "main" : "v*"} defaultValue={(kind === "branch" ? webhook?.branch : webhook?.tagPattern) ?? ""} key={kind} autoComplete="off" />
        </Field>
        <SubmitButton pending={pending} pendingLabel="Saving…" className="sm:mt-6">
          {webhook ? "Save and rotate secret" : "Create webhook"}
        </SubmitButton>
        <div className="sm:col-span-3">
          <ErrorMessage>{rotating ? null : state.formError}</ErrorMessage>
        </div>
      </form>
      {rotating ? (
        <ConfirmDialog
          open
          title="Rotate the webhook secret?"
          confirmLabel="Save and rotate"
          pending={pending}
          error={refused}
          onCancel={() => {
            confirmed.current = false;
            setRotating(null);
          }}
          onConfirm={() => {
            confirmed.current = true;
            rotating.form.requestSubmit();
          }}
        >
          The old secret stops working at once: update it at your Git host.
        </ConfirmDialog>
      ) : null}
      {saved ? (
        <div className="space-y-2 rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          <p className="font-medium">Copy the secret now: it is not shown again.</p>
          <CopyValue label="Webhook URL" value={saved.url} testId="webhook-url" />
          <CopyValue label="Secret" value={saved.secret} testId="webhook-secret" />
        </div>
      ) : null}
    </div>
  );
}

function DeployHookRow({ appId, hook, remove }: { appId: string; hook: PushSettingsView["deployHooks"][number]; remove: Action }) {
  const router = useRouter();
  const action = useServerAction(remove);
  return (
    <li className="py-2" data-testid={`deploy-hook-${hook.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-sm">
          <span className="font-medium">{hook.name}</span> deploys <span className="font-mono">{hook.ref}</span>
          <span className="text-xs text-slate-500"> · {hook.lastUsedAt ? `last used ${formatTime(hook.lastUsedAt)}` : "never used"}</span>
        </span>
        <ConfirmButton
          aria-label={`Remove deploy hook ${hook.name}`}
          disabled={action.pending}
          title={`Remove the deploy hook ${hook.name}?`}
          description="Its URL stops working at once: a CI job that calls it gets 404."
          confirmLabel="Remove deploy hook"
          pending={action.pending}
          error={action.error}
          onOpen={() => action.setError(null)}
          onConfirm={(close) => action.run({ appId, hookId: hook.id }, () => (close(), router.refresh()))}
        >
          {action.pending ? "Removing…" : "Remove"}
        </ConfirmButton>
      </div>
    </li>
  );
}

function DeployHooks({ appId, hooks, create, remove }: { appId: string; hooks: PushSettingsView["deployHooks"]; create: Action; remove: Action }) {
  const router = useRouter();
  const [created, setCreated] = useState<{ name: string; url: string } | null>(null);
  const toInput = (f: FormData) => ({ appId, name: String(f.get("name") ?? ""), ref: String(f.get("ref") ?? ""), environment: "production" });
  const { state, pending, errorOf, formProps } = useActionForm(create as Action<{ name: string; url: string }>, toInput, (data, form) => {
    setCreated(data);
    form.reset();
    router.refresh();
  });
  return (
    <div className="space-y-2 border-t border-slate-200 pt-3">
      <h3 className="text-sm font-semibold">Deploy hooks</h3>
      <p className="text-sm text-slate-500">A URL that deploys a ref on POST (curl -X POST &lt;url&gt;), for CI without webhooks.</p>
      {hooks.length === 0 ? (
        <EmptyLine>No deploy hooks.</EmptyLine>
      ) : (
        <ul className="divide-y divide-slate-100">
          {hooks.map((h) => (
            <DeployHookRow key={h.id} appId={appId} hook={h} remove={remove} />
          ))}
        </ul>
      )}
      <form aria-label="Add a deploy hook" className="grid gap-2 sm:grid-cols-[1fr_1fr_auto] sm:items-start" {...formProps}>
        <Field label="Name" error={errorOf("name")}>
          <TextInput name="name" required placeholder="ci" autoComplete="off" />
        </Field>
        <Field label="Ref to deploy" error={errorOf("ref")}>
          <TextInput name="ref" required className="font-mono" placeholder="main" autoComplete="off" />
        </Field>
        <SubmitButton pending={pending} pendingLabel="Adding…" className="sm:mt-6">
          Add deploy hook
        </SubmitButton>
        <div className="sm:col-span-3">
          <ErrorMessage>{state.formError}</ErrorMessage>
        </div>
      </form>
      {created ? (
        <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          <p className="mb-2 font-medium">Copy the URL of “{created.name}” now: it holds its secret and is not shown again.</p>
          <CopyValue label="Deploy hook URL" value={created.url} testId="deploy-hook-url" />
        </div>
      ) : null}
    </div>
  );
}

/** Admins: the app's push webhook (create, or rotate its secret) and its deploy hooks. */
export function PushToDeploy(props: { appId: string; settings: PushSettingsView; webhookUrl: string; saveWebhook: Action; createHook: Action; removeHook: Action; className?: string }) {
  return (
    <Section
      className={props.className}
      title="Push to deploy"
      id="push-to-deploy"
      description="Give the URL and secret to GitHub, GitLab, Gitea/Forgejo (content type application/json) or your own sender: a push to the branch deploys the exact commit pushed."
    >
      <div className="space-y-4">
        <WebhookForm appId={props.appId} webhook={props.settings.webhook} webhookUrl={props.webhookUrl} save={props.saveWebhook} />
        <DeployHooks appId={props.appId} hooks={props.settings.deployHooks} create={props.createHook} remove={props.removeHook} />
      </div>
    </Section>
  );
}
