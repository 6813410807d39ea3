import Link from "next/link";
import type { AppView } from "@/lib/queries/apps";
import type { EnvironmentJson } from "@/lib/queries/environments";
import { DeployForm, type Lock, type Started } from "../deploy/deploy-controls";
import { Badge } from "../ui/badge";
import { Section } from "../ui/section";
import type { Action } from "../use-server-action";

/** The deploy form's lock of an environment: the deploy holding it, in the shape the app's own lock has. */
function lockOf(e: Pick<EnvironmentJson, "lockedBy">): Lock | null {
  return e.lockedBy && { id: e.lockedBy.deployId, kind: e.lockedBy.kind, status: e.lockedBy.status, actorLabel: e.lockedBy.by };
}

/** The deploy form, and the deploy already running if there is one. */
export function DeployPanel({ app, start, canDeploy, environments = [], className }: { app: AppView; start: Action<Started>; canDeploy: boolean; environments?: Pick<EnvironmentJson, "name" | "lockedBy">[]; className?: string }) {
  return (
    <Section title="Deploy" className={className}>
      {app.active ? (
        <p className="mb-2 text-sm">
          <Badge value={app.active.status} /> {app.active.kind} by {app.active.actorLabel} —{" "}
          <Link className="text-indigo-700 underline" href={`/apps/${app.id}/deploys/${app.active.id}`}>
            watch it
          </Link>
        </p>
      ) : null}
      <DeployForm appId={app.id} action={start} canDeploy={canDeploy} lock={app.active} environments={environments.map((e) => ({ name: e.name, lock: lockOf(e) }))} />
    </Section>
  );
}
