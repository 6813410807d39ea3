"use client";

import { useState } from "react";
import { useServerAction, type Action } from "../use-server-action";
import { ConfirmButton } from "../ui/confirm-button";
import { Button, ErrorMessage, Field, Select, TextInput } from "../ui/form";
import { notify } from "../ui/toaster";

const ROLES = ["viewer", "deployer", "admin"] as const;

export function CreateUserForm({ action }: { action: Action }) {
  const { error, pending, run } = useServerAction(action);
  return (
    <form
      aria-label="Add user"
      className="grid gap-3 sm:grid-cols-4 sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        run({ email: f.get("email"), password: f.get("password"), role: f.get("role") }, () => form.reset());
      }}
    >
      <Field label="Email">
        <TextInput name="email" type="email" required />
      </Field>
      <Field label="Initial password">
        <TextInput name="password" type="password" required minLength={10} autoComplete="new-password" />
      </Field>
      <Field label="Role">
        <Select name="role" defaultValue="viewer">
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
      </Field>
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add user"}
      </Button>
      <div className="sm:col-span-4">
        <ErrorMessage>{error}</ErrorMessage>
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

export function CreateTokenForm({ action }: { action: Action<{ token: string; name: string }> }) {
  const { error, pending, run } = useServerAction(action);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  return (
    <div className="space-y-3">
      <form
        aria-label="Create API token"
        className="grid gap-3 sm:grid-cols-4 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          const expiry = String(f.get("expiry"));
          run({ name: f.get("name"), role: f.get("role"), expiresInDays: expiry === "never" ? null : Number(expiry) }, (data) => {
            setCreated(data);
            form.reset();
          });
        }}
      >
        <Field label="Token name">
          <TextInput name="name" required placeholder="ci" />
        </Field>
        <Field label="Role">
          <Select name="role" defaultValue="deployer">
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </Select>
        </Field>
        <Field label="Expires after">
          <Select name="expiry" defaultValue="90">
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.days} value={c.days}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      <ErrorMessage>{error}</ErrorMessage>
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
  const { error, pending, run } = useServerAction(action);
  const [saved, setSaved] = useState(false);
  return (
    <form
      aria-label="Two-factor sign-in policy"
      className="grid gap-3 sm:grid-cols-3 sm:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        setSaved(false);
        run({ policy: new FormData(e.currentTarget).get("policy") }, () => setSaved(true));
      }}
    >
      <Field label="Two-factor sign-in">
        <Select name="policy" defaultValue={policy}>
          {POLICIES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </Select>
      </Field>
      <Button type="submit" variant="secondary" disabled={pending}>
        Save
      </Button>
      <div className="sm:col-span-3">
        <ErrorMessage>{error}</ErrorMessage>
        {saved ? <p className="text-sm text-emerald-700">Saved. Whoever it now requires sets it up before anything else.</p> : null}
      </div>
    </form>
  );
}
