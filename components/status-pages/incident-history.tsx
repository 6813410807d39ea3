import type { IncidentView } from "@/lib/queries/status-pages";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

const when = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });
const STATE_TONE: Record<string, string> = { investigating: "down", identified: "interrupted", monitoring: "running", resolved: "up" };

/** Incidents of the last 90 days (and any still open), newest first, each with its updates. */
export function IncidentHistory({ incidents }: { incidents: IncidentView[] }) {
  return (
    <Card as="section" aria-labelledby="incidents-heading" className="space-y-4">
      <h2 id="incidents-heading" className="font-semibold">
        Incidents
      </h2>
      {incidents.length === 0 ? <p className="text-sm text-slate-500">No incidents in the last 90 days.</p> : null}
      <ol className="space-y-5">
        {incidents.map((i) => (
          <li key={i.id} className="space-y-2" data-testid="status-incident">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="break-words font-medium">{i.title}</h3>
              <Badge value={STATE_TONE[i.state] ?? i.state} label={i.state} />
            </div>
            <ol className="space-y-2 border-l-2 border-slate-200 pl-3">
              {i.updates.map((u, n) => (
                <li key={n} className="text-sm">
                  <p className="text-slate-500">
                    <span className="font-semibold capitalize text-slate-700">{u.state}</span> · <time dateTime={u.at}>{when.format(new Date(u.at))} UTC</time>
                  </p>
                  <p className="whitespace-pre-line break-words">{u.body}</p>
                </li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </Card>
  );
}
