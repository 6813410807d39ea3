import { MaintenanceForm } from "@/components/settings/maintenance-form";
import { MaintenanceList } from "@/components/settings/maintenance-list";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requirePageAccess } from "@/lib/auth/page-access";
import { requireUser } from "@/lib/auth/session";
import { listMaintenance, listMaintenanceFormOptions } from "@/lib/queries/incidents";
import { createMaintenance, deleteMaintenance } from "./actions";

export const metadata = { title: "Maintenance" };

export default async function MaintenancePage() {
  requirePageAccess(await requireUser(), "/settings/maintenance");
  const [windows, options] = await Promise.all([listMaintenance(), listMaintenanceFormOptions()]);
  const names = Object.fromEntries([...options.monitors.map((m) => [m.id, m.name]), ...options.apps.map((a) => [a.id, a.name])]);
  return (
    <>
      <PageHeader title="Maintenance" description="During a window its monitors are still checked and the results recorded, but they change no status, send no alert and do not count against uptime; charts shade the window." />
      <Section title="Windows" className="mb-6">
        <MaintenanceList windows={windows} names={names} remove={deleteMaintenance} />
      </Section>
      <Section title="Add a window" size="lg">
        <MaintenanceForm action={createMaintenance} monitors={options.monitors} apps={options.apps} />
      </Section>
    </>
  );
}
