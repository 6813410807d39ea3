"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/server-action";
import { Button, ErrorMessage, Field, TextInput } from "./ui/form";

export function SetupForm({ action }: { action: (input: { email: string; name: string; password: string }) => Promise<ActionResult<{ email: string }>> }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      email: String(form.get("email") ?? ""),
      name: String(form.get("name") ?? ""),
      password: String(form.get("password") ?? ""),
    };
    if (input.password !== String(form.get("confirm") ?? "")) {
      setError("The two passwords do not match");
      return;
    }
    setPending(true);
    setError(null);
    const result = await action(input);
    if (!result.ok) {
      setPending(false);
      setError(result.error.message);
      return;
    }
    await signIn("credentials", { email: input.email, password: input.password, redirect: false });
    router.replace("/");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <div>
        <h1 className="text-lg font-semibold">Welcome aboard</h1>
        <p className="text-sm text-slate-500">Create the first administrator. This page disappears once an account exists.</p>
      </div>
      <Field label="Email">
        <TextInput name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Name (optional)">
        <TextInput name="name" autoComplete="name" />
      </Field>
      <Field label="Password" hint="At least 10 characters.">
        <TextInput name="password" type="password" autoComplete="new-password" required minLength={10} />
      </Field>
      <Field label="Confirm password">
        <TextInput name="confirm" type="password" autoComplete="new-password" required />
      </Field>
      <ErrorMessage>{error}</ErrorMessage>
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Creating…" : "Create admin and sign in"}
      </Button>
    </form>
  );
}
