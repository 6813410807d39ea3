"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ConfirmButton } from "../ui/confirm-button";
import { Button, ErrorMessage, Select, TextInput } from "../ui/form";
import { notify } from "../ui/toaster";
import { useServerAction, type Action } from "../use-server-action";
import { ConfirmChanges } from "./changes-preview";

export type Started = { id: string; status: string; appId: string };

/** The deploy or rollback holding an environment's lock (one runs per environment at a time). */
export interface Lock {
  id: string;
  kind: string;
  status: string;
  actorLabel: string;
}

function LockNote({ appId, lock }: { appId: string; lock: Lock }) {
  return (
    <p className="text-xs text-slate-600" data-testid="deploy-locked">
      Locked: a {lock.kind} by {lock.actorLabel} is {lock.status}.{" "}
      <Link className="text-indigo-700 underline" href={`/apps/${appId}/deploys/${lock.id}`}>
        Watch it
      </Link>
    </p>
  );
}

export function DeployForm({
  appId,
  action,
  canDeploy,
  defaultRef = "main",
  lock: appLock = null,
  environments = [],
}: {
  appId: string;
  action: Action<Started>;
  canDeploy: boolean;
  defaultRef?: string;
  /** With one environment: the deploy holding its lock. */
  lock?: Lock | null;
  /** The app's environments, each with its lock holder; with more than production, the form asks where to deploy. */
  environments?: { name: string; lock: Lock | null }[];
}) {
  const router = useRouter();
  const { error, pending, run } = useServerAction(action);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [environment, setEnvironment] = useState("production");
  const where = environments.length > 1 ? ` to ${environment}` : "";
  // Each environment has its own lock: staging running does not stop a deploy to production.
  const lock = where ? (environments.find((e) => e.name === environment)?.lock ?? null) : appLock;
  const [refError, setRefError] = useState<string | null>(null);
  const disabled = !canDeploy || pending || lock !== null;
  return (
    <form
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        const ref = String(new FormData(e.currentTarget).get("ref") ?? "").trim();
        if (!ref) return setRefError("ref: type a branch, tag or commit SHA");
        setRefError(null);
        setConfirming(ref);
      }}
    >
      <label className="sr-only" htmlFor="deploy-ref">
        Branch, tag or commit
      </label>
      <TextInput id="deploy-ref" name="ref" defaultValue={defaultRef} className="w-56 font-mono" aria-label="Branch, tag or commit" aria-invalid={refError ? true : undefined} />
      {environments.length > 1 ? (
        <Select aria-label="Environment" data-testid="deploy-environment" value={environment} onChange={(e) => setEnvironment(e.target.value)} className="w-40">
          {environments.map((e) => (
            <option key={e.name} value={e.name}>
              {e.lock ? `${e.name} (locked)` : e.name}
            </option>
          ))}
        </Select>
      ) : null}
      <Button type="submit" disabled={disabled} title={lock ? `Locked by ${lock.actorLabel}` : canDeploy ? undefined : "Deploying needs the deployer role"} data-testid="deploy-button">
        {pending ? "Starting…" : lock ? `Locked by ${lock.actorLabel}` : "Deploy…"}
      </Button>
      <div className="basis-full space-y-1">
        <ErrorMessage>{refError ?? (confirming ? null : error)}</ErrorMessage>
        {lock ? <LockNote appId={appId} lock={lock} /> : null}
        {!canDeploy ? <p className="text-xs text-slate-500">You can watch deploys; deploying needs the deployer role.</p> : null}
      </div>
      {confirming ? (
        <ConfirmChanges
          appId={appId}
          to={confirming}
          title={`Deploy ${confirming}${where}?`}
          confirmLabel={`Deploy ${confirming}${where}`}
          pending={pending}
          error={error}
          onClose={() => setConfirming(null)}
          onConfirm={() => run({ appId, ref: confirming, ...(where ? { environment } : {}) }, (d) => router.push(`/apps/${d.appId}/deploys/${d.id}`))}
        />
      ) : null}
    </form>
  );
}

/**
 * Rolling back switches to a retained release (its files are still on the servers); redeploying builds the
 * release's commit again, fresh, with today's environment and commands. Both list what will change first.
 */
export function ReleaseActions({
  appId,
  release,
  rollback,
  deploy,
  canDeploy,
  locked,
}: {
  appId: string;
  release: { id: string; dir: string; commit: string; current: boolean; status: string };
  rollback: Action<Started>;
  deploy: Action<Started>;
  canDeploy: boolean;
  locked: boolean;
}) {
  const router = useRouter();
  const rb = useServerAction(rollback);
  const rd = useServerAction(deploy);
  const [confirming, setConfirming] = useState<"rollback" | "redeploy" | null>(null);
  const go = (d: Started) => router.push(`/apps/${d.appId}/deploys/${d.id}`);
  const disabled = !canDeploy || locked || rb.pending || rd.pending;
  const why = locked ? "Another deploy or rollback of this app is running" : canDeploy ? undefined : "Needs the deployer role";
  return (
    <div className="flex flex-wrap justify-end gap-1.5">
      {release.status === "succeeded" && !release.current ? (
        <Button variant="secondary" disabled={disabled} title={why} aria-label={`Roll back to ${release.dir}`} onClick={() => setConfirming("rollback")}>
          Roll back
        </Button>
      ) : null}
      {release.status !== "building" ? (
        <Button variant="secondary" disabled={disabled} title={why ?? "Build this commit again, fresh"} aria-label={`Redeploy ${release.dir}`} onClick={() => setConfirming("redeploy")}>
          Redeploy
        </Button>
      ) : null}
      {confirming === "rollback" ? (
        <ConfirmChanges
          appId={appId}
          to={release.id}
          title={`Roll back to ${release.dir}?`}
          confirmLabel="Roll back"
          pending={rb.pending}
          error={rb.error}
          onClose={() => setConfirming(null)}
          onConfirm={() => rb.run({ appId, releaseId: release.id }, go)}
        />
      ) : null}
      {confirming === "redeploy" ? (
        <ConfirmChanges
          appId={appId}
          to={release.id}
          title={`Redeploy ${release.commit.slice(0, 7)} (a fresh build of ${release.dir}'s commit)?`}
          confirmLabel="Redeploy"
          pending={rd.pending}
          error={rd.error}
          onClose={() => setConfirming(null)}
          onConfirm={() => rd.run({ appId, ref: release.commit }, go)}
        />
      ) : null}
    </div>
  );
}

/** Cancelling a queued or running deploy is asked about first. */
export function CancelButton({ deployId, action, canDeploy }: { deployId: string; action: Action<{ status: string }>; canDeploy: boolean }) {
  const { error, pending, run, setError } = useServerAction(action);
  return (
    <span>
      <ConfirmButton
        disabled={!canDeploy || pending}
        title="Cancel this deploy?"
        description="A queued deploy never starts; a running one is stopped at the step it is on."
        confirmLabel="Cancel deploy"
        pending={pending}
        error={error}
        onOpen={() => setError(null)}
        onConfirm={(close) =>
          run({ deployId }, () => {
            close();
            notify("Cancel requested");
          })
        }
      >
        {pending ? "Cancelling…" : "Cancel"}
      </ConfirmButton>
    </span>
  );
}
