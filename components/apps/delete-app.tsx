"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, ErrorMessage, Field, TextInput } from "../ui/form";
import { Section } from "../ui/section";
import { useServerAction, type Action } from "../use-server-action";

/**
 * The app page's danger zone: deleting asks for the app's name, typed, and whether to remove its releases
 * from the servers too. A failure (a deploy running, a server that could not be reached) is shown here.
 */
export function DeleteApp({ app, remove, locked }: { app: { id: string; name: string; deployPath: string; serverNames: string[] }; remove: Action; locked: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const [removeReleases, setRemoveReleases] = useState(false);
  const d = useServerAction(remove);
  const matches = typed === app.name;
  return (
    <Section title="Danger zone" className="mt-6 ring-rose-200" id="danger-zone" description="Deleting an app removes its settings, variables, releases, deploy history and monitors from Deckhand. Its audit events stay.">
      {!open ? (
        <Button type="button" variant="danger" onClick={() => setOpen(true)}>
          Delete app…
        </Button>
      ) : (
        <form
          className="space-y-3"
          aria-label={`Delete ${app.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!matches) return;
            d.run({ appId: app.id, removeReleases }, () => {
              router.push("/apps");
              router.refresh();
            });
          }}
        >
          {locked ? <p className="text-sm text-amber-700">A deploy or rollback of {app.name} is queued or running; it must finish (or be cancelled) first.</p> : null}
          <Field label={`Type ${app.name} to confirm`}>
            <TextInput name="confirmName" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus spellCheck={false} />
          </Field>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="removeReleases" className="mt-1" checked={removeReleases} onChange={(e) => setRemoveReleases(e.target.checked)} />
            <span>
              Also remove its releases from the servers
              <span className="block text-xs text-slate-500">
                Deletes releases/, current and shared/ (including .env) under {app.deployPath} on {app.serverNames.length ? app.serverNames.join(", ") : "no servers"}. If a server fails, the app stays in Deckhand and the error names the
                servers that failed.
              </span>
            </span>
          </label>
          <div className="flex flex-wrap items-center gap-2">
            <Button type="submit" variant="danger" disabled={!matches || d.pending}>
              {d.pending ? (removeReleases ? "Removing releases…" : "Deleting…") : `Delete ${app.name}`}
            </Button>
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setOpen(false);
                setTyped("");
                d.setError(null);
              }}
            >
              Cancel
            </Button>
          </div>
          <ErrorMessage>{d.error}</ErrorMessage>
        </form>
      )}
    </Section>
  );
}
