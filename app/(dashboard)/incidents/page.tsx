import { AutoRefresh } from "@/components/monitors/auto-refresh";
import { IncidentList } from "@/components/monitors/incident-list";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { can } from "@/lib/auth/permissions";
import { requireUser } from "@/lib/auth/session";
import { listIncidents } from "@/lib/queries/incidents";
import { withPrecedingDeploys } from "@/lib/queries/deploy-incidents";
import { acknowledgeIncident, addIncidentNote } from "../monitors/actions";

export const metadata = { title: "Incidents" };

export default async function IncidentsPage() {
  const user = await requireUser();
  const [open, recent] = await Promise.all([listIncidents({ open: "true", limit: 200 }).then((l) => withPrecedingDeploys(l)), listIncidents({ open: "false", limit: 50 }).then((l) => withPrecedingDeploys(l))]);
  const actions = can.deploy(user) ? { acknowledge: acknowledgeIncident, addNote: addIncidentNote } : null;
  const now = Date.now();
  return (
    <>
      <PageHeader title="Incidents" description="Monitors that are down now and the last ones that recovered. Acknowledging an incident stops its reminders; notes are kept with it." actions={<AutoRefresh seconds={10} />} />
      <Section title={`Open (${open.length})`} className="mb-6">
        <IncidentList incidents={open} actions={actions} now={now} showMonitor />
      </Section>
      <Section title="Recently resolved">
        <IncidentList incidents={recent} actions={actions} now={now} showMonitor />
      </Section>
    </>
  );
}
