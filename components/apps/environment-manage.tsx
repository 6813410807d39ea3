"use client";

import { useRouter } from "next/navigation";
import type { EnvironmentJson } from "@/lib/queries/environments";
import { ConfirmButton } from "../ui/confirm-button";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";
import { EnvironmentForm, type ServerOption } from "./environment-form";

/** What an admin gets on the Environments panel: the server list for the forms and the environment actions. */
export interface EnvironmentAdmin {
  servers: ServerOption[];
  create: Action<{ name: string }>;
  update: Action<{ name: string }>;
  remove: Action;
  createFreeze: Action;
  deleteFreeze: Action;
}

function DeleteEnvironment({ appId, env, remove }: { appId: string; env: EnvironmentJson; remove: Action }) {
  const router = useRouter();
  const { error, pending, run, setError } = useServerAction(remove);
  return (
    <ConfirmButton
      className="px-2 py-1 text-xs"
      title={`Delete ${env.name}?`}
      description={
        <>
          Its servers ({env.servers.length ? env.servers.map((s) => s.name).join(", ") : "none"}) no longer serve this app&apos;s {env.name}; its variables, releases list and freeze windows go with it. Nothing is removed from the
          servers&apos; disks.
        </>
      }
      confirmLabel={`Delete ${env.name}`}
      pending={pending}
      error={error}
      onOpen={() => setError(null)}
      onConfirm={(close) =>
        run({ appId, name: env.name }, () => {
          close();
          notify(`${env.name} deleted`);
          router.refresh();
        })
      }
      aria-label={`Delete environment ${env.name}`}
      data-testid={`delete-environment-${env.name}`}
    >
      Delete…
    </ConfirmButton>
  );
}

/** An environment's edit form (behind a disclosure) and its confirmed Delete (not for production). */
export function ManageEnvironment({ appId, env, admin }: { appId: string; env: EnvironmentJson; admin: EnvironmentAdmin }) {
  return (
    <div className="space-y-2">
      <details className="rounded-md border border-slate-200 p-2">
        <summary className="cursor-pointer text-sm font-medium">Edit {env.name}</summary>
        <div className="mt-3">
          {/* Keyed on the saved row: after a save the form starts again from what is stored. */}
          <EnvironmentForm key={env.updatedAt} appId={appId} servers={admin.servers} action={admin.update} initial={{ ...env, serverIds: env.servers.map((s) => s.id) }} />
        </div>
      </details>
      {/* The lib refuses it (every app has production): the page does not offer what it would refuse. */}
      {env.name === "production" ? (
        <p className="text-xs text-slate-500" data-testid="production-not-deletable">
          production cannot be deleted: every app has it.
        </p>
      ) : (
        <DeleteEnvironment appId={appId} env={env} remove={admin.remove} />
      )}
    </div>
  );
}

/** The "Add environment" form under the list. */
export function AddEnvironment({ appId, admin }: { appId: string; admin: EnvironmentAdmin }) {
  return (
    <details className="mt-4 rounded-md border border-slate-200 p-3" id="add-environment">
      <summary className="cursor-pointer font-medium">Add environment</summary>
      <div className="mt-3">
        <EnvironmentForm appId={appId} servers={admin.servers} action={admin.create} />
      </div>
    </details>
  );
}
