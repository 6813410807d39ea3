"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ServerRow } from "@/lib/queries/servers";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Button, ErrorMessage, Field, SubmitButton, TextArea, TextInput } from "../ui/form";
import { useActionForm } from "../use-action-form";
import { Section } from "../ui/section";
import { useServerAction, type Action } from "../use-server-action";

type Updated = { name: string; publicKey?: string; keyRotated: boolean; pinCleared: boolean };

/** Edit the connection details: a new host or port clears the pinned host key, so the page asks to verify again. */
// `done` is kept by the parent: the form is keyed on the saved values (so its fields show them after the refresh),
// which remounts it, and the message must outlive that.
function EditForm({ server, update, done, setDone }: { server: ServerRow; update: Action<Updated>; done: string | null; setDone: (message: string | null) => void }) {
  const router = useRouter();
  const toInput = (f: FormData) => {
    setDone(null);
    return { serverId: server.id, name: f.get("name"), host: f.get("host"), port: f.get("port"), username: f.get("username") };
  };
  const { state, pending, errorOf, formProps } = useActionForm(update, toInput, (r) => {
    setDone(r.pinCleared ? "Saved. The host or port changed, so the host key pin was cleared: verify the connection and pin its key again." : "Saved.");
    router.refresh();
  });
  return (
    <form aria-label="Edit server" className="grid gap-4 sm:grid-cols-2" {...formProps}>
      <Field label="Name" error={errorOf("name")}>
        <TextInput name="name" required defaultValue={server.name} />
      </Field>
      <Field label="Host" error={errorOf("host")}>
        <TextInput name="host" required defaultValue={server.host} />
      </Field>
      <Field label="SSH port" error={errorOf("port")}>
        <TextInput name="port" type="number" inputMode="numeric" min={1} max={65535} required defaultValue={server.port} />
      </Field>
      <Field label="User" error={errorOf("username")}>
        <TextInput name="username" required defaultValue={server.username} />
      </Field>
      <div className="flex flex-wrap items-center gap-3 sm:col-span-2">
        <SubmitButton pending={pending} pendingLabel="Saving…">
          Save changes
        </SubmitButton>
        <ErrorMessage>{state.formError}</ErrorMessage>
        {done ? (
          <p role="status" className="text-sm text-emerald-700" data-testid="server-saved">
            {done}
          </p>
        ) : null}
      </div>
    </form>
  );
}

/** A new key, generated or pasted; its public half is shown to install in authorized_keys. */
function RotateKey({ server, update }: { server: ServerRow; update: Action<Updated> }) {
  const router = useRouter();
  const [mode, setMode] = useState<"generate" | "paste">("generate");
  const [publicKey, setPublicKey] = useState<string | null>(null);
  const toInput = (f: FormData) => (f.get("rotateMode") === "paste" ? { serverId: server.id, privateKey: f.get("privateKey") } : { serverId: server.id, generateKey: true });
  const { state, pending, errorOf, formProps } = useActionForm(update, toInput, (r, form) => {
    setPublicKey(r.publicKey ?? null);
    form.reset();
    setMode("generate");
    router.refresh();
  });
  return (
    <form aria-label="Rotate key" className="space-y-3" {...formProps}>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">New key</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1">
            <input type="radio" name="rotateMode" value="generate" checked={mode === "generate"} onChange={() => setMode("generate")} /> Generate a new ed25519 key
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name="rotateMode" value="paste" checked={mode === "paste"} onChange={() => setMode("paste")} /> Paste a private key
          </label>
        </div>
        {mode === "paste" ? (
          <div className="mt-2">
            <Field label="Private key" error={errorOf("privateKey")}>
              <TextArea name="privateKey" rows={5} required className="font-mono text-xs" placeholder="Paste an OpenSSH or PEM private key" />
            </Field>
          </div>
        ) : null}
        <p className="mt-1 text-xs text-slate-500">The old key is forgotten: deploys use the new one from now on, so install it on the server first or right away.</p>
      </fieldset>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton variant="secondary" pending={pending} pendingLabel="Rotating…">
          Rotate key
        </SubmitButton>
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
      {publicKey ? (
        <div className="rounded-md bg-amber-50 p-3 text-sm ring-1 ring-amber-200" data-testid="rotated-public-key">
          <p className="font-medium">Install this new public key (append to ~/.ssh/authorized_keys of {server.username}):</p>
          <code className="mt-1 block break-all font-mono text-xs">{publicKey}</code>
        </div>
      ) : null}
    </form>
  );
}

/** Delete, confirmed in a dialog; refused (naming the apps) while an app deploys to the server. */
function DeleteServer({ server, remove }: { server: ServerRow; remove: Action }) {
  const router = useRouter();
  const { error, pending, run, setError } = useServerAction(remove);
  const [open, setOpen] = useState(false);
  const apps = server.targets.map((t) => t.app.name);
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">{apps.length > 0 ? `Used by ${apps.join(", ")}: remove it from ${apps.length === 1 ? "that app" : "those apps"} before deleting it.` : "No app deploys to this server."}</p>
      <Button
        variant="danger"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        Delete server…
      </Button>
      <ConfirmDialog open={open} title={`Delete ${server.name}?`} confirmLabel="Delete server" pending={pending} error={error} onCancel={() => setOpen(false)} onConfirm={() => run({ serverId: server.id }, () => router.push("/servers"))}>
        Its monitors and its SSH key go with it. Nothing on the machine itself is touched.
      </ConfirmDialog>
    </div>
  );
}

/** The admin's part of a server page: edit, rotate the key, delete. */
export function ServerManage({ server, update, remove }: { server: ServerRow; update: Action<Updated>; remove: Action }) {
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <div className="mb-8 grid gap-4 lg:grid-cols-2">
      <Section title="Connection">
        <EditForm key={`${server.name}:${server.host}:${server.port}:${server.username}`} server={server} update={update} done={saved} setDone={setSaved} />
      </Section>
      <div className="space-y-4">
        <Section title="Rotate the deploy key">
          <RotateKey server={server} update={update} />
        </Section>
        <Section title="Delete">
          <DeleteServer server={server} remove={remove} />
        </Section>
      </div>
    </div>
  );
}
