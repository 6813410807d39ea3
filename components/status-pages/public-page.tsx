import type { PublicStatus } from "@/lib/queries/status-pages";
import { Card } from "@/components/ui/card";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { IncidentHistory } from "./incident-history";
import { MonitorRow } from "./monitor-row";

const BANNER: Record<PublicStatus["status"], { text: string; className: string }> = {
  operational: { text: "All systems operational", className: "bg-emerald-50 text-emerald-800 ring-emerald-200" },
  partial_outage: { text: "Some systems are down", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  major_outage: { text: "Major outage", className: "bg-rose-50 text-rose-800 ring-rose-200" },
  no_data: { text: "No checks yet", className: "bg-slate-50 text-slate-700 ring-slate-200" },
};

const when = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "UTC", hour12: false });

export function formatPublicTime(iso: string): string {
  return `${when.format(new Date(iso))} UTC`;
}

/** /status/<slug>: what the public sees. No links into the dashboard, no URLs or hosts unless the page shows targets. */
export function PublicStatusPage({ status }: { status: PublicStatus }) {
  const banner = BANNER[status.status];
  return (
    <div className="mx-auto w-full max-w-4xl space-y-6 px-4 py-8 sm:px-6">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          {status.logoUrl ? (
            // eslint-disable-next-line @next/next/no-img-element -- a data: URL or a path the admin chose; next/image would need to know it at build time
            <img src={status.logoUrl} alt="" className="h-10 w-auto max-w-[10rem] object-contain" />
          ) : null}
          <h1 className="min-w-0 break-words text-2xl font-bold tracking-tight">{status.title}</h1>
        </div>
        <ThemeToggle />
      </header>

      <p data-testid="overall-status" data-status={status.status} className={`rounded-xl px-4 py-3 font-semibold ring-1 ring-inset ${banner.className}`}>
        {banner.text}
      </p>

      {status.maintenance.length > 0 ? (
        <Card as="section" aria-labelledby="maintenance-heading" className="space-y-2">
          <h2 id="maintenance-heading" className="font-semibold">
            Upcoming maintenance
          </h2>
          <ul className="space-y-1 text-sm">
            {status.maintenance.map((m) => (
              <li key={m.id}>
                <span className="font-medium">{m.name}</span> {m.active ? <span className="font-semibold text-amber-700">in progress</span> : null}{" "}
                <span className="text-slate-600">
                  {formatPublicTime(m.startsAt)} – {formatPublicTime(m.endsAt)}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      {status.groups.map((g) => (
        <Card as="section" key={g.name} aria-label={g.name} className="space-y-4" data-testid="status-group">
          <h2 className="font-semibold">{g.name}</h2>
          {g.monitors.length === 0 ? <p className="text-sm text-slate-500">Nothing in this group yet.</p> : null}
          <ul className="space-y-5">
            {g.monitors.map((m) => (
              <MonitorRow key={m.id} monitor={m} />
            ))}
          </ul>
        </Card>
      ))}

      <IncidentHistory incidents={status.incidents} />

      <footer className="space-y-1 border-t border-slate-200 pt-4 text-sm text-slate-500">
        {status.footer ? <p className="whitespace-pre-line break-words">{status.footer}</p> : null}
        <p>
          Updated {formatPublicTime(status.generatedAt)} ·{" "}
          <a href={`/api/public/status/${status.slug}`} className="underline">
            JSON
          </a>
        </p>
      </footer>
    </div>
  );
}
