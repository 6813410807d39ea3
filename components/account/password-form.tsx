"use client";

import { useState } from "react";
import { Section } from "../ui/section";
import { Button, ErrorMessage, Field, TextInput } from "../ui/form";
import { useServerAction, type Action } from "../use-server-action";

const FIELD_OF: Record<string, string> = { currentPassword: "current", newPassword: "new" };

/** Changing one's own password: the other sessions end, this one stays. */
export function PasswordForm({ action }: { action: Action<{ otherSessionsEnded: number }> }) {
  const { error, pending, run, setError } = useServerAction(action);
  const [done, setDone] = useState<string | null>(null);
  // A message "field: problem" belongs next to that field.
  const field = error?.match(/^(\w+): /)?.[1];
  const message = error?.replace(/^\w+: /, "") ?? null;
  const at = (name: string) => (field && FIELD_OF[field] === name ? message : null);
  return (
    <Section title="Password" size="lg" className="mb-8">
      <form
        aria-label="Change your password"
        className="grid max-w-md gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          setDone(null);
          if (f.get("newPassword") !== f.get("confirm")) {
            setError("confirm: the two new passwords do not match");
            return;
          }
          run({ currentPassword: f.get("currentPassword"), newPassword: f.get("newPassword") }, (data) => {
            form.reset();
            setDone(`Password changed. ${data.otherSessionsEnded === 1 ? "1 other session was" : `${data.otherSessionsEnded} other sessions were`} ended.`);
          });
        }}
      >
        <Field label="Current password">
          <TextInput name="currentPassword" type="password" autoComplete="current-password" required />
        </Field>
        <ErrorMessage>{at("current")}</ErrorMessage>
        <Field label="New password" hint="At least 10 characters.">
          <TextInput name="newPassword" type="password" autoComplete="new-password" required minLength={10} />
        </Field>
        <ErrorMessage>{at("new")}</ErrorMessage>
        <Field label="Confirm new password">
          <TextInput name="confirm" type="password" autoComplete="new-password" required />
        </Field>
        <ErrorMessage>{field === "confirm" ? message : field && FIELD_OF[field] ? null : error}</ErrorMessage>
        <div>
          <Button type="submit" disabled={pending}>
            {pending ? "Changing…" : "Change password"}
          </Button>
        </div>
        {done ? <p className="text-sm text-emerald-700">{done}</p> : null}
      </form>
    </Section>
  );
}
