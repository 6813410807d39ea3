import Link from "next/link";
import type { DeployListRow } from "@/lib/queries/deploys";
import { Badge } from "../ui/badge";
import { formatDuration, formatTime } from "../ui/time";

export function DeployHistory({ deploys, showApp = false }: { deploys: DeployListRow[]; showApp?: boolean }) {
  if (deploys.length === 0) return <p className="text-sm text-slate-500">No deploys yet.</p>;
  return (
    <table className="w-full text-left text-sm" data-testid="deploy-history">
      <thead className="text-slate-500">
        <tr>
          <th className="py-2 font-medium">When</th>
          {showApp ? <th className="py-2 font-medium">App</th> : null}
          <th className="py-2 font-medium">Kind</th>
          <th className="py-2 font-medium">Ref / commit</th>
          <th className="py-2 font-medium">Who</th>
          <th className="py-2 font-medium">Status</th>
          <th className="py-2 font-medium">Took</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {deploys.map((d) => (
          <tr key={d.id}>
            <td className="py-2">
              <Link className="text-indigo-700 hover:underline" href={`/apps/${d.app.id}/deploys/${d.id}`}>
                {formatTime(d.createdAt)}
              </Link>
            </td>
            {showApp ? <td className="py-2">{d.app.name}</td> : null}
            <td className="py-2">{d.kind}</td>
            <td className="py-2 font-mono text-xs">
              {d.ref ? `${d.ref} ` : ""}
              {d.commit ? d.commit.slice(0, 10) : ""}
            </td>
            <td className="py-2">{d.actorLabel}</td>
            <td className="py-2">
              <Badge value={d.status} /> {d.autoRolledBack ? <span className="text-xs text-amber-700">auto-rolled back</span> : null}
              {d.error ? <div className="max-w-md truncate text-xs text-slate-500" title={d.error}>{d.error}</div> : null}
            </td>
            <td className="py-2 text-slate-500">{formatDuration(d.createdAt, d.finishedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
