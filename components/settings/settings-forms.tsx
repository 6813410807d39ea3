"use client";

import { useState } from "react";
import type { UserListRow } from "@/lib/queries/users";
import { useServerAction, type Action } from "../use-server-action";
import { Button, ErrorMessage, Field, Select, TextInput } from "../ui/form";
import { tableCellClass } from "../ui/table";

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

const cell = tableCellClass();

/** One row of the users table (UsersSection): a client component, as its three actions share one message line. */
export function UserRow({
  user,
  isSelf,
  setRole,
  setDisabled,
  setPassword,
}: {
  user: Pick<UserListRow, "id" | "email" | "role" | "disabled">;
  isSelf: boolean;
  setRole: Action;
  setDisabled: Action;
  setPassword: Action;
}) {
  const role = useServerAction(setRole);
  const disable = useServerAction(setDisabled);
  const password = useServerAction(setPassword);
  const [done, setDone] = useState<string | null>(null);
  return (
    <tr className={user.disabled ? "text-slate-400" : undefined}>
      <td className={cell}>{user.email}</td>
      <td className={cell}>
        <Select
          aria-label={`Role of ${user.email}`}
          defaultValue={user.role}
          disabled={isSelf || role.pending}
          onChange={(e) => role.run({ userId: user.id, role: e.target.value })}
        >
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
      </td>
      <td className={cell}>
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            password.run({ userId: user.id, password: new FormData(form).get("password") }, () => {
              form.reset();
              setDone("Password changed; their sessions were ended.");
            });
          }}
        >
          <TextInput name="password" type="password" placeholder="New password" aria-label={`New password for ${user.email}`} autoComplete="new-password" />
          <Button type="submit" variant="secondary" disabled={password.pending}>
            Set
          </Button>
        </form>
      </td>
      <td className={cell}>
        <Button
          variant="secondary"
          disabled={isSelf || disable.pending}
          onClick={() => disable.run({ userId: user.id, disabled: !user.disabled })}
        >
          {user.disabled ? "Enable" : "Disable"}
        </Button>
        <ErrorMessage>{role.error ?? disable.error ?? password.error}</ErrorMessage>
        {done ? <p className="text-xs text-emerald-700">{done}</p> : null}
      </td>
    </tr>
  );
}

export function CreateTokenForm({ action }: { action: Action<{ token: string; name: string }> }) {
  const { error, pending, run } = useServerAction(action);
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  return (
    <div className="space-y-3">
      <form
        aria-label="Create API token"
        className="grid gap-3 sm:grid-cols-3 sm:items-end"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          run({ name: f.get("name"), role: f.get("role") }, (data) => {
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

export function RevokeTokenButton({ tokenId, action }: { tokenId: string; action: Action }) {
  const { error, pending, run } = useServerAction(action);
  return (
    <>
      <Button variant="danger" disabled={pending} onClick={() => run({ tokenId })}>
        Revoke
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </>
  );
}
