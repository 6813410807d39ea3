"use client";

import { useRouter } from "next/navigation";
import { Button, ErrorMessage, TextInput } from "../ui/form";
import { useServerAction, type Action } from "../use-server-action";

export type Started = { id: string; status: string; appId: string };

export function DeployForm({ appId, action, canDeploy, defaultRef = "main" }: { appId: string; action: Action<Started>; canDeploy: boolean; defaultRef?: string }) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  return (
    <form
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        run({ appId, ref: new FormData(e.currentTarget).get("ref") }, (d) => router.push(`/apps/${d.appId}/deploys/${d.id}`));
      }}
    >
      <label className="sr-only" htmlFor="deploy-ref">
        Branch, tag or commit
      </label>
      <TextInput id="deploy-ref" name="ref" defaultValue={defaultRef} className="w-56 font-mono" aria-label="Branch, tag or commit" />
      <Button type="submit" disabled={!canDeploy || pending} title={canDeploy ? undefined : "Deploying needs the deployer role"}>
        {pending ? "Starting…" : "Deploy"}
      </Button>
      <div className="basis-full">
        <ErrorMessage>{error}</ErrorMessage>
        {!canDeploy ? <p className="text-xs text-slate-500">You can watch deploys; deploying needs the deployer role.</p> : null}
      </div>
    </form>
  );
}

export function RollbackButton({ appId, releaseId, label, action, canDeploy }: { appId: string; releaseId: string; label: string; action: Action<Started>; canDeploy: boolean }) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  return (
    <div>
      <Button
        variant="secondary"
        disabled={!canDeploy || pending}
        aria-label={`Roll back to ${label}`}
        onClick={() => run({ appId, releaseId }, (d) => router.push(`/apps/${d.appId}/deploys/${d.id}`))}
      >
        {pending ? "Starting…" : "Roll back"}
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </div>
  );
}

export function CancelButton({ deployId, action, canDeploy }: { deployId: string; action: Action<{ status: string }>; canDeploy: boolean }) {
  const { error, pending, run } = useServerAction(action);
  return (
    <span>
      <Button variant="danger" disabled={!canDeploy || pending} onClick={() => run({ deployId })}>
        {pending ? "Cancelling…" : "Cancel"}
      </Button>
      <ErrorMessage>{error}</ErrorMessage>
    </span>
  );
}
