"use client";

import { useId, useState, useTransition } from "react";
import type { UserListRow } from "@/lib/queries/users";
import { useServerAction, type Action } from "../use-server-action";
import { ConfirmButton } from "../ui/confirm-button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Button, ErrorMessage, Select, TextInput } from "../ui/form";
import { tableCellClass } from "../ui/table";
import { formatMinute } from "../ui/time";
import { notify } from "../ui/toaster";

const ROLES = ["viewer", "deployer", "admin"] as const;
const cell = tableCellClass();

export type UserRowActions = { setRole: Action; setDisabled: Action; setPassword: Action; unlock: Action; resetTwoFactor: Action; remove: Action };

/** How the user signs in: second factor on or off (an admin resets it), and a sign-in lock (an admin lifts it). */
function SignInCell({ user, unlock, reset, onDone }: { user: UserListRow; unlock: ReturnType<typeof useServerAction>; reset: ReturnType<typeof useServerAction>; onDone(m: string): void }) {
  return (
    <div className="space-y-1 text-xs">
      <div className="flex flex-wrap items-center gap-2">
        <span>{user.twoFactor ? "Two-factor on" : "Password only"}</span>
        {user.twoFactor ? (
          <ConfirmButton
            variant="secondary"
            className="px-2 py-1 text-xs"
            disabled={reset.pending}
            aria-label={`Reset two-factor sign-in of ${user.email}`}
            title={`Reset two-factor sign-in of ${user.email}?`}
            description="Their authenticator and recovery codes stop working and their sessions are ended; they sign in with the password alone until they set it up again."
            confirmLabel="Reset 2FA"
            pending={reset.pending}
            error={reset.error}
            onOpen={() => reset.setError(null)}
            onConfirm={(close) => reset.run({ userId: user.id }, () => (close(), onDone("Two-factor sign-in reset; their sessions were ended.")))}
          >
            Reset 2FA
          </ConfirmButton>
        ) : null}
      </div>
      {user.lockedUntil ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-amber-700" data-testid="locked-until">
            Locked until {formatMinute(user.lockedUntil)}
          </span>
          <Button
            variant="secondary"
            className="px-2 py-1 text-xs"
            disabled={unlock.pending}
            aria-label={`Unlock sign-in of ${user.email}`}
            onClick={() => unlock.run({ userId: user.id }, () => onDone("Unlocked: they can sign in again now."))}
          >
            Unlock
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** One row of the users table (UsersSection): a client component, as its actions share one message line. */
export function UserRow({ user, isSelf, actions }: { user: UserListRow; isSelf: boolean; actions: UserRowActions }) {
  const [rolePending, startRoleChange] = useTransition();
  const [roleError, setRoleError] = useState<string | null>(null);
  const disable = useServerAction(actions.setDisabled);
  const password = useServerAction(actions.setPassword);
  const unlock = useServerAction(actions.unlock);
  const reset = useServerAction(actions.resetTwoFactor);
  const remove = useServerAction(actions.remove);
  const [confirming, setConfirming] = useState(false);
  const emailId = useId();
  const [roleShown, setRoleShown] = useState<string>(user.role);
  const [done, setDone] = useState<string | null>(null);
  return (
    <tr className={user.disabled ? "text-slate-400" : undefined}>
      <td className={cell} id={emailId}>
        {user.email}
      </td>
      <td className={cell}>
        <Select
          aria-label={`Role of ${user.email}`}
          className="min-w-28"
          value={roleShown}
          disabled={isSelf || rolePending}
          onChange={(e) => {
            // A refused change (the last admin) puts the select back where it was.
            const previous = roleShown;
            const wanted = e.target.value;
            setRoleShown(wanted);
            setRoleError(null);
            startRoleChange(async () => {
              const r = await actions.setRole({ userId: user.id, role: wanted });
              if (!r.ok) {
                setRoleShown(previous);
                setRoleError(r.error.message);
              } else notify(`${user.email} is now ${wanted}`);
            });
          }}
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
          <TextInput name="password" type="password" placeholder="New password" aria-label={`New password for ${user.email}`} autoComplete="new-password" className="min-w-36" />
          <Button type="submit" variant="secondary" disabled={password.pending}>
            Set
          </Button>
        </form>
      </td>
      <td className={cell}>
        <SignInCell user={user} unlock={unlock} reset={reset} onDone={setDone} />
      </td>
      <td className={cell}>
        {user.disabled ? (
          <Button variant="secondary" disabled={isSelf || disable.pending} onClick={() => disable.run({ userId: user.id, disabled: false }, () => notify(`${user.email} enabled`))}>
            Enable
          </Button>
        ) : (
          <ConfirmButton
            variant="secondary"
            disabled={isSelf || disable.pending}
            aria-describedby={emailId}
            title={`Disable ${user.email}?`}
            description="They are signed out and cannot sign in, and the API tokens they made stop working, until an admin enables them again."
            confirmLabel="Disable user"
            pending={disable.pending}
            error={disable.error}
            onOpen={() => disable.setError(null)}
            onConfirm={(close) => disable.run({ userId: user.id, disabled: true }, () => (close(), notify(`${user.email} disabled`)))}
          >
            Disable
          </ConfirmButton>
        )}{" "}
        {isSelf ? null : (
          <Button
            variant="danger"
            // Described by the email cell, not labelled with it: the cell's own name stays the plain email.
            aria-describedby={emailId}
            onClick={() => {
              remove.setError(null);
              setConfirming(true);
            }}
          >
            Delete
          </Button>
        )}
        <ConfirmDialog
          open={confirming}
          title={`Delete ${user.email}?`}
          confirmLabel="Delete user"
          pending={remove.pending}
          error={remove.error}
          onCancel={() => setConfirming(false)}
          onConfirm={() => remove.run({ userId: user.id }, () => (setConfirming(false), notify(`${user.email} deleted`)))}
        >
          They are signed out and the API tokens they made are revoked. Their audit history stays, under their email.
        </ConfirmDialog>
        <ErrorMessage>{roleError ?? (user.disabled ? disable.error : null) ?? password.error ?? unlock.error}</ErrorMessage>
        {done ? <p className="text-xs text-emerald-700">{done}</p> : null}
      </td>
    </tr>
  );
}
