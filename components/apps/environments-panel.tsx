"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { EnvironmentJson, FreezeJson } from "@/lib/queries/environments";
import { ConfirmButton } from "../ui/confirm-button";
import { Section } from "../ui/section";
import { useServerAction, type Action } from "../use-server-action";
import type { Started } from "../deploy/deploy-controls";
import { EnvironmentFreezes } from "./environment-freezes";
import { AddEnvironment, ManageEnvironment, type EnvironmentAdmin } from "./environment-manage";

/** The environment a promotion from `env` goes to: the nearest one after it in the promotion order. */
export function nextEnvironment(envs: readonly EnvironmentJson[], env: EnvironmentJson): EnvironmentJson | null {
  return envs.filter((e) => e.position > env.position).sort((a, b) => a.position - b.position)[0] ?? null;
}

function PromoteButton({ appId, from, to, promote, canDeploy }: { appId: string; from: EnvironmentJson; to: EnvironmentJson; promote: Action<Started>; canDeploy: boolean }) {
  const router = useRouter();
  const { error, pending, run, setError } = useServerAction(promote);
  const current = from.current;
  if (!current) return null;
  const blocked = to.lockedBy ? `${to.name} is locked by ${to.lockedBy.by}` : to.frozen ? `${to.name} is frozen: ${to.frozen.reason}` : !canDeploy ? "Promoting needs the deployer role" : null;
  return (
    <ConfirmButton
      variant="secondary"
      disabled={blocked !== null || pending}
      aria-label={`Promote ${from.name} to ${to.name}`}
      title={`Promote ${current.commit.slice(0, 7)} to ${to.name}?`}
      description={
        <>
          Deploys <span className="font-mono">{current.commit.slice(0, 7)}</span> ({current.dir}) — exactly what runs in {from.name} — to {to.name}&apos;s servers
          {to.servers.length ? ` (${to.servers.map((s) => s.name).join(", ")})` : ""}.
        </>
      }
      confirmLabel={`Promote to ${to.name}`}
      pending={pending}
      error={error}
      onOpen={() => setError(null)}
      onConfirm={() => run({ appId, from: from.name, to: to.name }, (d) => router.push(`/apps/${d.appId}/deploys/${d.id}`))}
      data-testid={`promote-${from.name}`}
    >
      {blocked && canDeploy ? blocked : `Promote to ${to.name}…`}
    </ConfirmButton>
  );
}

function emptyState(admin: boolean): string {
  return admin
    ? "Only production so far. Add staging below (its own servers, variables and deploy path); promotion then moves a tested commit along."
    : "Only production so far. An admin can add staging (its own servers, variables and deploy path); promotion then moves a tested commit along.";
}

/**
 * An app's environments: servers, what runs where, who holds each lock, freezes, and promotion along the order.
 * With `admin` (permission manageApps), each one has its edit form, Delete and freeze controls, and the list an Add form.
 */
export function EnvironmentsPanel({
  appId,
  environments,
  freezes,
  promote,
  canDeploy,
  admin,
  className,
}: {
  appId: string;
  environments: EnvironmentJson[];
  freezes: Record<string, FreezeJson[]>;
  promote: Action<Started>;
  canDeploy: boolean;
  admin?: EnvironmentAdmin;
  className?: string;
}) {
  const ordered = [...environments].sort((a, b) => a.position - b.position);
  return (
    <Section title="Environments" className={className} description={ordered.length === 1 ? emptyState(Boolean(admin)) : undefined}>
      <ul className="grid items-start gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="environments">
        {ordered.map((env) => {
          const next = nextEnvironment(ordered, env);
          return (
            <li key={env.id} className="rounded-md border border-slate-200 p-3" data-testid={`environment-${env.name}`}>
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-medium">{env.name}</h3>
                {env.requireApproval ? <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900">approval</span> : null}
                {env.verdict !== "off" ? <span className="rounded bg-sky-100 px-1.5 text-xs text-sky-900">verdict: {env.verdict}</span> : null}
                {env.frozen ? (
                  <span className="rounded bg-rose-100 px-1.5 text-xs text-rose-900" title={env.frozen.reason}>
                    frozen until {new Date(env.frozen.until).toISOString().slice(0, 16).replace("T", " ")} UTC
                  </span>
                ) : null}
              </div>
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-slate-500">Current</dt>
                <dd className="min-w-0 truncate font-mono" title={env.current?.commitMessage ?? undefined}>
                  {env.current ? `${env.current.commit.slice(0, 7)} · ${env.current.dir}` : "nothing deployed yet"}
                </dd>
                <dt className="text-slate-500">Servers</dt>
                <dd className="min-w-0 truncate">{env.servers.length ? env.servers.map((s) => s.name).join(", ") : "none"}</dd>
                {env.deployPath ? (
                  <>
                    <dt className="text-slate-500">Path</dt>
                    <dd className="min-w-0 truncate font-mono">{env.deployPath}</dd>
                  </>
                ) : null}
              </dl>
              {env.lockedBy ? (
                <p className="mt-2 text-xs">
                  {env.lockedBy.kind} by {env.lockedBy.by} is {env.lockedBy.status} —{" "}
                  <Link className="text-indigo-700 underline" href={`/apps/${appId}/deploys/${env.lockedBy.deployId}`}>
                    watch it
                  </Link>
                </p>
              ) : null}
              {next && env.current ? (
                <div className="mt-3">
                  <PromoteButton appId={appId} from={env} to={next} promote={promote} canDeploy={canDeploy} />
                </div>
              ) : null}
              <div className="mt-3 border-t border-slate-200 pt-3">
                <EnvironmentFreezes appId={appId} name={env.name} freezes={freezes[env.name] ?? []} create={admin?.createFreeze} remove={admin?.deleteFreeze} />
              </div>
              {admin ? (
                <div className="mt-3 border-t border-slate-200 pt-3">
                  <ManageEnvironment appId={appId} env={env} admin={admin} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {admin ? <AddEnvironment appId={appId} admin={admin} /> : null}
    </Section>
  );
}
