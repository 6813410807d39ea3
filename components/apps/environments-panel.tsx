"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { EnvironmentJson } from "@/lib/queries/environments";
import { ConfirmButton } from "../ui/confirm-button";
import { Section } from "../ui/section";
import { useServerAction, type Action } from "../use-server-action";
import type { Started } from "../deploy/deploy-controls";

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

/** An app's environments: servers, what runs where, who holds each lock, freezes, and promotion along the order. */
export function EnvironmentsPanel({ appId, environments, promote, canDeploy, className }: { appId: string; environments: EnvironmentJson[]; promote: Action<Started>; canDeploy: boolean; className?: string }) {
  const ordered = [...environments].sort((a, b) => a.position - b.position);
  return (
    <Section
      title="Environments"
      className={className}
      description={ordered.length === 1 ? "Only production so far. Add staging (its own servers, variables and deploy path) with POST /api/v1/apps/{appId}/environments; promotion then moves a tested commit along." : undefined}
    >
      <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3" data-testid="environments">
        {ordered.map((env) => {
          const next = nextEnvironment(ordered, env);
          return (
            <li key={env.id} className="rounded-md border border-slate-200 p-3 dark:border-slate-700" data-testid={`environment-${env.name}`}>
              <div className="flex flex-wrap items-center gap-2">
                <h3 className="font-medium">{env.name}</h3>
                {env.requireApproval ? <span className="rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-100">approval</span> : null}
                {env.verdict !== "off" ? <span className="rounded bg-sky-100 px-1.5 text-xs text-sky-900 dark:bg-sky-900/40 dark:text-sky-100">verdict: {env.verdict}</span> : null}
                {env.frozen ? (
                  <span className="rounded bg-rose-100 px-1.5 text-xs text-rose-900 dark:bg-rose-900/40 dark:text-rose-100" title={env.frozen.reason}>
                    frozen until {new Date(env.frozen.until).toISOString().slice(0, 16).replace("T", " ")} UTC
                  </span>
                ) : null}
              </div>
              <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                <dt className="text-slate-500 dark:text-slate-400">Current</dt>
                <dd className="min-w-0 truncate font-mono" title={env.current?.commitMessage ?? undefined}>
                  {env.current ? `${env.current.commit.slice(0, 7)} · ${env.current.dir}` : "nothing deployed yet"}
                </dd>
                <dt className="text-slate-500 dark:text-slate-400">Servers</dt>
                <dd className="min-w-0 truncate">{env.servers.length ? env.servers.map((s) => s.name).join(", ") : "none"}</dd>
                {env.deployPath ? (
                  <>
                    <dt className="text-slate-500 dark:text-slate-400">Path</dt>
                    <dd className="min-w-0 truncate font-mono">{env.deployPath}</dd>
                  </>
                ) : null}
              </dl>
              {env.lockedBy ? (
                <p className="mt-2 text-xs">
                  {env.lockedBy.kind} by {env.lockedBy.by} is {env.lockedBy.status} —{" "}
                  <Link className="text-indigo-700 underline dark:text-indigo-300" href={`/apps/${appId}/deploys/${env.lockedBy.deployId}`}>
                    watch it
                  </Link>
                </p>
              ) : null}
              {next && env.current ? (
                <div className="mt-3">
                  <PromoteButton appId={appId} from={env} to={next} promote={promote} canDeploy={canDeploy} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
