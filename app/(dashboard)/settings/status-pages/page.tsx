import { StatusPagesSection } from "@/components/status-pages/pages-section";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageAccess } from "@/lib/auth/page-access";
import { requireUser } from "@/lib/auth/session";
import { listMonitors } from "@/lib/queries/monitors";
import { listStatusPagesWithIncidents } from "@/lib/queries/status-pages";
import * as actions from "./actions";

export const metadata = { title: "Status pages" };

export default async function StatusPagesSettings() {
  requirePageAccess(await requireUser(), "/settings/status-pages");
  const [pages, monitors] = await Promise.all([listStatusPagesWithIncidents(), listMonitors()]);
  return (
    <>
      <PageHeader title="Status pages" description="Public pages that show your monitors' status and uptime, with incident updates you write. Anyone with the link can read them." />
      <StatusPagesSection
        pages={pages}
        monitors={monitors.map((m) => ({ id: m.id, name: m.name, target: m.target }))}
        actions={{
          create: actions.createStatusPage,
          update: actions.updateStatusPage,
          remove: actions.deleteStatusPage,
          createIncident: actions.createIncident,
          updateIncident: actions.updateIncident,
          removeIncident: actions.deleteIncident,
        }}
      />
    </>
  );
}
