"use client";

import { useState } from "react";
import { useServerAction, type Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { Button, ErrorMessage, Field, SubmitButton, TextInput } from "../ui/form";

type Started = { secret: string; qrSvg: string; uri: string };

/**
 * Enrolment: a QR code (made on the server) and the secret as text, a code to confirm it, then the ten
 * recovery codes, shown this once.
 */
export function TwoFactorSetup({ start, confirm, onDone, doneLabel }: { start: Action<Started>; confirm: Action<{ recoveryCodes: string[] }>; onDone(): void; doneLabel: string }) {
  const starting = useServerAction(start);
  const [started, setStarted] = useState<Started | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const confirming = useActionForm(
    confirm,
    (f) => ({ code: f.get("code") }),
    (data) => setCodes(data.recoveryCodes),
  );

  if (codes) {
    return (
      <div className="space-y-3" data-testid="recovery-codes">
        <p className="text-sm font-medium">Two-factor sign-in is on. Save these recovery codes now: each signs you in once without your phone, and they are not shown again.</p>
        <ol className="grid grid-cols-2 gap-x-4 gap-y-1 rounded-md bg-slate-50 p-3 font-mono text-sm ring-1 ring-slate-200">
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ol>
        <Button type="button" onClick={onDone}>
          {doneLabel}
        </Button>
      </div>
    );
  }

  if (!started) {
    return (
      <div className="space-y-3">
        <Button type="button" disabled={starting.pending} onClick={() => starting.run({}, setStarted)}>
          {starting.pending ? "Preparing…" : "Set up two-factor sign-in"}
        </Button>
        <ErrorMessage>{starting.error}</ErrorMessage>
      </div>
    );
  }

  return (
    <form aria-label="Confirm two-factor set-up" className="space-y-4" {...confirming.formProps}>
      <p className="text-sm text-slate-600">Scan this with an authenticator app (any app for TOTP codes), or type the key into it.</p>
      <div className="flex flex-wrap items-start gap-4">
        {/* The SVG is made on the server by the qrcode package from our own otpauth URI. */}
        <div role="img" aria-label="QR code of the two-factor secret" className="h-44 w-44 shrink-0 rounded-md bg-white p-1 ring-1 ring-slate-200 [&>svg]:h-full [&>svg]:w-full" dangerouslySetInnerHTML={{ __html: started.qrSvg }} />
        <div className="min-w-0 space-y-1 text-sm">
          <p className="font-medium text-slate-700">Key</p>
          <code className="block break-all font-mono text-xs" data-testid="totp-secret">
            {started.secret}
          </code>
        </div>
      </div>
      <Field label="Code from the app" hint="6 digits; it changes every 30 seconds." error={confirming.errorOf("code")}>
        <TextInput name="code" inputMode="numeric" autoComplete="one-time-code" required maxLength={10} className="max-w-40" />
      </Field>
      <ErrorMessage>{confirming.state.formError}</ErrorMessage>
      <SubmitButton pending={confirming.pending} pendingLabel="Checking…">
        Turn on
      </SubmitButton>
    </form>
  );
}
