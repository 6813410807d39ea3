import type { AppListRow } from "@/lib/queries/apps";
import { Badge } from "../ui/badge";
import { CardLink } from "../ui/card";
import { LocalTime } from "../ui/local-time";

/** One card per app: its repository, what is live, and the last deploy. */
export function AppCards({ apps }: { apps: AppListRow[] }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {apps.map((a) => (
        <CardLink key={a.id} href={`/apps/${a.id}`} data-testid={`app-card-${a.name}`}>
          <div className="flex items-center justify-between">
            <p className="font-semibold">{a.name}</p>
            {a.lastDeploy ? <Badge value={a.lastDeploy.status} /> : null}
          </div>
          <p className="mt-1 truncate font-mono text-xs text-slate-500">{a.repoUrl}</p>
          <p className="mt-3 text-sm">
            Current: <span className="font-mono">{a.current ? a.current.commit.slice(0, 10) : "nothing deployed"}</span>
          </p>
          <p className="text-xs text-slate-500">
            {a.targets} server(s), {a.strategy}
            {a.lastDeploy ? (
              <>
                {` · last ${a.lastDeploy.kind} `}
                <LocalTime ms={a.lastDeploy.createdAt} />
                {` by ${a.lastDeploy.actorLabel}`}
              </>
            ) : null}
          </p>
        </CardLink>
      ))}
    </div>
  );
}
