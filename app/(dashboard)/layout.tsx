import { Nav, type NavItem } from "@/components/nav";
import { Toaster } from "@/components/ui/toaster";
import { requireUser } from "@/lib/auth/session";
import { can } from "@/lib/auth/permissions";
import { signOutAction } from "../(auth)/login/actions";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const items: NavItem[] = [
    { href: "/", label: "Overview" },
    { href: "/apps", label: "Apps" },
    { href: "/servers", label: "Servers" },
    { href: "/monitors", label: "Monitors" },
    { href: "/audit", label: "Audit" },
    { href: "/api-docs", label: "API" },
  ];
  if (can.manageMonitors(user)) items.splice(4, 0, { href: "/settings/alerts", label: "Alerts" });
  if (can.manageSettings(user)) items.push({ href: "/settings", label: "Settings" });
  return (
    <>
      <Nav items={items} user={{ email: user.email, role: user.role }} signOut={signOutAction} />
      <main className="mx-auto max-w-7xl px-4 py-6 sm:py-8">{children}</main>
      <Toaster />
    </>
  );
}
