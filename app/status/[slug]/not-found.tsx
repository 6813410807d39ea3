import { StatusPage } from "@/components/ui/status-page";

export const metadata = { title: { absolute: "Status page not found" } };

export default function StatusPageNotFound() {
  return (
    <StatusPage code="404" title="No status page at this address" actions={null}>
      <p>Check the link you were given: status page addresses look like /status/acme, in lowercase letters, digits and hyphens.</p>
      <p>If the page was just renamed or removed, ask whoever runs it for the new address.</p>
    </StatusPage>
  );
}
