"use client";

import { useState } from "react";
import { Section } from "../ui/section";
import { ErrorMessage, Field, SubmitButton, TextInput } from "../ui/form";
import { useActionForm } from "../use-action-form";
import type { Action } from "../use-server-action";

const input = (f: FormData) => ({ currentPassword: f.get("currentPassword"), newPassword: f.get("newPassword") });
const confirmed = (f: FormData) => (f.get("newPassword") !== f.get("confirm") ? { confirm: "The two new passwords do not match." } : null);

/** Changing one's own password: the other sessions end, this one stays. */
export function PasswordForm({ action }: { action: Action<{ otherSessionsEnded: number }> }) {
  const [done, setDone] = useState<string | null>(null);
  const { state, pending, errorOf, formProps } = useActionForm(
    action,
    (f) => (setDone(null), input(f)),
    (data, form) => {
      form.reset();
      setDone(`Password changed. ${data.otherSessionsEnded === 1 ? "1 other session was" : `${data.otherSessionsEnded} other sessions were`} ended.`);
    },
    confirmed,
  );
  return (
    <Section title="Password" size="lg" className="mb-8">
      <form aria-label="Change your password" className="grid max-w-md gap-3" {...formProps}>
        <Field label="Current password" error={errorOf("currentPassword")}>
          <TextInput name="currentPassword" type="password" autoComplete="current-password" required />
        </Field>
        <Field label="New password" hint="At least 10 characters." error={errorOf("newPassword")}>
          <TextInput name="newPassword" type="password" autoComplete="new-password" required minLength={10} />
        </Field>
        <Field label="Confirm new password" error={errorOf("confirm")}>
          <TextInput name="confirm" type="password" autoComplete="new-password" required />
        </Field>
        <ErrorMessage>{state.formError}</ErrorMessage>
        <div>
          <SubmitButton pending={pending} pendingLabel="Changing…">
            Change password
          </SubmitButton>
        </div>
        {done ? (
          <p role="status" className="text-sm text-emerald-700">
            {done}
          </p>
        ) : null}
      </form>
    </Section>
  );
}
