"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { IncidentView, StatusPageView } from "@/lib/queries/status-pages";
import { useServerAction, type Action } from "@/components/use-server-action";
import { Card } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyLine } from "@/components/ui/empty";
import { Button } from "@/components/ui/form";
import { Section } from "@/components/ui/section";
import type { MonitorOption } from "./groups-editor";
import { IncidentAdmin, NewIncidentForm } from "./incident-forms";
import { StatusPageForm } from "./page-form";

export interface StatusPageActions {
  create: Action<StatusPageView>;
  update: Action<StatusPageView>;
  remove: Action;
  createIncident: Action;
  updateIncident: Action;
  removeIncident: Action;
}

function PageCard({ page, monitors, actions }: { page: StatusPageView & { incidents: IncidentView[] }; monitors: MonitorOption[]; actions: StatusPageActions }) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const removing = useServerAction(actions.remove);
  const count = page.groups.reduce((n, g) => n + g.monitors.length, 0);
  return (
    <Card as="li" className="space-y-4" data-testid="status-page-card">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="break-words font-semibold">{page.title}</h3>
          <p className="text-sm text-slate-500">
            <a href={page.url} className="text-indigo-700 underline" target="_blank" rel="noreferrer">
              {page.url}
            </a>{" "}
            · {page.groups.length} groups, {count} monitors{page.showTargets ? " · targets shown" : ""}
          </p>
          <p className="break-all text-xs text-slate-500">Badge: /api/public/status/{page.slug}/badge.svg</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Button type="button" variant="secondary" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {editing ? "Close" : "Edit"}
          </Button>
          <ConfirmButton
            title={`Delete the status page "${page.title}"?`}
            description={`${page.url} stops working, and its incidents are deleted with it. The monitors stay.`}
            confirmLabel="Delete page"
            pending={removing.pending}
            error={removing.error}
            onOpen={() => removing.setError(null)}
            onConfirm={(close) =>
              removing.run({ id: page.id }, () => {
                close();
                router.refresh();
              })
            }
          >
            Delete
          </ConfirmButton>
        </div>
      </div>
      {editing ? <StatusPageForm page={page} monitors={monitors} action={actions.update} onDone={() => setEditing(false)} /> : null}
      <div className="space-y-3 border-t border-slate-200 pt-3">
        <h4 className="text-sm font-semibold">Incidents</h4>
        {page.incidents.length === 0 ? <EmptyLine>No incidents in the last 90 days.</EmptyLine> : null}
        <ul className="space-y-3">
          {page.incidents.map((i) => (
            <IncidentAdmin key={i.id} pageId={page.id} incident={i} update={actions.updateIncident} remove={actions.removeIncident} />
          ))}
        </ul>
        <details className="rounded-md p-3 ring-1 ring-slate-200">
          <summary className="cursor-pointer text-sm font-medium">Post an incident</summary>
          <div className="pt-3">
            <NewIncidentForm pageId={page.id} action={actions.createIncident} />
          </div>
        </details>
      </div>
    </Card>
  );
}

/** Settings → Status pages: every page, a form for a new one, and each page's incidents. */
export function StatusPagesSection({ pages, monitors, actions }: { pages: (StatusPageView & { incidents: IncidentView[] })[]; monitors: MonitorOption[]; actions: StatusPageActions }) {
  return (
    <>
      <Section title="New status page" size="lg" description="A public page at /status/<address>, no sign-in: the monitors you pick, their status and 90-day uptime, and your incident updates.">
        <StatusPageForm monitors={monitors} action={actions.create} />
      </Section>
      <Section title="Status pages" bare>
        {pages.length === 0 ? <EmptyLine>No status pages yet.</EmptyLine> : null}
        <ul className="space-y-4">
          {pages.map((p) => (
            <PageCard key={p.id} page={p} monitors={monitors} actions={actions} />
          ))}
        </ul>
      </Section>
    </>
  );
}
