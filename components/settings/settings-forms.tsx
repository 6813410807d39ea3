"use client";

import { useState } from "react";
import { useServerAction, type Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { ConfirmButton } from "../ui/confirm-button";
import { ErrorMessage, Field, Select, SubmitButton, TextInput } from "../ui/form";
import { notify } from "../ui/toaster";

const ROLES = ["viewer", "deployer", "admin"] as const;

const userInput = (f: FormData) => ({ email: f.get("email"), password: f.get("password"), role: f.get("role") });

export function CreateUserForm({ action }: { action: Action }) {
  const { state, pending, errorOf, formProps } = useActionForm(action, userInput, (_data, form) => form.reset());
  return (
    <form aria-label="Add user" className="grid gap-3 sm:grid-cols-4 sm:items-start" {...formProps}>
      <Field label="Email" error={errorOf("email")}>
        <TextInput name="email" type="email" required />
      </Field>
      <Field label="Initial password" error={errorOf("password")}>
        <TextInput name="password" type="password" required minLength={10} autoComplete="new-password" />
      </Field>
      <Field label="Role" error={errorOf("role")}>
        <Select name="role" defaultValue="viewer">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
      </Field>
      <SubmitButton pending={pending} pendingLabel="Adding…" className="sm:mt-6">
        Add user
      </SubmitButton>
      <div className="sm:col-span-4">
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
    </form>
  );
}

const EXPIRY_CHOICES = [
  { days: "30", label: "30 days" },
  { days: "90", label: "90 days" },
  { days: "180", label: "180 days" },
  { days: "365", label: "1 year" },
  { days: "never", label: "Never" },
] as const;

function tokenInput(f: FormData) {
  const expiry = String(f.get("expiresInDays"));
  return { name: f.get("name"), role: f.get("role"), expiresInDays: expiry === "never" ? null : Number(expiry) };
}

export function CreateTokenForm({ action }: { action: Action<{ token: string; name: string }> }) {
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const { state, pending, errorOf, formProps } = useActionForm(action, tokenInput, (data, form) => {
    setCreated(data);
    form.reset();
  });
  return (
    <div className="space-y-3">
      <form aria-label="Create API token" className="grid gap-3 sm:grid-cols-4 sm:items-start" {...formProps}>
        <Field label="Token name" error={errorOf("name")}>
          <TextInput name="name" required placeholder="ci" />
        </Field>
        <Field label="Role" error={errorOf("role")}>
          <Select name="role" defaultValue="deployer">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </Select>
        </Field>
        <Field label="Expires after" error={errorOf("expiresInDays")}>
          <Select name="expiresInDays" defaultValue="90">
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.days} value={c.days}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
        <SubmitButton pending={pending} pendingLabel="Creating…" className="sm:mt-6">
          Create token
        </SubmitButton>
      </form>
      <ErrorMessage>{state.formError}</ErrorMessage>
      {created ? (
        <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200">
          <p className="font-medium">Copy the token for “{created.name}” now: it is not shown again.</p>
          <code className="mt-1 block break-all font-mono text-xs" data-testid="new-token">
            {created.token}
          </code>
        </div>
      ) : null}
    </div>
  );
}

/** Revoking is asked about first: whatever uses the token is refused from its next request. */
export function RevokeTokenButton({ tokenId, name, action }: { tokenId: string; name: string; action: Action }) {
  const { error, pending, run, setError } = useServerAction(action);
  return (
    <ConfirmButton
      disabled={pending}
      aria-label={`Revoke token ${name}`}
      title={`Revoke the token “${name}”?`}
      description="Whatever uses it is refused from its next request. A revoked token cannot be brought back."
      confirmLabel="Revoke token"
      pending={pending}
      error={error}
      onOpen={() => setError(null)}
      onConfirm={(close) =>
        run({ tokenId }, () => {
          close();
          notify(`Token “${name}” revoked`);
        })
      }
    >
      Revoke
    </ConfirmButton>
  );
}

const POLICIES = [
  { value: "off", label: "Not required" },
  { value: "admins", label: "Required for admins" },
  { value: "everyone", label: "Required for everyone" },
] as const;

/** Who must use two-factor sign-in; someone without it is led to set it up at their next request. */
export function TwoFactorPolicyForm({ policy, action }: { policy: string; action: Action }) {
  const [saved, setSaved] = useState(false);
  const { state, pending, errorOf, formProps } = useActionForm(
    action,
    (f) => (setSaved(false), { policy: f.get("policy") }),
    () => setSaved(true),
  );
  return (
    <form aria-label="Two-factor sign-in policy" className="grid gap-3 sm:grid-cols-3 sm:items-start" {...formProps}>
      <Field label="Two-factor sign-in" error={errorOf("policy")}>
        <Select name="policy" defaultValue={policy}>
          {POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </Select>
      </Field>
      <SubmitButton variant="secondary" pending={pending} pendingLabel="Saving…" className="sm:mt-6">
        Save
      </SubmitButton>
      <div className="sm:col-span-3">
        <ErrorMessage>{state.formError}</ErrorMessage>
        {saved ? (
          <p role="status" className="text-sm text-emerald-700">
            Saved. Whoever it now requires sets it up before anything else.
          </p>
        ) : null}
      </div>
    </form>
  );
}
