"use client";

import { signOut } from "next-auth/react";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/server-action";
import { Button, ErrorMessage, Field, TextInput } from "../ui/form";

type Submit = (input: unknown) => Promise<ActionResult<{ method: string; recoveryCodesLeft: number }>>;

/** Step two: the 6-digit code from the authenticator app, or one of the recovery codes. */
export function SecondFactorForm({ email, next, submit }: { email: string; next: string; submit: Submit }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    start(async () => {
      setError(null);
      const result = await submit({ code });
      if (!result.ok) {
        setError(result.error.message.replace(/^code: /, ""));
        return;
      }
      window.location.replace(next);
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Two-factor code">
      <div>
        <h1 className="text-lg font-semibold">Two-factor sign-in</h1>
        <p className="text-sm text-slate-500">
          Signing in as <span className="font-medium text-slate-700">{email}</span>.
        </p>
      </div>
      <Field label="Authentication code" hint="The 6 digits your authenticator app shows, or one of your recovery codes.">
        <TextInput name="code" autoComplete="one-time-code" autoCapitalize="none" spellCheck={false} required autoFocus aria-invalid={error ? true : undefined} aria-describedby={error ? "code-error" : undefined} />
      </Field>
      <div id="code-error">
        <ErrorMessage>{error}</ErrorMessage>
      </div>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Checking…" : "Verify"}
      </Button>
      <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className="w-full text-center text-sm text-slate-500 hover:text-slate-900">
        Sign in as someone else
      </button>
    </form>
  );
}
