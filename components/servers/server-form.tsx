"use client";

import { useState } from "react";
import { ErrorMessage, Field, SubmitButton, TextArea, TextInput } from "../ui/form";
import { useActionForm } from "../use-action-form";
import type { Action } from "../use-server-action";

/** The create action's input, read from the form (the action's zod schema checks it). */
function serverInputFromForm(f: FormData) {
  return {
    name: f.get("name"),
    host: f.get("host"),
    port: f.get("port"),
    username: f.get("username"),
    hostKeyFingerprint: f.get("hostKeyFingerprint"),
    ...(f.get("keyMode") === "paste" ? { privateKey: f.get("privateKey") } : { generateKey: true }),
  };
}

export function ServerForm({ action }: { action: Action<{ id: string; name: string; publicKey: string }> }) {
  const [keyMode, setKeyMode] = useState<"generate" | "paste">("generate");
  const [created, setCreated] = useState<{ name: string; publicKey: string } | null>(null);
  const { state, pending, errorOf, formProps } = useActionForm(action, serverInputFromForm, (data, form) => {
    setCreated({ name: data.name, publicKey: data.publicKey });
    form.reset();
    setKeyMode("generate");
  });
  return (
    <div className="space-y-4">
      <form className="grid gap-4 sm:grid-cols-2" aria-label="Add a server" {...formProps}>
        <Field label="Name" error={errorOf("name")}>
          <TextInput name="name" required placeholder="web-1" />
        </Field>
        <Field label="Host" error={errorOf("host")}>
          <TextInput name="host" required placeholder="10.0.0.12 or web-1.internal" />
        </Field>
        <Field label="SSH port" error={errorOf("port")}>
          <TextInput name="port" type="number" inputMode="numeric" defaultValue={22} min={1} max={65535} />
        </Field>
        <Field label="User" error={errorOf("username")}>
          <TextInput name="username" required placeholder="deploy" />
        </Field>
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium text-slate-700">Private key</legend>
          <div className="mt-1 flex gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input type="radio" name="keyMode" value="generate" checked={keyMode === "generate"} onChange={() => setKeyMode("generate")} /> Generate an ed25519 key for me
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="keyMode" value="paste" checked={keyMode === "paste"} onChange={() => setKeyMode("paste")} /> Paste a private key
            </label>
          </div>
          {keyMode === "paste" ? (
            <div className="mt-2">
              <Field label="Private key" error={errorOf("privateKey")}>
                <TextArea name="privateKey" rows={5} required className="font-mono text-xs" placeholder="Paste an OpenSSH or PEM private key" />
              </Field>
            </div>
          ) : null}
          <p className="mt-1 text-xs text-slate-500">Stored encrypted; never shown again or sent to a browser.</p>
        </fieldset>
        <div className="sm:col-span-2">
          <Field
            label="Host key fingerprint (optional)"
            error={errorOf("hostKeyFingerprint")}
            hint="Paste the SHA256:… fingerprint from the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), or leave empty and use “Verify connection” to see and accept it."
          >
            <TextInput name="hostKeyFingerprint" placeholder="SHA256:…" />
          </Field>
        </div>
        <div className="sm:col-span-2 flex items-center gap-3">
          <SubmitButton pending={pending} pendingLabel="Adding…">
            Add server
          </SubmitButton>
          <ErrorMessage>{state.formError}</ErrorMessage>
        </div>
      </form>
      {created ? (
        <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200" data-testid="server-public-key">
          <p className="font-medium">Install this public key for {created.name} (append to ~/.ssh/authorized_keys of the user):</p>
          <code className="mt-1 block break-all font-mono text-xs">{created.publicKey}</code>
        </div>
      ) : null}
    </div>
  );
}
