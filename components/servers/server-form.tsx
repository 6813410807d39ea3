"use client";

import { useState } from "react";
import { Button, ErrorMessage, Field, TextInput } from "../ui/form";
import { useServerAction, type Action } from "../use-server-action";

export function ServerForm({ action }: { action: Action<{ id: string; name: string; publicKey: string }> }) {
  const { error, pending, run } = useServerAction(action);
  const [keyMode, setKeyMode] = useState<"generate" | "paste">("generate");
  const [created, setCreated] = useState<{ name: string; publicKey: string } | null>(null);
  return (
    <div className="space-y-4">
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          run(
            {
              name: f.get("name"),
              host: f.get("host"),
              port: f.get("port"),
              username: f.get("username"),
              hostKeyFingerprint: f.get("hostKeyFingerprint"),
              ...(keyMode === "generate" ? { generateKey: true } : { privateKey: f.get("privateKey") }),
            },
            (data) => {
              setCreated({ name: data.name, publicKey: data.publicKey });
              form.reset();
            },
          );
        }}
      >
        <Field label="Name">
          <TextInput name="name" required placeholder="web-1" />
        </Field>
        <Field label="Host">
          <TextInput name="host" required placeholder="10.0.0.12 or web-1.internal" />
        </Field>
        <Field label="SSH port">
          <TextInput name="port" type="number" defaultValue={22} min={1} max={65535} />
        </Field>
        <Field label="User">
          <TextInput name="username" required placeholder="deploy" />
        </Field>
        <fieldset className="sm:col-span-2">
          <legend className="text-sm font-medium text-slate-700">Private key</legend>
          <div className="mt-1 flex gap-4 text-sm">
            <label className="flex items-center gap-1">
              <input type="radio" name="keyMode" checked={keyMode === "generate"} onChange={() => setKeyMode("generate")} /> Generate an ed25519 key for me
            </label>
            <label className="flex items-center gap-1">
              <input type="radio" name="keyMode" checked={keyMode === "paste"} onChange={() => setKeyMode("paste")} /> Paste a private key
            </label>
          </div>
          {keyMode === "paste" ? <textarea name="privateKey" rows={5} required className="mt-2 block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-xs" placeholder="Paste an OpenSSH or PEM private key" /> : null}
          <p className="mt-1 text-xs text-slate-500">Stored encrypted; never shown again or sent to a browser.</p>
        </fieldset>
        <div className="sm:col-span-2">
          <Field label="Host key fingerprint (optional)" hint="Paste the SHA256:… fingerprint from the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), or leave empty and use “Verify connection” to see and accept it.">
            <TextInput name="hostKeyFingerprint" placeholder="SHA256:…" />
          </Field>
        </div>
        <div className="sm:col-span-2 flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Adding…" : "Add server"}
          </Button>
          <ErrorMessage>{error}</ErrorMessage>
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
